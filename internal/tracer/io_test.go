package tracer

import (
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// A goroutine waiting on a network connection is blocked on IO (the network
// poller: no thread waits); one in a blocking read of a pipe is blocked in a
// system call, and its thread with it.
func TestIOAndSyscallReasons(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no localhost TCP: %v", err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		time.Sleep(30 * time.Millisecond)
		c.Write([]byte("pong"))
		c.Close()
	}()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Fd() // blocking mode: reads are plain system calls
	tr, _ := traced(t, 2, func() {
		var wg sync.WaitGroup
		goLabelled(&wg, 2, "network", func() {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			c.Read(make([]byte, 8))
		})
		goLabelled(&wg, 3, "pipe", func() {
			r.Read(make([]byte, 8))
		})
		time.Sleep(30 * time.Millisecond)
		w.Write([]byte("ping"))
		w.Close()
		wg.Wait()
	})
	for line, want := range map[int]string{2: ReasonIO, 3: ReasonSyscall} {
		g := byLine(t, tr, line)
		var d time.Duration
		for _, s := range g.Spans {
			if s.State == Blocked && s.Reason == want {
				d += s.Duration()
			}
		}
		if d < 15*time.Millisecond {
			t.Errorf("line %d (%s): blocked %v on %q, want most of 30 ms; spans %+v", line, g.Fn, d, want, g.Spans)
		}
	}
}
