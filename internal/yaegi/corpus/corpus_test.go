package corpus_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/yaegi/corpus"
)

// knownRegressions are the corpus programs that upstream passes and the fork
// does not, each with the reason. The list is exact: a program on it that
// is no longer a regression fails the test too, so that it is taken off.
// A program whose expected output is one of yaegi's own bugs, which the
// fork fixed, belongs here too, with the output go run gives.
var knownRegressions = map[string]string{
	"method16.go": "upstream expects yaegi's renamed field &{Xproperty:value}; go run prints &{property:value}, as the fork does (issue 9)",
	"type24.go":   "upstream expects the position in a recovered failed assertion (22:10: interface conversion: ...); go run prints the message alone, as the fork does (rterror.go)",
}

// fileTimeout bounds one program's run in one interpreter.
const fileTimeout = 10 * time.Second

// interps are the interpreters the runner knows, as its -interp flag names
// them.
var interps = []string{"upstream", "fork"}

// result is how one program did in one interpreter.
type result struct {
	pass bool
	msg  string        // why not: the runner's output, a crash or a timeout
	took time.Duration // the process's run time
}

// TestUpstreamCorpus runs each program of yaegi v0.16.1's _test corpus in
// upstream's interpreter and in the fork, each run in a process of its own,
// and fails on a program that upstream passes and the fork does not.
//
// It runs the programs as upstream's interp/interp_file_test.go does, and
// in the setting of upstream's CI: the module is at
// $GOPATH/src/github.com/traefik/yaegi (here a symbolic link to the module
// cache), the runner works in its interp directory, and a program is
// ../_test/name.go.
func TestUpstreamCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus takes a while; not in -short mode")
	}
	modDir := yaegiModule(t)
	tmp := t.TempDir()
	r := runner{bin: filepath.Join(tmp, "runner"), gopath: filepath.Join(tmp, "gopath")}
	if out, err := exec.Command("go", "build", "-o", r.bin, "./runner").CombinedOutput(); err != nil {
		t.Fatalf("go build ./runner: %v\n%s", err, out)
	}
	src := filepath.Join(r.gopath, "src", "github.com", "traefik")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modDir, filepath.Join(src, "yaegi")); err != nil {
		t.Fatal(err)
	}
	r.dir = filepath.Join(src, "yaegi", "interp")

	files, skipped := programs(t, filepath.Join(modDir, "_test"))
	if len(files) < 800 {
		t.Fatalf("only %d programs with Output: or Error: in %s/_test", len(files), modDir)
	}

	start := time.Now()
	results := r.runAll(files)
	// A program whose results differ runs again, alone: a difference counts
	// only when it shows twice, not because the machine was busy.
	for _, f := range files {
		first := results[f]
		if first["upstream"].pass == first["fork"].pass {
			continue
		}
		again := map[string]*result{}
		for _, in := range interps {
			again[in] = r.run(in, f)
		}
		if again["upstream"].pass != first["upstream"].pass || again["fork"].pass != first["fork"].pass {
			t.Logf("%s: results changed when run again: upstream %v then %v, fork %v then %v",
				f, first["upstream"].pass, again["upstream"].pass, first["fork"].pass, again["fork"].pass)
		}
		results[f] = again
	}

	var both, neither, forkOnly int
	var regressions []string
	var slowest string
	var slowestTook time.Duration
	for _, f := range files {
		up, fk := results[f]["upstream"], results[f]["fork"]
		for _, res := range results[f] {
			if res.took > slowestTook {
				slowest, slowestTook = f, res.took
			}
		}
		switch {
		case up.pass && fk.pass:
			both++
		case !up.pass && !fk.pass:
			neither++
			t.Logf("failed by both: %s (upstream: %s)", f, firstLine(up.msg))
		case fk.pass:
			forkOnly++
			t.Logf("fork-only pass: %s (upstream: %s)", f, firstLine(up.msg))
		default:
			regressions = append(regressions, f)
		}
	}
	t.Logf("upstream corpus: %d programs run (%d skipped, no Output: or Error:) in %v: "+
		"%d passed by both, %d failed by both, %d regressions (%d known), %d fork-only passes; slowest run %s, %v",
		len(files), skipped, time.Since(start).Round(time.Second),
		both, neither, len(regressions), len(knownRegressions), forkOnly,
		slowest, slowestTook.Round(time.Millisecond))

	for _, f := range regressions {
		if reason, ok := knownRegressions[f]; ok {
			t.Logf("known regression %s (%s): %s", f, reason, firstLine(results[f]["fork"].msg))
			continue
		}
		t.Errorf("regression: upstream passes %s, the fork does not: %s", f, results[f]["fork"].msg)
	}
	for f, reason := range knownRegressions {
		if results[f] == nil {
			t.Errorf("knownRegressions lists %s (%s), which is not a program of the corpus", f, reason)
		} else if !results[f]["upstream"].pass || results[f]["fork"].pass {
			t.Errorf("knownRegressions lists %s (%s), which is no longer a regression: take it off", f, reason)
		}
	}
}

