package shiptest

import "encoding/binary"

// Choices turns a fuzz input into a sequence of choices, reading it from
// the front; past its end every choice is zero. Fuzz targets build records
// from it, so that the committed seed corpora keep meaning the same inputs.
type Choices struct {
	Data []byte // what is left of the input
}

// Byte returns the next byte of the input.
func (c *Choices) Byte() byte {
	if len(c.Data) == 0 {
		return 0
	}
	b := c.Data[0]
	c.Data = c.Data[1:]
	return b
}

// Intn returns a choice in [0, n), from one byte; n is at most 256.
func (c *Choices) Intn(n int) int { return int(c.Byte()) % n }

// Uint64 returns the next eight bytes, little-endian, zero-padded.
func (c *Choices) Uint64() uint64 {
	var b [8]byte
	n := copy(b[:], c.Data)
	c.Data = c.Data[n:]
	return binary.LittleEndian.Uint64(b[:])
}

// Text returns, half the time, one of awkward (strings an encoder gets
// wrong), and otherwise up to 23 raw bytes of the input, which may be
// invalid UTF-8.
func (c *Choices) Text(awkward []string) string { return c.TextUpTo(awkward, 23) }

// TextUpTo is Text with up to most raw bytes; most is at most 255.
func (c *Choices) TextUpTo(awkward []string, most int) string {
	if i := c.Intn(2 * len(awkward)); i < len(awkward) {
		return awkward[i]
	}
	n := min(c.Intn(most+1), len(c.Data))
	s := string(c.Data[:n])
	c.Data = c.Data[n:]
	return s
}
