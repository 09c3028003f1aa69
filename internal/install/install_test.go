package install

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestDataDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the expected paths below are Linux's")
	}
	home := t.TempDir()
	tests := []struct {
		name    string
		env     map[string]string
		opts    Options
		want    string
		wantErr string
	}{
		{name: "default is the user dir", env: map[string]string{"HOME": home}, want: filepath.Join(home, ".local/share/jupyter")},
		{name: "user", env: map[string]string{"HOME": home}, opts: Options{User: true}, want: filepath.Join(home, ".local/share/jupyter")},
		{name: "XDG_DATA_HOME", env: map[string]string{"HOME": home, "XDG_DATA_HOME": "/xdg"}, opts: Options{User: true}, want: "/xdg/jupyter"},
		{name: "relative XDG_DATA_HOME is ignored", env: map[string]string{"HOME": home, "XDG_DATA_HOME": "rel"}, want: filepath.Join(home, ".local/share/jupyter")},
		{name: "JUPYTER_DATA_DIR wins", env: map[string]string{"HOME": home, "XDG_DATA_HOME": "/xdg", "JUPYTER_DATA_DIR": "/jd"}, want: "/jd"},
		{name: "prefix", opts: Options{Prefix: "/opt/x"}, want: "/opt/x/share/jupyter"},
		{name: "prefix ignores JUPYTER_DATA_DIR", env: map[string]string{"JUPYTER_DATA_DIR": "/jd"}, opts: Options{Prefix: "/opt/x"}, want: "/opt/x/share/jupyter"},
		{name: "user and prefix conflict", opts: Options{User: true, Prefix: "/p"}, wantErr: "at most one"},
		{name: "sys-prefix and prefix conflict", opts: Options{SysPrefix: true, Prefix: "/p"}, wantErr: "at most one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"JUPYTER_DATA_DIR", "XDG_DATA_HOME"} {
				t.Setenv(k, "")
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			got, err := DataDir(tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DataDir() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("DataDir() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDataDirSysPrefix(t *testing.T) {
	if !hasJupyterClient(systemPython) && !hasJupyterClient("python3") {
		t.Skip("no Python with jupyter_client")
	}
	got, err := DataDir(Options{SysPrefix: true})
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(got) || !strings.HasSuffix(got, filepath.Join("share", "jupyter")) {
		t.Errorf("DataDir(SysPrefix) = %q, want an absolute .../share/jupyter", got)
	}
}

func hasJupyterClient(python string) bool {
	return exec.Command(python, "-c", "import jupyter_client").Run() == nil
}

// fakeBinary writes a small executable to install in place of juggler.
func fakeBinary(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "juggler-build")
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInstallUninstall(t *testing.T) {
	tests := []struct {
		name string
		opts func(t *testing.T) Options
	}{
		{"prefix", func(t *testing.T) Options { return Options{Prefix: t.TempDir()} }},
		{"JUPYTER_DATA_DIR", func(t *testing.T) Options {
			t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
			return Options{User: true}
		}},
		{"default binary is the running executable", func(t *testing.T) Options {
			t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
			return Options{}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts(t)
			want := []byte("#!/bin/sh\necho juggler\n")
			if i < 2 {
				o.Binary = fakeBinary(t, string(want))
			} else {
				exe, err := os.Executable()
				if err != nil {
					t.Fatal(err)
				}
				if want, err = os.ReadFile(exe); err != nil {
					t.Fatal(err)
				}
			}
			dir, err := Install(o)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := DataDir(o)
			if dir != filepath.Join(data, "kernels", "juggler") {
				t.Errorf("Install() dir = %q, want under %q", dir, data)
			}
			checkSpec(t, dir, want)

			// Installing again replaces the files in place.
			if _, err := Install(o); err != nil {
				t.Fatalf("second Install: %v", err)
			}
			checkSpec(t, dir, want)
			if entries, _ := os.ReadDir(dir); len(entries) != 4 {
				t.Errorf("kernelspec dir has %d entries, want 4 (leftover temp files?)", len(entries))
			}

			if got, err := Uninstall(o); err != nil || got != dir {
				t.Fatalf("Uninstall() = %q, %v; want %q, nil", got, err, dir)
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("kernelspec dir still there after Uninstall: %v", err)
			}
			_, err = Uninstall(o)
			if !errors.Is(err, ErrNotInstalled) || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("second Uninstall() error = %v, want ErrNotInstalled", err)
			}
		})
	}
}

// checkSpec verifies an installed kernelspec directory.
func checkSpec(t *testing.T, dir string, binary []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Argv          []string        `json:"argv"`
		DisplayName   string          `json:"display_name"`
		Language      string          `json:"language"`
		InterruptMode string          `json:"interrupt_mode"`
		Metadata      map[string]any  `json:"metadata"`
		Env           json.RawMessage `json:"env"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatalf("kernel.json: %v", err)
	}
	bin := filepath.Join(dir, binaryName())
	if wantArgv := []string{bin, "kernel", "{connection_file}"}; !slices.Equal(spec.Argv, wantArgv) {
		t.Errorf("argv = %q, want %q", spec.Argv, wantArgv)
	}
	checks := []struct{ field, got, want string }{
		{"display_name", spec.DisplayName, "Go (Juggler)"},
		{"language", spec.Language, "go"},
		{"interrupt_mode", spec.InterruptMode, "message"},
		{"env", string(spec.Env), "{}"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if d, ok := spec.Metadata["debugger"]; !ok || d != false {
		t.Errorf("metadata = %v, want debugger: false", spec.Metadata)
	}

	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o755 {
		t.Errorf("binary mode = %v, want 0755", fi.Mode().Perm())
	}
	if got, _ := os.ReadFile(bin); !bytes.Equal(got, binary) {
		t.Errorf("installed binary differs from the source (%d vs %d bytes)", len(got), len(binary))
	}

	for _, size := range []int{32, 64} {
		name := filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size))
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Errorf("%s is %dx%d", name, b.Dx(), b.Dy())
		}
	}
}

func TestInstallRunningBinaryIsReplacedSafely(t *testing.T) {
	o := Options{Prefix: t.TempDir(), Binary: fakeBinary(t, "#!/bin/sh\necho old\n")}
	dir, err := Install(o)
	if err != nil {
		t.Fatal(err)
	}
	// Hold the old binary open as a running kernel would hold its text.
	old, err := os.Open(filepath.Join(dir, "juggler"))
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	o.Binary = fakeBinary(t, "#!/bin/sh\necho new\n")
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(old); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "old") {
		t.Errorf("the open old binary changed: %q", buf.String())
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "juggler")); !strings.Contains(string(got), "new") {
		t.Errorf("the installed binary was not replaced: %q", got)
	}
}

func TestInstallFromInstalledCopy(t *testing.T) {
	o := Options{Prefix: t.TempDir(), Binary: fakeBinary(t, "#!/bin/sh\n")}
	dir, err := Install(o)
	if err != nil {
		t.Fatal(err)
	}
	o.Binary = filepath.Join(dir, "juggler")
	if _, err := Install(o); err != nil {
		t.Fatalf("reinstall from the installed copy: %v", err)
	}
	checkSpec(t, dir, []byte("#!/bin/sh\n"))
}

func TestInstallMissingBinary(t *testing.T) {
	_, err := Install(Options{Prefix: t.TempDir(), Binary: filepath.Join(t.TempDir(), "nope")})
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Install with a missing binary: error = %v, want ErrNotExist", err)
	}
}

// TestJupyterFindsKernelspec checks with Jupyter's own code that the
// installed kernelspec is found and read as intended.
func TestJupyterFindsKernelspec(t *testing.T) {
	if !hasJupyterClient(systemPython) {
		t.Skip(systemPython + " has no jupyter_client")
	}
	prefix := t.TempDir()
	userData := t.TempDir()
	for _, o := range []Options{{Prefix: prefix}, {User: true}} {
		t.Setenv("JUPYTER_DATA_DIR", userData)
		o.Binary = fakeBinary(t, "#!/bin/sh\n")
		dir, err := Install(o)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := DataDir(o)
		cmd := exec.Command(systemPython, "-c", `
import json, sys
from jupyter_client.kernelspec import KernelSpecManager
m = KernelSpecManager()
spec = m.get_kernel_spec("juggler")
print(json.dumps({"dir": m.find_kernel_specs()["juggler"], "argv": spec.argv,
    "display_name": spec.display_name, "language": spec.language,
    "interrupt_mode": spec.interrupt_mode}))
`)
		cmd.Env = append(os.Environ(), "JUPYTER_PATH="+data, "JUPYTER_DATA_DIR="+userData)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("KernelSpecManager: %v\n%s", err, pythonError(err))
		}
		var got struct {
			Dir           string   `json:"dir"`
			Argv          []string `json:"argv"`
			DisplayName   string   `json:"display_name"`
			Language      string   `json:"language"`
			InterruptMode string   `json:"interrupt_mode"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("decode %q: %v", out, err)
		}
		if got.Dir != dir || len(got.Argv) != 3 || got.Argv[0] != filepath.Join(dir, "juggler") ||
			got.DisplayName != "Go (Juggler)" || got.Language != "go" || got.InterruptMode != "message" {
			t.Errorf("jupyter_client sees %+v, want dir %s", got, dir)
		}
		if _, err := Uninstall(o); err != nil {
			t.Fatal(err)
		}
	}
}
