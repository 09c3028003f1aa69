// Package kernel speaks the Jupyter messaging protocol (version 5.4) over
// ZeroMQ: it reads the connection file, binds the five sockets, frames and
// signs messages, publishes status and outputs on iopub, keeps the execution
// count and the input history, and hands each request to a Handler.
//
// The package knows nothing about the language it serves. A language plugs
// in by implementing Handler; Run does the rest:
//
//	conn, err := kernel.ReadConnectionFile(path)
//	...
//	err = kernel.Run(ctx, conn, handler, kernel.Options{})
//
// The files follow the flow of a message: connfile.go (where to bind),
// guard.go and socket.go (bytes on the wire, with workarounds for
// go-zeromq/zmq4 defects), wirewatch.go (knowing when iopub messages have
// left, so replies follow their outputs), message.go (framing and
// signing), kernel.go
// (sockets and goroutines), dispatch.go and execute.go (one function per
// request type), history.go (the input history) and history_store.go (its
// files: capped, shared safely by kernels running at once).
package kernel
