package testutil

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/cwlog/cwlog/internal/jsonstr"
	"github.com/cwlog/cwlog/internal/textblock"
)

// This file decodes request bodies into a request without reflection.
// Benchmarks run the server in the same process as the code they measure,
// so the decoder has to cost little next to the client; and tests trust the
// server, so it has to decode exactly what encoding/json would: same
// strings (escapes, surrogates, invalid UTF-8), same integers, same
// treatment of null, of case-folded and duplicated keys, and an error for
// every body encoding/json rejects. It says only that a body is bad;
// decodeRequest asks encoding/json why, so error messages stay its own.

// maxDepth is the nesting encoding/json refuses beyond.
const maxDepth = 10000

// Field numbers of request, in the order of its declaration.
const (
	fUnknown = iota
	fLogGroupName
	fLogGroupIdentifier
	fLogStreamName
	fLogStreamNamePrefix
	fLogEvents
	fSequenceToken
	fRetentionInDays
	fLimit
	fNextToken
	fStartTime
	fEndTime
	fStartFromHead
	fOrderBy
	fDescending
)

// Field numbers of inputEvent.
const (
	fTimestamp = 1 + iota
	fMessage
)

// maxPooledEvents bounds the scratch event slice kept between requests, so
// one oversized body does not pin its memory.
const maxPooledEvents = 16 << 10

type decoder struct {
	data []byte
	pos  int
	// str holds the decoded bytes of the last string that needed decoding.
	str []byte
	// fold holds the case-folded form of a key that matched no field exactly.
	fold []byte
	// text holds the messages of the request being decoded (see message).
	// Its memory is never reused: the strings point into it.
	text textblock.Block
	// scratch collects a first logEvents array before it is copied out at
	// its exact length. The capacity encoding/json would have grown instead
	// is never observable: a later logEvents key of the same body only
	// brings back elements below the capacity that an earlier array wrote,
	// and growing copies every one of those.
	scratch []inputEvent
	// vector is whether strings are decoded with jsonstr.UnescapeChunks
	// where they can be.
	vector bool
	// lastTS is the text of the last event timestamp decoded, a slice of
	// data, and lastTSVal its value: a busy logger's batch repeats each
	// millisecond many times over.
	lastTS    []byte
	lastTSVal int64
	// sizesOnly says that only the length of each event's message will be
	// read: messages then point into blankText instead of being copied.
	sizesOnly bool
}

// blankText is what messages point into when only their sizes are kept:
// memory never written, so a message read by mistake reads as zero bytes
// rather than as another request's text. Longer messages are copied.
var blankText [1 << 20]byte

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

