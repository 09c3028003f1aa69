//go:build unix

package kernel

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on f, held until unlock or
// until f is closed.
func lockFile(f *os.File) (unlock func(), err error) {
	fd := int(f.Fd())
	for {
		err = syscall.Flock(fd, syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return func() { _ = syscall.Flock(fd, syscall.LOCK_UN) }, nil // closing f unlocks it anyway
}
