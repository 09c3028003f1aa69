//go:build !cgo || !(linux || freebsd || darwin)

package native

const pluginsWork = false
