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

// SyncTimeout is Options.SyncTimeout's default.
const SyncTimeout = 10 * time.Second

// Options configure a core made by [NewCoreWithOptions]. A nil *Options,
// like the zero value, means all defaults.
type Options struct {
	// SyncTimeout bounds how long Sync, and Write after an entry above
	// ErrorLevel, wait for delivery; when it ends first they return the
	// context's error and the entries stay queued. To wait with a context
	// of your own, call the Shipper's Flush. Default SyncTimeout; negative
	// disables the wait: Sync returns nil at once and severe entries are
	// not flushed.
	SyncTimeout time.Duration
}

// NewCore returns a zapcore.Core that writes every enabled entry to s as
// one event, timed with the entry's Time, holding the line enc encodes
// without its line ending. A nil enc means
// zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()); a nil enab,
// zapcore.InfoLevel. enc itself is never changed.
//
// Write flushes after an entry above ErrorLevel, as the program may be
// about to crash, and Sync waits for everything written before it; both
// for at most SyncTimeout ([NewCoreWithOptions] sets another bound).
// Write returns core.ErrClosed once s is closed; closing s is the
// caller's job. The core and its With clones, which share s, are safe for
// concurrent use.
func NewCore(s *core.Shipper, enc zapcore.Encoder, enab zapcore.LevelEnabler) zapcore.Core {
	return NewCoreWithOptions(s, enc, enab, nil)
}

// NewCoreWithOptions is [NewCore] configured by opts; nil opts means the
// defaults, which make it NewCore. opts is copied.
func NewCoreWithOptions(s *core.Shipper, enc zapcore.Encoder, enab zapcore.LevelEnabler, opts *Options) zapcore.Core {
	if enc == nil {
		enc = zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	}
	if enab == nil {
		enab = zapcore.InfoLevel
	}
	timeout := SyncTimeout
	if opts != nil && opts.SyncTimeout != 0 {
		timeout = opts.SyncTimeout
	}
	return &cwCore{LevelEnabler: enab, enc: enc, shipper: s, text: new(textblock.Pool), syncTimeout: timeout}
}

type cwCore struct {
	zapcore.LevelEnabler
	enc      zapcore.Encoder
	shipper  *core.Shipper
	text     *textblock.Pool // for shipper alone; shared by With clones
	internal bool            // With added NewSDKLogger's mark

	syncTimeout time.Duration // negative: Sync does not wait
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

// Sync waits, for at most the core's sync timeout, until every entry
// written before it is delivered, rejected or dropped.
func (c *cwCore) Sync() error {
	if c.syncTimeout < 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.syncTimeout)
	defer cancel()
	if err := c.shipper.Flush(ctx); err != nil {
		return fmt.Errorf("zapcw: sync: %w", err)
	}
	return nil
}