// decodeWith decodes b into req as json.Unmarshal(b, req) would and
// reports whether json.Unmarshal would have succeeded. On false, req holds
// a partial result. vector turns decoding strings with vector
// instructions on or off (jsonstr.Available where they exist), so that
// tests can check both ways; sizesOnly is decoder.sizesOnly.
func decodeWith(b []byte, req *request, vector, sizesOnly bool) bool {
	d := decoderPool.Get().(*decoder)
	d.data, d.pos, d.vector, d.sizesOnly = b, 0, vector, sizesOnly
	ok := d.request(req)
	d.data, d.lastTS = nil, nil
	d.text.Reset()
	if cap(d.scratch) <= maxPooledEvents {
		decoderPool.Put(d)
	}
	return ok
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next byte, or 0 at the end, which no valid token starts with.
func (d *decoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// next skips space and reports whether the next byte is c, consuming it if so.
func (d *decoder) next(c byte) bool {
	d.skipSpace()
	if d.peek() == c {
		d.pos++
		return true
	}
	return false
}

func (d *decoder) request(req *request) bool {
	d.skipSpace()
	switch d.peek() {
	case '{':
		if !d.requestObject(req) {
			return false
		}
	case 'n':
		// A null body leaves the request as it was, without error.
		if !d.literal("null") {
			return false
		}
	default:
		// Anything else is either malformed or of the wrong type.
		return false
	}
	d.skipSpace()
	return d.pos == len(d.data)
}

// open consumes the '{' at d.pos and reports whether a member follows.
func (d *decoder) open() (more, ok bool) {
	d.pos++
	if d.next('}') {
		return false, true
	}
	return true, true
}

// key consumes a member's key and its colon, leaving d.pos at the value.
// The key is valid until the next string is read.
func (d *decoder) key() ([]byte, bool) {
	if d.peek() != '"' {
		return nil, false
	}
	k, ok := d.string()
	if !ok || !d.colon() {
		return nil, false
	}
	return k, true
}

// colon consumes the colon after a key and the space around it.
func (d *decoder) colon() bool {
	if !d.next(':') {
		return false
	}
	d.skipSpace()
	return true
}

// eventKey is key followed by eventField, with a shortcut for the keys as
// clients write them, which need no decoding.
func (d *decoder) eventKey() (int, bool) {
	rest := d.data[d.pos:]
	switch {
	case len(rest) >= len(`"timestamp"`) && string(rest[:len(`"timestamp"`)]) == `"timestamp"`:
		d.pos += len(`"timestamp"`)
		return fTimestamp, d.colon()
	case len(rest) >= len(`"message"`) && string(rest[:len(`"message"`)]) == `"message"`:
		d.pos += len(`"message"`)
		return fMessage, d.colon()
	}
	k, ok := d.key()
	if !ok {
		return fUnknown, false
	}
	return d.eventField(k), true
}

// close consumes what follows a member's value and reports whether another
// member follows.
func (d *decoder) close() (more, ok bool) {
	if d.next('}') {
		return false, true
	}
	if !d.next(',') {
		return false, false
	}
	d.skipSpace()
	return true, true
}

func (d *decoder) requestObject(req *request) bool {
	more, ok := d.open()
	for ok && more {
		var k []byte
		if k, ok = d.key(); !ok {
			break
		}
		switch d.requestField(k) {
		case fLogGroupName:
			ok = d.stringPtr(&req.LogGroupName)
		case fLogGroupIdentifier:
			ok = d.stringPtr(&req.LogGroupIdentifier)
		case fLogStreamName:
			ok = d.stringPtr(&req.LogStreamName)
		case fLogStreamNamePrefix:
			ok = d.stringPtr(&req.LogStreamNamePrefix)
		case fSequenceToken:
			ok = d.stringPtr(&req.SequenceToken)
		case fNextToken:
			ok = d.stringPtr(&req.NextToken)
		case fOrderBy:
			ok = d.stringPtr(&req.OrderBy)
		case fLogEvents:
			ok = d.events(req)
		case fRetentionInDays:
			ok = d.intPtr(&req.RetentionInDays)
		case fLimit:
			ok = d.intPtr(&req.Limit)
		case fStartTime:
			ok = d.int64Ptr(&req.StartTime)
		case fEndTime:
			ok = d.int64Ptr(&req.EndTime)
		case fStartFromHead:
			ok = d.boolPtr(&req.StartFromHead)
		case fDescending:
			ok = d.boolPtr(&req.Descending)
		default:
			ok = d.skip(2)
		}
		if ok {
			more, ok = d.close()
		}
	}
	return ok
}

// requestField matches a key as encoding/json does: exactly, or else
// ignoring case under Unicode simple folding.
func (d *decoder) requestField(key []byte) int {
	switch string(key) {
	case "logGroupName":
		return fLogGroupName
	case "logGroupIdentifier":
		return fLogGroupIdentifier
	case "logStreamName":
		return fLogStreamName
	case "logStreamNamePrefix":
		return fLogStreamNamePrefix
	case "logEvents":
		return fLogEvents
	case "sequenceToken":
		return fSequenceToken
	case "retentionInDays":
		return fRetentionInDays
	case "limit":
		return fLimit
	case "nextToken":
		return fNextToken
	case "startTime":
		return fStartTime
	case "endTime":
		return fEndTime
	case "startFromHead":
		return fStartFromHead
	case "orderBy":
		return fOrderBy
	case "descending":
		return fDescending
	}
	d.fold = foldKey(d.fold[:0], key)
	switch string(d.fold) {
	case "LOGGROUPNAME":
		return fLogGroupName
	case "LOGGROUPIDENTIFIER":
		return fLogGroupIdentifier
	case "LOGSTREAMNAME":
		return fLogStreamName
	case "LOGSTREAMNAMEPREFIX":
		return fLogStreamNamePrefix
	case "LOGEVENTS":
		return fLogEvents
	case "SEQUENCETOKEN":
		return fSequenceToken
	case "RETENTIONINDAYS":
		return fRetentionInDays
	case "LIMIT":
		return fLimit
	case "NEXTTOKEN":
		return fNextToken
	case "STARTTIME":
		return fStartTime
	case "ENDTIME":
		return fEndTime
	case "STARTFROMHEAD":
		return fStartFromHead
	case "ORDERBY":
		return fOrderBy
	case "DESCENDING":
		return fDescending
	}
	return fUnknown
}

func (d *decoder) eventField(key []byte) int {
	switch string(key) {
	case "timestamp":
		return fTimestamp
	case "message":
		return fMessage
	}
	d.fold = foldKey(d.fold[:0], key)
	switch string(d.fold) {
	case "TIMESTAMP":
		return fTimestamp
	case "MESSAGE":
		return fMessage
	}
	return fUnknown
}

// foldKey appends key folded so that two keys fold alike exactly when
// bytes.EqualFold says they are equal: ASCII letters upper-cased, every
// other rune replaced by the smallest rune of its case-folding orbit. That
// is how "ſ" (U+017F) matches "s" and the Kelvin sign matches "k".
func foldKey(dst, key []byte) []byte {
	for i := 0; i < len(key); {
		c := key[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(key[i:])
		for {
			next := unicode.SimpleFold(r)
			if next <= r {
				r = next
				break
			}
			r = next
		}
		dst = utf8.AppendRune(dst, r)
		i += n
	}
	return dst
}

// events decodes the logEvents array, or null, at d.pos.
func (d *decoder) events(req *request) bool {
	switch d.peek() {
	case 'n':
		req.LogEvents = nil
		return d.literal("null")
	case '[':
	default:
		return false
	}
	d.pos++
	if d.next(']') {
		// encoding/json replaces the slice with a new empty one, not nil.
		req.LogEvents = []inputEvent{}
		return true
	}
	if cap(req.LogEvents) > 0 {
		return d.eventsAgain(req)
	}
	s := d.scratch[:0]
	ok := true
	for {
		s = append(s, inputEvent{})
		if !d.element(&s[len(s)-1]) {
			ok = false
			break
		}
		if d.next(']') {
			break
		}
		if !d.next(',') {
			ok = false
			break
		}
		d.skipSpace()
	}
	if ok {
		req.LogEvents = make([]inputEvent, len(s))
		copy(req.LogEvents, s)
	}
	clear(s)
	d.scratch = s[:0]
	return ok
}

// eventsAgain decodes a logEvents array into the slice an earlier logEvents
// key of the same body left, as encoding/json does: element by element into
// the existing elements (merging objects into them), reslicing within the
// capacity (which brings back elements a shorter array cut off), growing
// beyond it, and truncating to the new length.
func (d *decoder) eventsAgain(req *request) bool {
	evs := req.LogEvents
	i := 0
	for {
		if i >= cap(evs) {
			evs = append(evs, inputEvent{})
		} else if i >= len(evs) {
			evs = evs[:i+1]
		}
		if !d.element(&evs[i]) {
			req.LogEvents = evs
			return false
		}
		i++
		if d.next(']') {
			break
		}
		if !d.next(',') {
			req.LogEvents = evs
			return false
		}
		d.skipSpace()
	}
	req.LogEvents = evs[:i]
	return true
}

// element decodes one element of logEvents into e; null leaves e alone.
func (d *decoder) element(e *inputEvent) bool {
	switch d.peek() {
	case '{':
	case 'n':
		return d.literal("null")
	default:
		return false
	}
	more, ok := d.open()
	for ok && more {
		var f int
		if f, ok = d.eventKey(); !ok {
			break
		}
		switch f {
		case fTimestamp:
			if d.peek() == 'n' {
				ok = d.literal("null")
				break
			}
			var n int64
			if n, ok = d.timestamp(); ok {
				e.Timestamp = n
			}
		case fMessage:
			if d.peek() == 'n' {
				ok = d.literal("null")
				break
			}
			if d.peek() != '"' {
				ok = false
				break
			}
			var b []byte
			if b, ok = d.string(); ok {
				e.Message = d.message(b)
			}
		default:
			ok = d.skip(4)
		}
		if ok {
			more, ok = d.close()
		}
	}
	return ok
}

// message returns b as a string kept in d.text, so that a batch's
// messages cost one allocation instead of one each. The strings keep the
// memory alive, so it is dropped, never reused, when the request is done.
func (d *decoder) message(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if d.sizesOnly && len(b) <= len(blankText) {
		return unsafe.String(&blankText[0], len(b))
	}
	// The rest of the body bounds the rest of the messages, but for
	// invalid UTF-8, which decodes to three bytes per byte.
	return d.text.String(b, len(b)+len(d.data)-d.pos)
}

func (d *decoder) stringPtr(p **string) bool {
	switch d.peek() {
	case 'n':
		*p = nil
		return d.literal("null")
	case '"':
		b, ok := d.string()
		if !ok {
			return false
		}
		s := string(b)
		*p = &s
		return true
	}
	return false
}

func (d *decoder) int64Ptr(p **int64) bool {
	if d.peek() == 'n' {
		*p = nil
		return d.literal("null")
	}
	n, ok := d.int64()
	if !ok {
		return false
	}
	*p = &n
	return true
}

func (d *decoder) intPtr(p **int) bool {
	if d.peek() == 'n' {
		*p = nil
		return d.literal("null")
	}
	n, ok := d.int64()
	if !ok || int64(int(n)) != n {
		return false
	}
	v := int(n)
	*p = &v
	return true
}

func (d *decoder) boolPtr(p **bool) bool {
	var v bool
	switch d.peek() {
	case 'n':
		*p = nil
		return d.literal("null")
	case 't':
		v = true
		if !d.literal("true") {
			return false
		}
	case 'f':
		if !d.literal("false") {
			return false
		}
	default:
		return false
	}
	*p = &v
	return true
}

func (d *decoder) literal(word string) bool {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return false
	}
	d.pos += len(word)
	return true
}

// number consumes a number and returns its text, or false if the bytes at
// d.pos are not one.
func (d *decoder) number() ([]byte, bool) {
	data, i := d.data, d.pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		return nil, false
	case data[i] == '0':
		i++
	case '1' <= data[i] && data[i] <= '9':
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			return nil, false
		}
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			return nil, false
		}
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
	}
	text := data[d.pos:i]
	d.pos = i
	return text, true
}

