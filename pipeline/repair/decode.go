package repair

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Encoding names that Decode returns.
const (
	EncUTF8     = "utf-8"
	EncUTF8BOM  = "utf-8-bom"
	EncUTF16LE  = "utf-16le"
	EncUTF16BE  = "utf-16be"
	EncCP1252   = "windows-1252"
	EncCP850    = "cp850"
	EncCP437    = "cp437"
	EncMacRoman = "macintosh"
)

// ErrBinary is returned (wrapped) by Decode for input that is not text.
var ErrBinary = errors.New("input is not text")

// sniffLen is how much of the input the binary and UTF-16 tests look at.
const sniffLen = 8192

var binaryMagic = []struct {
	magic []byte
	what  string
}{
	{[]byte("%PDF-"), "PDF"},
	{[]byte("PK\x03\x04"), "ZIP (docx/xlsx?)"},
	{[]byte("\x89PNG"), "PNG"},
	{[]byte("GIF8"), "GIF"},
	{[]byte("\xFF\xD8\xFF"), "JPEG"},
	{[]byte("\xD0\xCF\x11\xE0"), "OLE (doc/xls?)"},
	{[]byte("\x1F\x8B"), "gzip"},
	{[]byte("II*\x00"), "TIFF"},
	{[]byte("MM\x00*"), "TIFF"},
}

// IsBinary reports whether b is not text: a known binary signature, a NUL
// byte (outside UTF-16), or many control bytes. The second result names
// what was seen.
func IsBinary(b []byte) (bool, string) {
	for _, m := range binaryMagic {
		if bytes.HasPrefix(b, m.magic) {
			return true, m.what + " signature"
		}
	}
	if hasBOM16(b) || utf16Order(b) != "" {
		return false, ""
	}
	head := b
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	ctrl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true, "NUL byte"
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b:
			ctrl++
		}
	}
	if len(head) > 0 && ctrl*20 > len(head) {
		return true, fmt.Sprintf("%d control bytes in %d", ctrl, len(head))
	}
	return false, ""
}

func hasBOM16(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

// utf16Order detects UTF-16 without a byte-order mark by where the NUL
// bytes of ASCII characters fall: "le", "be" or "".
func utf16Order(b []byte) string {
	if len(b) > sniffLen {
		b = b[:sniffLen]
	}
	pairs := len(b) / 2
	if pairs < 2 {
		return ""
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*10 >= pairs*4 && even*20 <= pairs:
		return "le"
	case even*10 >= pairs*4 && odd*20 <= pairs:
		return "be"
	}
	return ""
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	s := string(utf16.Decode(u))
	if len(b)%2 == 1 {
		s += "\uFFFD"
	}
	return s
}

// Decode turns a file's bytes into valid UTF-8 text in NFC and names the
// encoding it chose. A byte-order mark is stripped (UTF-8, UTF-16LE/BE);
// UTF-16 without one is found by its NUL pattern; valid UTF-8 stays UTF-8.
// Other input is read as Windows-1252 (a sloppy table that keeps the five
// undefined bytes as C1 controls) unless CP850, CP437 or Mac Roman reads
// clearly more Swedish (more known words with å/ä/ö, fewer symbols inside
// words). The error (wrapping ErrBinary) is only for input that is not text
// at all; line endings are left as they are.
func (r *Repairer) Decode(b []byte) (text string, encoding string, err error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return nfc(strings.ToValidUTF8(string(b[3:]), "\uFFFD")), EncUTF8BOM, nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return nfc(decodeUTF16(b[2:], false)), EncUTF16LE, nil
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return nfc(decodeUTF16(b[2:], true)), EncUTF16BE, nil
	}
	switch utf16Order(b) {
	case "le":
		return nfc(decodeUTF16(b, false)), EncUTF16LE, nil
	case "be":
		return nfc(decodeUTF16(b, true)), EncUTF16BE, nil
	}
	if bin, what := IsBinary(b); bin {
		return "", "", fmt.Errorf("decode: %w (%s)", ErrBinary, what)
	}
	if utf8.Valid(b) {
		return nfc(string(b)), EncUTF8, nil
	}
	best, bestEnc := decodeSloppy1252(b), EncCP1252
	bestScore := r.swedishScore(best)
	for _, alt := range []struct {
		name string
		cm   *charmap.Charmap
	}{{EncCP850, charmap.CodePage850}, {EncCP437, charmap.CodePage437}, {EncMacRoman, charmap.Macintosh}} {
		t := decodeCharmap(b, alt.cm)
		if sc := r.swedishScore(t); sc > 0 && sc >= bestScore+3 {
			best, bestEnc, bestScore = t, alt.name, sc
		}
	}
	return nfc(best), bestEnc, nil
}

func nfc(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

func decodeSloppy1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		if c < utf8.RuneSelf {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(sloppy1252[c])
		}
	}
	return sb.String()
}

func decodeCharmap(b []byte, cm *charmap.Charmap) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		sb.WriteRune(cm.DecodeByte(c))
	}
	return sb.String()
}

// swedishScore rates how Swedish a decoding reads: +2 for each known word
// with å/ä/ö, -1 for each non-ASCII symbol between two letters ("h„r").
func (r *Repairer) swedishScore(s string) int {
	score := 0
	v := view{lx: r.lx}
	forEachWord(s, func(w string) {
		if hasDiacritic(w) && v.lookup(w)&infoWord != 0 {
			score += 2
		}
	})
	rs := []rune(s)
	for i := 1; i+1 < len(rs); i++ {
		c := rs[i]
		if c >= utf8.RuneSelf && !unicode.IsLetter(c) && isLetter(rs[i-1]) && isLetter(rs[i+1]) {
			score--
		}
	}
	return score
}

// Encodings lists the names DecodeAs accepts (aliases included).
var Encodings = []string{EncUTF8, EncUTF16LE, EncUTF16BE, EncCP1252, "cp1252", "latin1", "iso-8859-1", EncCP850, EncCP437, EncMacRoman, "macroman", "mac"}

// DecodeAs decodes b as the named encoding (one of Encodings), for a
// source whose code page is known: a leading byte-order mark is dropped,
// invalid UTF-8 becomes U+FFFD, and the text is put in NFC. It returns the
// canonical name of the encoding.
func (r *Repairer) DecodeAs(b []byte, name string) (string, string, error) {
	switch strings.ToLower(name) {
	case EncUTF8, "utf8", EncUTF8BOM:
		b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
		return nfc(strings.ToValidUTF8(string(b), "\uFFFD")), EncUTF8, nil
	case EncUTF16LE, "utf16le":
		return nfc(decodeUTF16(bytes.TrimPrefix(b, []byte{0xFF, 0xFE}), false)), EncUTF16LE, nil
	case EncUTF16BE, "utf16be":
		return nfc(decodeUTF16(bytes.TrimPrefix(b, []byte{0xFE, 0xFF}), true)), EncUTF16BE, nil
	case EncCP1252, "cp1252", "latin1", "latin-1", "iso-8859-1":
		return nfc(decodeSloppy1252(b)), EncCP1252, nil
	case EncCP850, "ibm850":
		return nfc(decodeCharmap(b, charmap.CodePage850)), EncCP850, nil
	case EncCP437, "ibm437":
		return nfc(decodeCharmap(b, charmap.CodePage437)), EncCP437, nil
	case EncMacRoman, "macroman", "mac", "mac-roman":
		return nfc(decodeCharmap(b, charmap.Macintosh)), EncMacRoman, nil
	}
	return "", "", fmt.Errorf("decode: unknown encoding %q (known: %s)", name, strings.Join(Encodings, ", "))
}
