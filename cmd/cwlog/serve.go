package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/cwlog/cwlog/cwlogtest"
)

type serveFlags struct {
	fs   *flag.FlagSet
	addr string
}

const serveAbout = `Runs a CloudWatch Logs-compatible endpoint, for tests in any language,
until SIGINT or SIGTERM. It answers CreateLogGroup, CreateLogStream,
DeleteLogGroup, DeleteLogStream, PutRetentionPolicy, DescribeLogStreams,
PutLogEvents and GetLogEvents, keeping everything in memory; it enforces
the service's rules for names and batches, and accepts any credentials.

serve prints its URL, alone, on the first line of standard output (with
port 0, the port it got), then on standard error how to point the AWS
CLI, boto3 or an AWS SDK at it. It accepts any signature: listen on a
loopback address only, as by default.
`

func newServeFlags() *serveFlags {
	f := &serveFlags{fs: newFlagSet("serve", "[-addr host:port]", serveAbout)}
	f.fs.StringVar(&f.addr, "addr", "127.0.0.1:4566", "`address` to listen on; port 0 picks a free port")
	return f
}

func serveMain(args []string) int {
	f := newServeFlags()
	if code, ok := parse(f.fs, args); !ok {
		return code
	}
	if f.fs.NArg() > 0 {
		return usageError(f.fs, fmt.Errorf("unexpected argument %q", f.fs.Arg(0)))
	}
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()

	endpoint, err := cwlogtest.NewServer(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cwlog serve:", err)
		return exitFailed
	}
	defer endpoint.Close()
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cwlog serve:", err)
		return exitFailed
	}
	hs := &http.Server{Handler: endpoint, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	url := "http://" + dialable(ln.Addr())
	fmt.Println(url)
	howTo(os.Stderr, url)
	select {
	case <-ctx.Done():
	case err := <-served:
		fmt.Fprintln(os.Stderr, "cwlog serve:", err)
		return exitFailed
	}
	stop()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintln(os.Stderr, "cwlog serve:", err)
	}
	hs.Close()
	return exitOK
}

// dialable is addr as a client can dial it: an unspecified host (":4566",
// "0.0.0.0:4566") becomes the loopback address.
func dialable(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}

func howTo(w io.Writer, url string) {
	fmt.Fprintf(w, `cwlog serve: a CloudWatch Logs-compatible endpoint is listening at %[1]s
Point the AWS CLI (v2.13+, v1.29+), boto3 (1.28+) or an AWS SDK at it with:
  export AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=%[1]s
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  aws logs get-log-events --log-group-name G --log-stream-name S
or, in Python:
  boto3.client("logs", endpoint_url="%[1]s", region_name="us-east-1",
               aws_access_key_id="test", aws_secret_access_key="test")
Stop it with Ctrl-C or SIGTERM.
`, url)
}
