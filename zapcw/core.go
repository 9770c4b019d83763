package zapcw

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/textblock"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// SyncTimeout bounds Sync and the flush after an entry above ErrorLevel;
// to wait with a context of your own, call the Shipper's Flush.
const SyncTimeout = 10 * time.Second

// NewCore returns a zapcore.Core that writes every enabled entry to s as
// one event, timed with the entry's Time, holding the line enc encodes
// without its line ending. A nil enc means
// zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()); a nil enab,
// zapcore.InfoLevel. enc itself is never changed.
//
// Write flushes after an entry above ErrorLevel, as the program may be
// about to crash, and Sync waits for everything written before it; both
// for at most SyncTimeout. Write returns core.ErrClosed once s is closed;
// closing s is the caller's job. The core and its With clones, which share
// s, are safe for concurrent use.
func NewCore(s *core.Shipper, enc zapcore.Encoder, enab zapcore.LevelEnabler) zapcore.Core {
	if enc == nil {
		enc = zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	}
	if enab == nil {
		enab = zapcore.InfoLevel
	}
	return &cwCore{LevelEnabler: enab, enc: enc, shipper: s, text: new(textblock.Pool)}
}

type cwCore struct {
	zapcore.LevelEnabler
	enc      zapcore.Encoder
	shipper  *core.Shipper
	text     *textblock.Pool // for shipper alone; shared by With clones
	internal bool            // With added NewSDKLogger's mark
}

var _ zapcore.Core = (*cwCore)(nil)

// Level spares zapcore.LevelOf probing every level.
func (c *cwCore) Level() zapcore.Level {
	return zapcore.LevelOf(c.LevelEnabler)
}

// With returns a core whose entries carry fields too, on a clone of the
// encoder; the Shipper is shared.
func (c *cwCore) With(fields []zapcore.Field) zapcore.Core {
	clone := *c
	clone.enc = c.enc.Clone()
	for i := range fields {
		clone.internal = clone.internal || isInternalMark(fields[i])
		fields[i].AddTo(clone.enc)
	}
	return &clone
}

func (c *cwCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(ent.Level) {
		return ce.AddCore(ent, c)
	}
	return ce
}

// Write queues the encoded entry. A full buffer is not an error here: the
// Shipper counts and reports the drop, where zap would print every one to
// its ErrorOutput. An entry marked by NewSDKLogger as the SDK's log of the
// Shipper's own call is queued with TryAdd and never flushed: waiting
// there would wait on the very upload being logged.
func (c *cwCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	buf, err := c.enc.EncodeEntry(ent, fields)
	if err != nil {
		return fmt.Errorf("zapcw: encode entry: %w", err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	ev := core.Event{Time: ent.Time, Message: c.text.String(b)}
	buf.Free()
	if c.internal || slices.ContainsFunc(fields, isInternalMark) {
		_ = c.shipper.TryAdd(ev)
		return nil
	}
	if err := c.shipper.Add(ev); err != nil && !errors.Is(err, core.ErrBufferFull) {
		return err
	}
	if ent.Level > zapcore.ErrorLevel {
		return c.Sync()
	}
	return nil
}

func (c *cwCore) Sync() error {
	ctx, cancel := context.WithTimeout(context.Background(), SyncTimeout)
	defer cancel()
	if err := c.shipper.Flush(ctx); err != nil {
		return fmt.Errorf("zapcw: sync: %w", err)
	}
	return nil
}
