package worker

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// HeapProfileEnv names a debugging knob, left out of the user's help: set
// to a file path, the worker writes a heap profile there after every cell
// (`go tool pprof -sample_index=inuse_space bin/juggler FILE` shows where a
// long session's memory goes). Each write replaces the last one, with the
// worker's PID appended to the name so that a restarted worker does not
// overwrite the profile of the one that died.
const HeapProfileEnv = "JUGGLER_HEAPPROFILE"

// writeHeapProfile writes the heap profile of the live heap to path.PID,
// through a temporary file so that a reader never sees half of one.
func writeHeapProfile(path string) error {
	path = fmt.Sprintf("%s.%d", path, os.Getpid())
	tmp, err := os.CreateTemp(filepath.Dir(path), ".heapprofile-*")
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone already after the rename
	runtime.GC()                // the profile counts what the last GC found live
	if err := pprof.WriteHeapProfile(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}