// int64 decodes a number into an int64 as strconv.ParseInt(text, 10, 64)
// would: a fraction, an exponent or overflow is an error, as it is for
// encoding/json.
func (d *decoder) int64() (int64, bool) {
	text, ok := d.number()
	if !ok {
		return 0, false
	}
	neg := text[0] == '-'
	if neg {
		text = text[1:]
	}
	limit := uint64(1<<63 - 1)
	if neg {
		limit = 1 << 63
	}
	var u uint64
	for _, c := range text {
		if c < '0' || c > '9' {
			return 0, false
		}
		digit := uint64(c - '0')
		if u > (limit-digit)/10 {
			return 0, false
		}
		u = u*10 + digit
	}
	if neg {
		return int64(-u), true
	}
	return int64(u), true
}

// timestamp is int64 for an event's timestamp: when the text at d.pos is
// the last timestamp's, digit for digit, and the number ends there, it
// returns the last value without parsing.
func (d *decoder) timestamp() (int64, bool) {
	start, n := d.pos, len(d.lastTS)
	if n > 0 && start+n < len(d.data) && string(d.data[start:start+n]) == string(d.lastTS) {
		switch c := d.data[start+n]; {
		case '0' <= c && c <= '9', c == '.', c == 'e', c == 'E':
			// A longer number, or one int64 refuses: parse it.
		default:
			d.pos += n
			return d.lastTSVal, true
		}
	}
	v, ok := d.int64()
	if ok {
		d.lastTS, d.lastTSVal = d.data[start:d.pos], v
	}
	return v, ok
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special sets the high bit of exactly the bytes of x that need a closer
// look inside a string: quote, backslash, control character or non-ASCII.
func special(x uint64) uint64 {
	const lows7f = 0x7f * lows
	q := x ^ ('"' * lows)
	bs := x ^ ('\\' * lows)
	// A lane of v is zero exactly when (v&0x7f + 0x7f | v) lacks its high
	// bit; a lane of x is below 0x20 when x&0x7f + 0x60 lacks it too.
	ctl := x&lows7f + (0x80-0x20)*lows
	return ^(ctl&(q&lows7f+lows7f|q)&(bs&lows7f+lows7f|bs))&highs | x&highs
}

// string consumes the string whose opening quote is at d.pos and returns
// its decoded bytes: a slice of the body when it needs no decoding, else of
// d.str, valid until the next call either way.
func (d *decoder) string() ([]byte, bool) {
	data := d.data
	start := d.pos + 1
	i := start
	for {
		for i+8 <= len(data) && special(binary.LittleEndian.Uint64(data[i:])) == 0 {
			i += 8
		}
		if i >= len(data) {
			return nil, false
		}
		c := data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return data[start:i], true
		case c == '\\' || c < ' ':
			return d.decodeString(start, i)
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				return d.decodeString(start, i)
			}
			i += n
		}
	}
}

