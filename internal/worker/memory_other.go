//go:build !linux

package worker

// limitMemory does nothing where the kernel cannot read the process's
// address space size the way it does on Linux.
func limitMemory() error { return nil }
