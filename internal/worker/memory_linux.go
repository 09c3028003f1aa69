//go:build linux

package worker

import (
	"bufio"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
)

// limitMemory caps the worker's address space at what it uses when it
// starts plus the budget MemoryEnv sets. A cell that allocates without end
// then fails with the runtime's "out of memory", a fatal error the kernel
// reports and recovers from, instead of pushing the machine into swap or
// the kernel's OOM killer. The soft limit at the budget makes the garbage
// collector work harder before that happens.
func limitMemory() error {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		return fmt.Errorf("worker: memory limit: %w", err)
	}
	budget, ok, err := memoryBudget(uint64(si.Totalram) * uint64(si.Unit))
	if err != nil || !ok {
		return err
	}
	base, err := addressSpace()
	if err != nil {
		return fmt.Errorf("worker: memory limit: %w", err)
	}
	// Only the soft limit: the hard one stays where it was, so a later
	// worker in the same process (tests) may set its own.
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &rl); err != nil {
		return fmt.Errorf("worker: memory limit: %w", err)
	}
	rl.Cur = min(base+budget, rl.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &rl); err != nil {
		return fmt.Errorf("worker: memory limit: %w", err)
	}
	debug.SetMemoryLimit(int64(budget))
	return nil
}

// addressSpace is the process's virtual memory size (VmSize), which the Go
// runtime makes large from the start by reserving address ranges.
func addressSpace() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmSize:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmSize %q: %w", v, err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmSize in /proc/self/status")
}
