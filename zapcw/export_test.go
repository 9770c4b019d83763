package zapcw

import "go.uber.org/zap/zapcore"

// InternalMark is the field NewSDKLogger adds to the SDK's logs of a
// Shipper's own API calls.
var InternalMark = internalMark

// Encoder returns what a core made with a nil encoder, after With(with),
// ships for an entry, and whether it wrote the entry itself rather than
// through zap's encoder.
func Encoder(with []zapcore.Field) func(zapcore.Entry, []zapcore.Field) (line string, native bool, err error) {
	c := NewCore(nil, nil, zapcore.DebugLevel).With(with).(*cwCore)
	return func(ent zapcore.Entry, fields []zapcore.Field) (string, bool, error) {
		line, err := c.encode(&ent, fields)
		return line, c.native && allWritable(fields), err
	}
}
