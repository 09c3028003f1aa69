package kernel

import (
	"testing"
)

// BenchmarkKernelInfoRoundTrip is the protocol's floor, over real TCP
// sockets with a zmq4 client: kernel_info_request in; busy, the reply and
// idle out.
func BenchmarkKernelInfoRoundTrip(b *testing.B) {
	tk := startKernel(b, Options{})
	c := tk.c
	for b.Loop() {
		req := c.send(c.shell, "kernel_info_request", nil)
		c.reply(c.shellCh, req)
		c.iopubUntilIdle(req)
	}
}

// BenchmarkExecuteRoundTrip is a trivial cell with a Handler that takes
// no time: execute_request in; busy, execute_input, execute_result, the
// reply and idle out. What a real cell adds is the worker's round trip
// (see the supervisor's BenchmarkExecute).
func BenchmarkExecuteRoundTrip(b *testing.B) {
	tk := startKernel(b, Options{})
	c := tk.c
	for b.Loop() {
		req := c.send(c.shell, "execute_request", map[string]any{"code": "result", "silent": false})
		if r := c.reply(c.shellCh, req); content(b, r)["status"] != "ok" {
			b.Fatalf("reply %v", content(b, r))
		}
		if got := c.iopubUntilIdle(req)[req.Header.MsgID]; len(got) != 4 {
			b.Fatalf("iopub: %s", types(b, got))
		}
	}
}
