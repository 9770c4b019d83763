package logruscw

import "github.com/sirupsen/logrus"

// DiscardFormatter is a logrus.Formatter that produces nothing. Set it as
// the Formatter of a logger whose Out is io.Discard and whose entries go
// only to a Hook: the Hook formats each entry itself, and logrus would
// otherwise format it again just to discard the bytes. It is safe for
// concurrent use.
type DiscardFormatter struct{}

var _ logrus.Formatter = DiscardFormatter{}

// Format returns nil.
func (DiscardFormatter) Format(*logrus.Entry) ([]byte, error) { return nil, nil }
