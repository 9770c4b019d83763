package logruscw

import "github.com/sirupsen/logrus"

// RenderJSON renders entry as the Hook does with the default formatter,
// reporting false for an entry it leaves to logrus.JSONFormatter.
func RenderJSON(entry *logrus.Entry) (string, bool) {
	r := renderPool.Get().(*render)
	defer putRender(r)
	if !r.appendEntry(entry) {
		return "", false
	}
	return string(r.buf), true
}
