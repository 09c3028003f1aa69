//go:build !unix

package supervisor

import "os/exec"

func setProcAttr(*exec.Cmd) {}

func killProcess(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

func killGroup(*exec.Cmd) {}
