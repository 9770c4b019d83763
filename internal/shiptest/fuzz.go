package shiptest

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// FuzzEndpoint is one local endpoint for every input of a fuzz target,
// each input shipping to a stream of its own.
type FuzzEndpoint struct {
	srv     *cwlogtest.Server
	client  *cloudwatchlogs.Client
	streams atomic.Int64
}

const fuzzGroup = "fuzz"

// NewFuzzEndpoint starts the endpoint, which stops when f ends.
func NewFuzzEndpoint(f *testing.F) *FuzzEndpoint {
	srv := cwlogtest.Start(f, nil)
	srv.CreateGroup(fuzzGroup)
	return &FuzzEndpoint{srv: srv, client: srv.Client()}
}

// Ship gives log a Shipper on a new stream, one that uploads only when
// closed and reports to onError (see Config). It
// then closes the Shipper, failing t unless that delivered everything,
// and returns the messages stored, deleting the stream.
func (e *FuzzEndpoint) Ship(t *testing.T, onError func(error), log func(*core.Shipper)) []string {
	t.Helper()
	name := "s" + strconv.FormatInt(e.streams.Add(1), 10)
	e.srv.CreateStream(fuzzGroup, name)
	defer e.srv.DeleteStream(fuzzGroup, name)
	cfg := Config(e.client, fuzzGroup, name, onError)
	cfg.FlushInterval = time.Hour
	s := New(t, cfg)
	log(s)
	Close(t, s)
	return e.srv.Messages(fuzzGroup, name)
}
