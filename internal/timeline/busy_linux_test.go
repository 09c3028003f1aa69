//go:build linux

package timeline

import (
	"context"
	"fmt"
	"math/bits"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/juggler-kernel/juggler/internal/tracer"
)

// helperEnv selects what the re-executed test binary does (the os/exec
// helper-process pattern): "hog" spins on the CPU until killed, "trace"
// traces two CPU-bound goroutines on two Ps and prints the summary.
const helperEnv = "JUGGLER_TIMELINE_HELPER"

type cpuMask [16]uint64 // 1024 CPUs

func getAffinity() (cpuMask, error) {
	var m cpuMask
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m)))
	if e != 0 {
		return m, e
	}
	return m, nil
}

func setAffinity(m cpuMask) error {
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m)))
	if e != 0 {
		return e
	}
	return nil
}

func (m cpuMask) count() int {
	n := 0
	for _, w := range m {
		n += bits.OnesCount64(w)
	}
	return n
}

// TestBusyMachineIsNotParallel traces two CPU-bound goroutines on two Ps in
// a process that shares one CPU with a CPU hog (a busy loop in another
// process pinned to the same CPU). Both goroutines hold a P the whole time,
// so the trace alone would show two running at once; the summary must not
// say they ran in parallel, and must say that the machine was busy.
func TestBusyMachineIsNotParallel(t *testing.T) {
	if testing.Short() {
		t.Skip("spins the CPU for a while")
	}
	// A child inherits the CPU affinity of the thread that forks it: pin
	// this thread, start both children from it, then restore it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	old, err := getAffinity()
	if err != nil {
		t.Skipf("sched_getaffinity: %v", err)
	}
	var one cpuMask
	for i, w := range old {
		if w != 0 {
			one[i] = 1 << bits.TrailingZeros64(w)
			break
		}
	}
	if err := setAffinity(one); err != nil {
		t.Skipf("sched_setaffinity: %v", err)
	}
	hog := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	hog.Env = append(os.Environ(), helperEnv+"=hog", "GOMAXPROCS=1")
	hogErr := hog.Start()
	if hogErr == nil {
		defer func() { hog.Process.Kill(); hog.Wait() }()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	traced := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$")
	traced.Env = append(os.Environ(), helperEnv+"=trace")
	var out strings.Builder
	traced.Stdout, traced.Stderr = &out, &out
	tracedErr := traced.Start()
	if err := setAffinity(old); err != nil {
		// The thread keeps the one-CPU mask: let it end with this goroutine.
		runtime.LockOSThread()
		t.Logf("restore affinity: %v", err)
	}
	if hogErr != nil || tracedErr != nil {
		t.Fatalf("start helpers: %v, %v", hogErr, tracedErr)
	}
	if err := traced.Wait(); err != nil {
		t.Fatalf("traced helper: %v\n%s", err, out.String())
	}
	s := out.String()
	t.Logf("summary on a busy CPU:\n%s", s)
	if strings.Contains(s, "SKIP:") {
		t.Skip(s)
	}
	for _, want := range []string{"at most 2 running at once", "CPUs busy on average", "did not really run in parallel", "the machine was busy"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(s, "so goroutines ran in parallel") {
		t.Error("the summary claims parallelism that the CPU time contradicts")
	}
}

// TestHelperProcess is not a test: TestBusyMachineIsNotParallel runs the
// test binary again with helperEnv set, to be the hog or the traced process.
func TestHelperProcess(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "hog":
		// Spins until killed, or for a minute at most should the test
		// that started it die without killing it.
		start := time.Now()
		for n := 1; ; n++ {
			if n%(1<<20) == 0 && time.Since(start) > time.Minute {
				os.Exit(0)
			}
		}
	case "trace":
		if m, err := getAffinity(); err != nil || m.count() != 1 {
			fmt.Printf("SKIP: not pinned to one CPU (%v, %d CPUs)\n", err, m.count())
			os.Exit(0)
		}
		fmt.Print(busySummary())
		os.Exit(0)
	}
}

// busySummary traces two goroutines that spin for 150 ms of CPU each on two
// Ps, labelled as a cell's would be, and returns the summary.
func busySummary() string {
	runtime.GOMAXPROCS(2)
	c, err := tracer.Start()
	if err != nil {
		return "trace: " + err.Error()
	}
	tracer.LabelCellFlow(1)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tracer.LabelGoroutine(1, 3, "spin")
			spinCPU(150 * time.Millisecond)
		}()
	}
	wg.Wait()
	tr, _, err := c.Stop()
	if err != nil {
		return "trace: " + err.Error()
	}
	return Summary(tr)
}

// spinCPU keeps the calling thread on the CPU until it has used d of CPU
// time (its own thread's clock), however long the OS keeps it waiting.
func spinCPU(d time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	for threadCPU()-start < d {
		for i := 0; i < 10_000; i++ {
		}
	}
}

func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3 // CLOCK_THREAD_CPUTIME_ID
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
