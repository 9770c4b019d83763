package core_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

const (
	group  = "app/test"
	stream = "instance-1"
)

// newShipper starts a Shipper on srv (see shiptest.Config and New),
// letting edit change the Config, and collects what it reports.
func newShipper(t testing.TB, srv *cwlogtest.Server, edit func(*core.Config)) (*core.Shipper, *shiptest.Errors) {
	t.Helper()
	errs := &shiptest.Errors{}
	cfg := shiptest.Config(srv.Client(), group, stream, errs.Add)
	if edit != nil {
		edit(&cfg)
	}
	return shiptest.New(t, cfg), errs
}

// start starts an endpoint with opts, where the group and stream exist as
// an operator would have created them, and a Shipper on it (newShipper).
func start(t testing.TB, opts *cwlogtest.Options, edit func(*core.Config)) (*cwlogtest.Server, *core.Shipper, *shiptest.Errors) {
	t.Helper()
	srv := cwlogtest.Start(t, opts)
	srv.CreateGroup(group)
	srv.CreateStream(group, stream)
	s, errs := newShipper(t, srv, edit)
	return srv, s, errs
}

func mustAdd(t testing.TB, s *core.Shipper, e core.Event) {
	t.Helper()
	if err := s.Add(e); err != nil {
		t.Fatalf("Add(%q): %v", e.Message, err)
	}
}

// mustAddAll adds an event of each message, in order.
func mustAddAll(t testing.TB, s *core.Shipper, ms []string) {
	t.Helper()
	for _, m := range ms {
		mustAdd(t, s, core.Event{Message: m})
	}
}

// addAll adds an event of each of ms from n goroutines.
func addAll(t *testing.T, s *core.Shipper, ms []string, n int) {
	shiptest.Concurrently(n, func(g int) {
		for i := g; i < len(ms); i += n {
			if err := s.Add(core.Event{Message: ms[i]}); err != nil {
				t.Error(err)
				return
			}
		}
	})
}

func padded(prefix string, n int) []string {
	ms := msgs(prefix, n)
	for i := range ms {
		ms[i] += strings.Repeat("~", 300)
	}
	return ms
}

// checkDelivers closes s, which must deliver everything, and fails t
// unless the stream holds each of want exactly once.
func checkDelivers(t testing.TB, srv *cwlogtest.Server, s *core.Shipper, want []string) {
	t.Helper()
	shiptest.Close(t, s)
	checkExactlyOnce(t, srv, want)
}

// checkExactlyOnce fails t unless the stream holds each of want exactly once.
func checkExactlyOnce(t testing.TB, srv *cwlogtest.Server, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range srv.Messages(group, stream) {
		seen[m]++
	}
	missing, dup := 0, 0
	for _, m := range want {
		switch seen[m] {
		case 0:
			missing++
		case 1:
		default:
			dup++
		}
	}
	if missing > 0 || dup > 0 || len(srv.Messages(group, stream)) != len(want) {
		t.Fatalf("stored %d events for %d sent: %d missing, %d duplicated",
			len(srv.Messages(group, stream)), len(want), missing, dup)
	}
}

// checkBalanced fails t unless every added event is accounted for.
func checkBalanced(t testing.TB, st core.Stats) {
	t.Helper()
	if st.Added != st.Delivered+st.Rejected+st.Dropped || st.Pending != 0 {
		t.Fatalf("stats do not add up: %+v", st)
	}
}

func msgs(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%06d", prefix, i)
	}
	return out
}
