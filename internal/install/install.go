package install

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

//go:generate go run logo_gen.go

// KernelName is the kernelspec's name: the directory under kernels/ and the
// name `jupyter kernelspec list` shows.
const KernelName = "juggler"

var (
	//go:embed logo-32x32.png
	logo32 []byte
	//go:embed logo-64x64.png
	logo64 []byte
)

// Options selects where the kernelspec goes, as the flags of `jupyter
// kernelspec install` do. At most one of User, SysPrefix and Prefix may be
// set; none means User.
type Options struct {
	User      bool   // the user's Jupyter data directory (the default)
	SysPrefix bool   // <sys.prefix of the Python that runs Jupyter>/share/jupyter
	Prefix    string // <Prefix>/share/jupyter
	// Binary is the juggler executable to install; empty means the running
	// executable.
	Binary string
}

// KernelSpec is the content of kernel.json.
type KernelSpec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      map[string]any    `json:"metadata"`
}

// DataDir returns the Jupyter data directory the options select; the
// kernelspec goes in DataDir/kernels/juggler.
func DataDir(o Options) (string, error) {
	n := 0
	for _, set := range []bool{o.User, o.SysPrefix, o.Prefix != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return "", errors.New("choose at most one of --user, --sys-prefix and --prefix")
	}
	switch {
	case o.Prefix != "":
		p, err := filepath.Abs(o.Prefix)
		if err != nil {
			return "", fmt.Errorf("resolve prefix %s: %w", o.Prefix, err)
		}
		return filepath.Join(p, "share", "jupyter"), nil
	case o.SysPrefix:
		p, err := pythonSysPrefix()
		if err != nil {
			return "", err
		}
		return filepath.Join(p, "share", "jupyter"), nil
	}
	return userDataDir()
}

// userDataDir mirrors jupyter_core.paths.jupyter_data_dir, so that Jupyter
// finds what we install without being told.
func userDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the Jupyter data directory: %w", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if appData := os.Getenv("APPDATA"); appData != "" {
			return filepath.Join(appData, "jupyter"), nil
		}
		return filepath.Join(home, "AppData", "Roaming", "jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// systemPython is the distribution's interpreter, where a system-wide
// Jupyter usually lives.
const systemPython = "/usr/bin/python3"

// pythonSysPrefix asks Python for sys.prefix. --sys-prefix means "the
// environment Jupyter runs in", so only a Python that can import
// jupyter_client qualifies. An activated virtualenv or conda environment
// is what the user means when there is one; otherwise the system Python
// is preferred over whatever `python3` is first on PATH (often a pyenv or
// tool shim without Jupyter).
func pythonSysPrefix() (string, error) {
	var candidates []string
	if os.Getenv("VIRTUAL_ENV") != "" || os.Getenv("CONDA_PREFIX") != "" {
		candidates = append(candidates, "python3")
	}
	candidates = append(candidates, systemPython, "python3")
	var tried []string
	for _, py := range candidates {
		out, err := exec.Command(py, "-c", "import sys, jupyter_client; print(sys.prefix)").Output()
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %s", py, pythonError(err)))
			continue
		}
		if p := strings.TrimSpace(string(out)); p != "" {
			return p, nil
		}
	}
	return "", fmt.Errorf("--sys-prefix needs a Python with Jupyter installed (jupyter_client), none found (%s); use --user or --prefix instead",
		strings.Join(tried, "; "))
}

// pythonError summarises why a Python probe failed: not installed, or the
// last line of its traceback.
func pythonError(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		lines := strings.Split(strings.TrimSpace(string(ee.Stderr)), "\n")
		return lines[len(lines)-1]
	}
	return err.Error()
}

// Dir returns the kernelspec directory the options select.
func Dir(o Options) (string, error) {
	data, err := DataDir(o)
	if err != nil {
		return "", err
	}
	return filepath.Join(data, "kernels", KernelName), nil
}

// binaryName is the installed copy's file name.
func binaryName() string {
	if runtime.GOOS == "windows" {
		return KernelName + ".exe"
	}
	return KernelName
}

// Install writes the kernelspec (kernel.json, logos and a copy of the
// binary) and returns its directory. Installing again replaces it; every
// file is replaced by rename, so a kernel running from the old copy keeps
// running.
func Install(o Options) (dir string, err error) {
	dir, err = Dir(o)
	if err != nil {
		return "", err
	}
	src := o.Binary
	if src == "" {
		if src, err = os.Executable(); err != nil {
			return dir, fmt.Errorf("find the juggler binary to install: %w", err)
		}
	}
	if src, err = filepath.Abs(src); err != nil {
		return dir, fmt.Errorf("resolve binary path: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return dir, fmt.Errorf("create kernelspec directory: %w", err)
	}
	bin := filepath.Join(dir, binaryName())
	if err := copyBinary(src, bin); err != nil {
		return dir, err
	}
	spec := KernelSpec{
		Argv:        []string{bin, "kernel", "{connection_file}"},
		DisplayName: "Go (Juggler)",
		Language:    "go",
		// Interrupts arrive as interrupt_request on the control channel: a
		// signal would hit the whole interpreter, not the running cell.
		InterruptMode: "message",
		Env:           map[string]string{},
		Metadata:      map[string]any{"debugger": false},
	}
	js, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return dir, fmt.Errorf("encode kernel.json: %w", err)
	}
	files := []struct {
		name string
		data []byte
	}{
		{"kernel.json", append(js, '\n')},
		{"logo-32x32.png", logo32},
		{"logo-64x64.png", logo64},
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, f.name), bytes.NewReader(f.data), 0o644); err != nil {
			return dir, err
		}
	}
	return dir, nil
}

// copyBinary installs src as dst. Copying the installed binary onto itself
// (reinstalling from the kernelspec's own copy) is a no-op.
func copyBinary(src, dst string) error {
	if same, err := sameFile(src, dst); err == nil && same {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open juggler binary: %w", err)
	}
	defer in.Close()
	if fi, err := in.Stat(); err != nil {
		return fmt.Errorf("stat juggler binary: %w", err)
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("juggler binary %s is not a regular file", src)
	}
	return writeAtomic(dst, in, 0o755)
}

func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// writeAtomic writes r to path through a temporary file in the same
// directory and a rename, so readers see the old file or the new one,
// never a partial one, and a process executing the old binary is not
// disturbed (its inode lives on).
func writeAtomic(path string, r io.Reader, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; chmod explicitly rather than rely on
	// the umask.
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ErrNotInstalled reports an Uninstall of a kernelspec that is not there.
var ErrNotInstalled = errors.New("kernelspec not installed")

// Uninstall removes the kernelspec directory the options select and returns
// it. It fails with an error wrapping ErrNotInstalled (and fs.ErrNotExist)
// when there is nothing to remove.
func Uninstall(o Options) (dir string, err error) {
	dir, err = Dir(o)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(dir); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return dir, fmt.Errorf("uninstall %s: %w: %w", dir, ErrNotInstalled, err)
		}
		return dir, fmt.Errorf("uninstall %s: %w", dir, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return dir, fmt.Errorf("uninstall %s: %w", dir, err)
	}
	return dir, nil
}
