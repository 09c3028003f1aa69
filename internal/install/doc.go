// Package install writes and removes Juggler's Jupyter kernelspec, the
// directory kernels/juggler under a Jupyter data directory that tells
// Jupyter how to start the kernel (kernel.json) and what logo to show.
//
// It does what `jupyter kernelspec install` would, without needing Python
// for the default (per-user) location, and with one difference that matters
// for a compiled kernel: the juggler binary itself is copied into the
// kernelspec directory and kernel.json points at that copy. A binary built
// by `go run` or `go test` lives in a temporary directory that vanishes,
// and a binary in $GOPATH/bin changes under the kernel on every `go
// install`; the copy does neither, and `jupyter kernelspec uninstall
// juggler` removes it with the rest.
package install
