package benchutil

import (
	"crypto/sha256"
	"testing"
)

// BusyCore keeps one goroutine busy until b ends, hashing 64 KiB blocks
// with SHA-256 as an upload hashes its request body. A baseline measured
// beside it is a control: it shows what any work running at the same time
// costs the timed loop on this machine, whatever does that work. Where the
// two cores of a virtual machine share a physical core, that is much.
func BusyCore(b *testing.B) {
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		block := make([]byte, 64<<10)
		for {
			select {
			case <-stop:
				return
			default:
				sha256.Sum256(block)
			}
		}
	}()
	b.Cleanup(func() {
		close(stop)
		<-done
	})
}
