//go:build linux

package main

import (
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/cwlog/cwlog/cwlogtest"
)

func init() {
	// count says "ready" once it catches SIGINT, then counts the SIGINTs
	// that arrive until none has for a second, writes how many, and exits
	// 0.
	childModes["count"] = func() int {
		sigs := make(chan os.Signal, 8)
		signal.Notify(sigs, syscall.SIGINT)
		fmt.Println("ready")
		<-sigs
		// A second SIGINT relayed by cwlog would follow the first within
		// a millisecond or so; a machine too loaded to deliver it within a
		// second makes the test pass when it should not, never fail.
		n := 1
		for more := true; more; {
			select {
			case <-sigs:
				n++
			case <-time.After(time.Second):
				more = false
			}
		}
		fmt.Println("caught", n)
		return 0
	}
}

// TestRunTerminalInterrupt runs cwlog on a terminal of its own, as a shell
// runs a foreground job, and types Ctrl-C: the terminal sends SIGINT to
// cwlog and its child, and cwlog must not send the child a second.
func TestRunTerminalInterrupt(t *testing.T) {
	tty, term := openPTY(t)
	srv := cwlogtest.Start(t, nil)
	child, env := childArgs(t, awsEnv(t, srv.URL()), "count")
	p := newProc(t, env, append([]string{"run", "-group", "app", "-stream", "s"}, child...)...)
	p.Stdin = tty
	// Setsid and Setctty give cwlog the pty as its controlling terminal,
	// with cwlog's process group as the terminal's foreground group.
	p.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	stdout, stderr := newOutput(), newOutput()
	p.Stdout, p.Stderr = stdout, stderr
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	stdout.line(t, "ready")
	if _, err := term.Write([]byte{0x03}); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	r := p.result(t, p.Wait(), stdout, stderr)
	if r.status != 0 {
		t.Fatalf("want the child's status 0, got %v", r)
	}
	if !strings.Contains(r.stdout, "caught 1\n") {
		t.Errorf("want the child to catch one SIGINT, got %v", r)
	}
	if got := srv.Messages("app", "s"); !slices.Equal(got, []string{"ready", "caught 1"}) {
		t.Errorf("stored %q", got)
	}
}

// openPTY opens a pseudo-terminal: tty is the terminal, term the side that
// types on it.
func openPTY(t *testing.T) (tty, term *os.File) {
	t.Helper()
	term, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { term.Close() })
	var unlock int32
	if err := ioctl(term, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		t.Skipf("no pseudo-terminal: unlock: %v", err)
	}
	var n uint32
	if err := ioctl(term, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		t.Skipf("no pseudo-terminal: number: %v", err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty, term
}

func ioctl(f *os.File, req uint, arg unsafe.Pointer) error {
	conn, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	if err := conn.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(req), uintptr(arg))
	}); err != nil {
		return err
	}
	if errno != 0 {
		return errno
	}
	return nil
}