// yaegiModule returns the directory of the yaegi module go.mod requires,
// downloading it into the module cache if it is not there.
func yaegiModule(t *testing.T) string {
	t.Helper()
	var mod struct{ Dir, Error string }
	out, err := exec.Command("go", "list", "-m", "-json", "github.com/traefik/yaegi").Output()
	if err == nil {
		err = json.Unmarshal(out, &mod)
	}
	if err != nil {
		t.Fatalf("go list -m github.com/traefik/yaegi: %v", err)
	}
	if mod.Dir == "" {
		out, err := exec.Command("go", "mod", "download", "-json", "github.com/traefik/yaegi").Output()
		if err == nil {
			err = json.Unmarshal(out, &mod)
		}
		if err != nil || mod.Error != "" || mod.Dir == "" {
			t.Fatalf("go mod download github.com/traefik/yaegi: %v %s", err, mod.Error)
		}
	}
	return mod.Dir
}

// programs returns the names of the .go files in dir that say what they
// must do, and how many do not (upstream skips those).
func programs(t *testing.T, dir string) (files []string, skipped int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".go" {
			continue
		}
		want, _, _, err := corpus.Want(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if want == "" {
			skipped++
			continue
		}
		files = append(files, e.Name())
	}
	return files, skipped
}

// runner runs corpus programs with the runner command.
type runner struct {
	bin    string // the runner command
	gopath string // GOPATH, with the yaegi module in it
	dir    string // the module's interp directory, in gopath
}

// runAll runs every file in every interpreter, a few at a time, and returns
// the results by file and interpreter.
func (r runner) runAll(files []string) map[string]map[string]*result {
	type job struct{ file, interp string }
	jobs := make(chan job)
	results := make(map[string]map[string]*result)
	for _, f := range files {
		results[f] = map[string]*result{}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				res := r.run(j.interp, j.file)
				mu.Lock()
				results[j.file][j.interp] = res
				mu.Unlock()
			}
		})
	}
	for _, f := range files {
		for _, in := range interps {
			jobs <- job{f, in}
		}
	}
	close(jobs)
	wg.Wait()
	return results
}

// run runs one file in one interpreter, in a process of its own.
func (r runner) run(interp, file string) *result {
	ctx, cancel := context.WithTimeout(context.Background(), fileTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, "-interp", interp, "-file", "../_test/"+file)
	cmd.Dir = r.dir
	// PWD keeps the working directory's path inside gopath (not the
	// module cache's, where the link points), as the runner's os.Getwd
	// sees it.
	// GODEBUG: _test/p1 seeds math/rand, which Go 1.24 made a no-op.
	cmd.Env = append(os.Environ(), "GOPATH="+r.gopath, "PWD="+r.dir, "GODEBUG=randseednop=0")
	cmd.WaitDelay = time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	took := time.Since(t0)
	msg := strings.TrimSpace(out.String())
	if len(msg) > 1500 {
		msg = msg[:1500] + " ..."
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return &result{pass: true, took: took}
	case ctx.Err() != nil:
		return &result{msg: fmt.Sprintf("timeout after %v: %s", fileTimeout, msg), took: took}
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return &result{msg: msg, took: took}
	default:
		return &result{msg: fmt.Sprintf("crash (%v): %s", err, msg), took: took}
	}
}

// firstLine is the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
