// Package supervisor is the kernel process's side of the worker: it starts
// the worker process (`juggler worker`), sends it cells over the framed
// protocol of package wire, and turns what comes back into kernel.Output
// calls.
//
// The worker's stdout and stderr are pipes read here, so every byte user
// code writes becomes a Jupyter stream message. Output is coalesced into
// few messages, never split inside a UTF-8 sequence, and kept in order with
// displays by the sync marks the worker writes before each event. A worker
// that dies, or ignores an interrupt for two seconds, is replaced by a
// fresh one and the running cell ends with an error that says so.
package supervisor