// decodeString finishes a string whose bytes from start to i were plain,
// replacing escapes and invalid UTF-8 as encoding/json does.
//
// Where the CPU allows, runs of ASCII with the escapes \" and \/ go to
// jsonstr.UnescapeChunks, sixteen bytes at a time. Otherwise it reads a
// word at a time. Plain bytes and the two-byte escapes \", \\ and \/ that
// lie within the word are written with whole-word stores (the lanes past
// what is kept are overwritten later), so escaped JSON costs a few
// instructions per escape. Anything else is decoded a byte or a character
// at a time.
func (d *decoder) decodeString(start, i int) ([]byte, bool) {
	data := d.data
	b := append(d.str[:0], data[start:i]...)
	defer func() { d.str = b[:0] }()
	vecFrom := i // where UnescapeChunks may next be tried
	for i < len(data) {
		if d.vector && i >= vecFrom && len(data)-i >= jsonstr.ChunkSize {
			if cap(b)-len(b) < 64 {
				b = slices.Grow(b, 64)
			}
			r, w := jsonstr.UnescapeChunks(b[len(b):cap(b)], data[i:])
			b = b[:len(b)+w]
			i += r
			// The chunk it stopped at holds what only the code below
			// decodes (see jsonstr.ChunkSize).
			vecFrom = i + jsonstr.ChunkSize
			continue
		}
		if i+8 <= len(data) {
			// A word's output is at most 8 bytes, and each store writes 8
			// from a point inside it.
			if cap(b)-len(b) < 16 {
				b = slices.Grow(b, 16)
			}
			out := b[len(b):cap(b)]
			w := binary.LittleEndian.Uint64(data[i:])
			m := special(w)
			j, p := 0, 0 // bytes written to out; lanes of w used up
			for m != 0 {
				k := bits.TrailingZeros64(m) >> 3
				if k == 7 || byte(w>>(8*k)) != '\\' {
					break
				}
				e := byte(w >> (8*k + 8))
				if e != '"' && e != '\\' && e != '/' {
					break
				}
				binary.LittleEndian.PutUint64(out[j:], w>>(8*p))
				j += k - p
				out[j] = e
				j++
				p = k + 2
				m &^= 1<<(8*p) - 1
			}
			k := 8
			if m != 0 {
				k = bits.TrailingZeros64(m) >> 3
			}
			binary.LittleEndian.PutUint64(out[j:], w>>(8*p))
			b = b[:len(b)+j+k-p]
			i += k
			if k == 8 {
				continue
			}
		} else {
			for i < len(data) && data[i] >= ' ' && data[i] < utf8.RuneSelf && data[i] != '"' && data[i] != '\\' {
				b = append(b, data[i])
				i++
			}
			if i >= len(data) {
				break
			}
		}
		c := data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return b, true
		case c < ' ':
			return nil, false
		case c == '\\':
			if i+1 >= len(data) {
				return nil, false
			}
			switch data[i+1] {
			case '"', '\\', '/':
				b = append(b, data[i+1])
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := hex4(data[i+2:])
				if r < 0 {
					return nil, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// A surrogate counts only as the first half of a
					// pair escaped right after it; otherwise it becomes
					// U+FFFD and what follows is read on its own.
					if pair := utf16.DecodeRune(r, hex4IfEscape(data[i:])); pair != unicode.ReplacementChar {
						b = utf8.AppendRune(b, pair)
						i += 6
						continue
					}
					r = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return nil, false
			}
			i += 2
		default:
			// An invalid byte decodes as RuneError of width 1, so each
			// one becomes its own U+FFFD.
			r, n := utf8.DecodeRune(data[i:])
			b = utf8.AppendRune(b, r)
			i += n
		}
	}
	return nil, false
}

// hex4 decodes the 4 hex digits at the start of s, or returns -1.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// hex4IfEscape decodes a \uXXXX escape at the start of s, or returns -1.
func hex4IfEscape(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	return hex4(s[2:])
}

// skip consumes one value of any kind, checking its syntax; depth is the
// nesting level the value would open.
func (d *decoder) skip(depth int) bool {
	switch c := d.peek(); {
	case c == '"':
		_, ok := d.string()
		return ok
	case c == '{':
		if depth > maxDepth {
			return false
		}
		more, ok := d.open()
		for ok && more {
			if _, ok = d.key(); ok && d.skip(depth+1) {
				more, ok = d.close()
			} else {
				ok = false
			}
		}
		return ok
	case c == '[':
		if depth > maxDepth {
			return false
		}
		d.pos++
		if d.next(']') {
			return true
		}
		for {
			if !d.skip(depth + 1) {
				return false
			}
			if d.next(']') {
				return true
			}
			if !d.next(',') {
				return false
			}
			d.skipSpace()
		}
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		_, ok := d.number()
		return ok
	}
	return false
}
