package testutil

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/cwlog/cwlog/internal/jsonstr"
)

// BenchmarkPutLogEvents measures the server's cost per event through the
// real SDK client, so benchmarks of the shipper know their floor.
func BenchmarkPutLogEvents(b *testing.B) {
	for _, discard := range []bool{false, true} {
		name := "store"
		if discard {
			name = "discard"
		}
		b.Run(name, func(b *testing.B) {
			s := Start(b, &Options{DiscardEvents: discard})
			s.CreateStream(testGroup, testStream)
			c := s.Client()
			msg := strings.Repeat("m", 100)
			const batch = 1000
			b.SetBytes(batch * (100 + EventOverhead))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				evs := make([]types.InputLogEvent, batch)
				for pb.Next() {
					ts := aws.Int64(time.Now().UnixMilli())
					for i := range evs {
						evs[i] = types.InputLogEvent{Timestamp: ts, Message: &msg}
					}
					if _, err := c.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
						LogGroupName: aws.String(testGroup), LogStreamName: aws.String(testStream), LogEvents: evs,
					}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkDecodeRequest compares the request decoder with encoding/json on
// full batches as the SDK writes them: 1 MiB of 200-byte messages, plain
// or JSON lines (whose quotes are escaped in the body).
func BenchmarkDecodeRequest(b *testing.B) {
	const msgLen = 200
	jsonLine := `{"level":"info","ts":1700000000.123,"caller":"server/handler.go:42","msg":"request served","method":"GET","path":"/api/v1/items","status":200,"bytes":5120,"elapsed":0.0123,"id":"c0ffee-0123456789","ok":1}`[:msgLen]
	for _, shape := range []struct{ name, msg string }{
		{"plain", strings.Repeat("x", msgLen)},
		{"json", jsonLine},
	} {
		// A full batch, as a busy logger's: about a thousand events share
		// each millisecond.
		n := MaxBatchBytes / (msgLen + EventOverhead)
		var sb strings.Builder
		sb.WriteString(`{"logEvents":[`)
		quoted, _ := json.Marshal(shape.msg)
		for i := range n {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(`{"message":` + string(quoted) + `,"timestamp":` + strconv.FormatInt(1700000000000+int64(i/1000), 10) + `}`)
		}
		sb.WriteString(`],"logGroupName":"g","logStreamName":"s"}`)
		body := []byte(sb.String())
		b.Run(shape.name+"/fast", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var req request
				if !decodeWith(body, &req, jsonstr.Available, false) {
					b.Fatal("rejected")
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
		})
		b.Run(shape.name+"/encoding-json", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var req request
				if err := json.Unmarshal(body, &req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
