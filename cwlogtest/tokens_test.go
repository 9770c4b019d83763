package cwlogtest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func putTok(c *cloudwatchlogs.Client, token *string, events ...types.InputLogEvent) (*cloudwatchlogs.PutLogEventsOutput, error) {
	return c.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String(testGroup), LogStreamName: aws.String(testStream), LogEvents: events, SequenceToken: token,
	})
}

func TestLegacyTokenChain(t *testing.T) {
	s, c := setup(t, &Options{Tokens: TokensLegacy})

	// A new stream expects no token; sending one is wrong and the expected
	// token comes back as null.
	_, err := putTok(c, aws.String("bogus"), ev(testNow, "x"))
	var iste *types.InvalidSequenceTokenException
	if !errors.As(err, &iste) || iste.ExpectedSequenceToken != nil {
		t.Fatalf("err = %v, want InvalidSequenceTokenException with nil expected token", err)
	}

	batch1 := []types.InputLogEvent{ev(testNow, "one"), ev(testNow, "two")}
	out1, err := putTok(c, nil, batch1...)
	if err != nil || out1.NextSequenceToken == nil {
		t.Fatalf("first put: %v, %+v", err, out1)
	}
	tok1 := out1.NextSequenceToken

	out2, err := putTok(c, tok1, ev(testNow, "three"))
	if err != nil {
		t.Fatalf("second put: %v", err)
	}
	tok2 := aws.ToString(out2.NextSequenceToken)
	if tok2 == "" || tok2 == *tok1 {
		t.Fatalf("tokens %q then %q, want a fresh one", *tok1, tok2)
	}

	// Reusing tok1 with different events is a stale token.
	_, err = putTok(c, tok1, ev(testNow, "other"))
	if !errors.As(err, &iste) || aws.ToString(iste.ExpectedSequenceToken) != tok2 {
		t.Fatalf("err = %v, want InvalidSequenceTokenException expecting %q", err, tok2)
	}
	if c := lastCall(t, s); c.Rule != RuleToken || c.Token != *tok1 || !c.HasToken {
		t.Fatalf("recorded %+v", c)
	}

	// Re-sending the last accepted batch with the token it was sent with is
	// a retried duplicate: DataAlreadyAccepted, nothing stored again.
	_, err = putTok(c, tok1, ev(testNow, "three"))
	var daae *types.DataAlreadyAcceptedException
	if !errors.As(err, &daae) || aws.ToString(daae.ExpectedSequenceToken) != tok2 {
		t.Fatalf("err = %v, want DataAlreadyAcceptedException expecting %q", err, tok2)
	}
	// The first batch is no longer the last one: a stale token, not a duplicate.
	_, err = putTok(c, nil, batch1...)
	if !errors.As(err, &iste) {
		t.Fatalf("err = %v, want InvalidSequenceTokenException", err)
	}
	if got := s.EventCount(testGroup, testStream); got != 3 {
		t.Fatalf("stored %d events, want 3", got)
	}

	desc, err := c.DescribeLogStreams(context.Background(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(testGroup)})
	if err != nil || len(desc.LogStreams) != 1 || aws.ToString(desc.LogStreams[0].UploadSequenceToken) != tok2 {
		t.Fatalf("DescribeLogStreams: %v %+v, want uploadSequenceToken %q", err, desc, tok2)
	}
	if _, err := putTok(c, &tok2, ev(testNow, "four")); err != nil {
		t.Fatalf("put with the described token: %v", err)
	}
	if st := s.Stats(); st.PutOutcomes[CodeInvalidSequenceToken] != 3 || st.PutOutcomes[CodeDataAlreadyAccepted] != 1 || st.PutOutcomes[OutcomeOK] != 3 {
		t.Fatalf("outcomes = %v", st.PutOutcomes)
	}
}

func TestModernModeIgnoresTokens(t *testing.T) {
	s, c := setup(t, nil)
	for _, tok := range []*string{nil, aws.String("whatever"), aws.String("whatever"), nil} {
		out, err := putTok(c, tok, ev(testNow, "m"))
		if err != nil {
			t.Fatalf("token %v: %v", aws.ToString(tok), err)
		}
		if out.NextSequenceToken == nil {
			t.Fatal("no nextSequenceToken returned")
		}
	}
	// Identical batches are stored again: without tokens the service cannot
	// tell a retry from a repeat.
	if got := s.EventCount(testGroup, testStream); got != 4 {
		t.Fatalf("stored %d, want 4", got)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := putTok(c, nil, ev(testNow.Add(time.Duration(i)*time.Millisecond), "p"))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("parallel put: %v", err)
		}
	}
	if got := s.EventCount(testGroup, testStream); got != 20 {
		t.Fatalf("stored %d, want 20", got)
	}
}

func TestEmptyTokenIsInvalid(t *testing.T) {
	s, c := setup(t, nil)
	_, err := putTok(c, aws.String(""), ev(testNow, "m"))
	wantInvalid(t, s, err, RuleToken)
}

// TestLegacyLostAnswerBecomesDataAlreadyAccepted is the case DataAlreadyAccepted
// exists for: the batch was stored, the answer was lost, the SDK retried it.
func TestLegacyLostAnswerBecomesDataAlreadyAccepted(t *testing.T) {
	s, _ := setup(t, &Options{Tokens: TokensLegacy})
	c := s.Client(fastRetries(2))
	s.FailNext(OpPutLogEvents, 1, Fault{Kind: FaultUnavailable, AfterStore: true})
	_, err := putTok(c, nil, ev(testNow, "once"))
	var daae *types.DataAlreadyAcceptedException
	if !errors.As(err, &daae) || daae.ExpectedSequenceToken == nil {
		t.Fatalf("err = %v, want DataAlreadyAcceptedException with the next token", err)
	}
	if got := s.Messages(testGroup, testStream); len(got) != 1 {
		t.Fatalf("stored %q, want the batch exactly once", got)
	}
	if _, err := putTok(c, daae.ExpectedSequenceToken, ev(testNow, "next")); err != nil {
		t.Fatalf("put with the token from DataAlreadyAccepted: %v", err)
	}
}
