package supervisor

import "syscall"

// setParentDeathSignal has Linux kill the worker when the kernel process
// dies, even by SIGKILL. (The signal is tied to the OS thread that started
// the worker; the Go runtime ends threads only for goroutines that exit
// while locked to one, which this program does not do.)
func setParentDeathSignal(a *syscall.SysProcAttr) {
	a.Pdeathsig = syscall.SIGKILL
}
