package benchutil

import (
	"context"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/core"
)

// Log group and stream the benchmarks' Shippers write to.
const (
	Group  = "bench"
	Stream = "hot-path"
)

// Shipper is a core.Shipper set up for a benchmark, counting the errors it
// reports asynchronously.
type Shipper struct {
	*core.Shipper
	errs atomic.Int64
	endpoint
}

// NewShipper returns a Shipper uploading with client, which must come from
// one of the Endpoint functions, with the defaults an application gets
// except BufferLimit, 4 GiB (2 GiB on 32-bit targets): the timed loop
// outruns the uploads, and the backlog of a whole run must fit, or drops
// would be measured instead of logging. OnError counts errors for
// Meter.Finish. The Shipper is closed in b's cleanup if the benchmark ends
// before Finish, so that no upload goroutine outlives it.
func NewShipper(b *testing.B, client *cloudwatchlogs.Client) *Shipper {
	b.Helper()
	e, ok := endpoints.Load(client)
	if !ok {
		b.Fatal("benchutil: NewShipper needs a client from an Endpoint function")
	}
	s := &Shipper{endpoint: e.(endpoint)}
	cs, err := core.New(core.Config{
		Client:      client,
		LogGroup:    Group,
		LogStream:   Stream,
		BufferLimit: min(4<<30, math.MaxInt),
		OnError:     func(error) { s.errs.Add(1) },
	})
	if err != nil {
		b.Fatal(err)
	}
	s.Shipper = cs
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		s.Close(ctx) // a no-op once Finish has closed it
	})
	return s
}
