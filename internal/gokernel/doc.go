// Package gokernel is the Go language for the kernel: it implements
// kernel.Handler by running cells on a worker process through a
// supervisor.Supervisor, answering magics (%help) itself, and delegating
// completion, inspection and is_complete to package introspect.
package gokernel
