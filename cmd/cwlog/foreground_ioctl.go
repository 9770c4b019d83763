//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"
	"syscall"
	"unsafe"
)

// inForeground reports whether cwlog and process pid are both in the
// foreground process group of cwlog's controlling terminal.
func inForeground(pid int) bool {
	own := syscall.Getpgrp()
	if pgid, err := syscall.Getpgid(pid); err != nil || pgid != own {
		return false
	}
	fg, ok := foregroundGroup()
	return ok && fg == own
}

// foregroundGroup returns the foreground process group of cwlog's
// controlling terminal; ok is false without one.
func foregroundGroup() (pgrp int, ok bool) {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return 0, false
	}
	defer tty.Close()
	conn, err := tty.SyscallConn()
	if err != nil {
		return 0, false
	}
	var pg int32 // pid_t
	var errno syscall.Errno
	err = conn.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(syscall.TIOCGPGRP), uintptr(unsafe.Pointer(&pg)))
	})
	if err != nil || errno != 0 {
		return 0, false
	}
	return int(pg), true
}
