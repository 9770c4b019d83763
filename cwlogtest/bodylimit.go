package cwlogtest

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// tooLargeBody is what nginx answers when a body exceeds
// client_max_body_size: HTML, no __type, no X-Amzn-ErrorType.
const tooLargeBody = "<html>\r\n" +
	"<head><title>413 Request Entity Too Large</title></head>\r\n" +
	"<body>\r\n" +
	"<center><h1>413 Request Entity Too Large</h1></center>\r\n" +
	"<hr><center>nginx</center>\r\n" +
	"</body>\r\n" +
	"</html>\r\n"

// SetMaxBodyBytes makes the server stand in for a proxy (nginx, a VPC
// endpoint proxy, an API gateway) whose request body limit is n bytes: from
// then on every request whose body, as sent on the wire (compressed, if the
// client compresses), is larger than n is answered 413 Request Entity Too
// Large with an HTML body and no AWS error code, and is neither decoded,
// stored nor offered to injected faults, since it never reaches the
// service. Such calls are recorded with Outcome [OutcomeTooLarge] and Rule
// [RuleBodyLimit]; only Op and Time are known. The size is taken from
// Content-Length when the client sent one, and otherwise by reading at most
// n+1 bytes. n <= 0 removes the limit, which is the default; Reset removes
// it too, ClearFaults does not. It is safe to call while requests are in
// flight.
func (s *Server) SetMaxBodyBytes(n int) {
	s.maxBody.Store(int64(max(n, 0)))
}

// checkBodyLimit reports whether r's body is larger than limit bytes, as a
// proxy in front of the service judges it. Without a Content-Length it
// reads at most limit+1 bytes; a body within the limit then replaces
// r.Body with what was read.
func checkBodyLimit(r *http.Request, limit int64) (over bool, err error) {
	if r.ContentLength >= 0 {
		return r.ContentLength > limit, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil || int64(len(b)) > limit {
		return err == nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return false, nil
}

// tooLarge answers 413 the way a proxy does. It first discards what is
// left of the body (up to maxRequestBytes), as nginx's lingering close
// does, so a client still writing its body reads the answer rather than a
// reset connection, and the connection can be used again.
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request, call *Call) {
	io.CopyN(io.Discard, r.Body, maxRequestBytes)
	call.Outcome, call.Rule = OutcomeTooLarge, RuleBodyLimit
	s.rec.add(call)
	writeTooLarge(w)
}

// writeTooLarge writes the 413 answer of a proxy with a body size limit.
func writeTooLarge(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html")
	h.Set("Content-Length", strconv.Itoa(len(tooLargeBody)))
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	io.WriteString(w, tooLargeBody)
}
