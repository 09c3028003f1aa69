//go:build unix

package supervisor

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts the worker in a process group of its own, so that it and
// every process its cells start can be killed together, and so that a
// Ctrl-C at the terminal that runs the kernel does not reach it.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setParentDeathSignal(cmd.SysProcAttr)
}

// killProcess kills the worker's whole process group.
func killProcess(cmd *exec.Cmd) {
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		_ = cmd.Process.Kill()
	}
}

// killGroup kills what is left of the worker's process group after the
// worker itself has exited.
func killGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
