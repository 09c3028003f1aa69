//go:build unix && !linux

package supervisor

import "syscall"

// setParentDeathSignal does nothing here; the worker exits when its request
// pipe (fd 3) closes, which happens when the kernel process dies.
func setParentDeathSignal(*syscall.SysProcAttr) {}
