//go:build cgo && (linux || freebsd || darwin)

package native

// pluginsWork says whether this build can open Go plugins.
const pluginsWork = true
