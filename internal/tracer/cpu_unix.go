//go:build unix

package tracer

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time, user and system, that every thread of
// this process has used so far, as getrusage(RUSAGE_SELF) counts it.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
