// Package sniff decides what kind of input a file is from its content, not
// only from its name: a PDF, an image, an office document (by the entries of
// its zip container), HTML, plain text, or something registerlyft cannot
// read (binary, empty). The name's extension only breaks ties between kinds
// whose bytes look alike (CSV and plain text).
package sniff

import (
	"archive/zip"
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Kinds of input.
const (
	PDF     = "pdf"
	PNG     = "png"
	JPEG    = "jpeg"
	TIFF    = "tiff"
	HTML    = "html"
	Text    = "txt"
	CSV     = "csv"
	DOCX    = "docx"
	XLSX    = "xlsx"
	ODF     = "odf"
	XLS     = "xls" // legacy OLE2 office file
	Zip     = "zip"
	Empty   = "empty"
	Binary  = "binary"
	Unknown = "unknown"
)

// Kind returns the kind of the file with the given name and (leading) content.
// head should hold at least the first 8 KiB of the file, or all of it.
// For zip containers, full must be the whole file so that its entries can be
// listed; it may be nil, and then zip files are reported as Zip.
func Kind(name string, head, full []byte) string {
	if len(head) == 0 {
		return Empty
	}
	if isBlank(head) && len(full) == len(head) {
		return Empty
	}
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")) || bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(head, []byte("II*\x00")) || bytes.HasPrefix(head, []byte("MM\x00*")):
		return TIFF
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return zipKind(full)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return XLS
	}
	if !looksLikeText(head) {
		return Binary
	}
	if looksLikeHTML(head) {
		return HTML
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".csv" || ext == ".tsv" {
		return CSV
	}
	if looksDelimited(head, len(full) > len(head)) {
		return CSV
	}
	return Text
}

// looksDelimited reports whether text (of any name) is clearly a table
// delimited by ";" or tabs, as registers exported from old systems under
// a .txt name are: at least four lines, and at least 70% of the non-blank
// lines hold the same number (two or more) of the same delimiter. Prose
// that uses semicolons, and flat text tables that align columns with
// spaces, do not. truncated says head is only the start of the file, so
// its last line may be cut.
func looksDelimited(head []byte, truncated bool) bool {
	lines := bytes.Split(head, []byte("\n"))
	if truncated && len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	nonBlank := 0
	for _, l := range lines {
		if len(bytes.TrimSpace(l)) > 0 {
			nonBlank++
		}
	}
	if nonBlank < 4 {
		return false
	}
	for _, d := range []byte{';', '\t'} {
		counts := map[int]int{}
		for _, l := range lines {
			if len(bytes.TrimSpace(l)) > 0 {
				counts[bytes.Count(l, []byte{d})]++
			}
		}
		for n, c := range counts {
			if n >= 2 && c >= 4 && c*10 >= nonBlank*7 {
				return true
			}
		}
	}
	return false
}

func isBlank(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	return len(bytes.TrimSpace(b)) == 0
}

// zipKind tells an office document by the entries of its zip container.
// A Word package is a DOCX also when it is damaged: when its container
// cannot be read (truncated) but its local file headers name word/ parts,
// and when it lacks its main part but holds other word/ parts; the DOCX
// reader then quarantines it with the reason.
func zipKind(full []byte) string {
	if full == nil {
		return Zip
	}
	zr, err := zip.NewReader(bytes.NewReader(full), int64(len(full)))
	if err != nil {
		if localNameHasPrefix(full, "word/") {
			return DOCX
		}
		return Binary
	}
	word := false
	for _, f := range zr.File {
		switch {
		case f.Name == "word/document.xml":
			return DOCX
		case f.Name == "xl/workbook.xml":
			return XLSX
		case f.Name == "mimetype" || strings.HasPrefix(f.Name, "content.xml"):
			return ODF
		}
		word = word || strings.HasPrefix(f.Name, "word/")
	}
	if word {
		return DOCX
	}
	return Zip
}

// localNameHasPrefix reports whether one of the zip local file headers in
// b (looked for from the start, at most 1,000 of them) names an entry
// starting with prefix.
func localNameHasPrefix(b []byte, prefix string) bool {
	sig := []byte("PK\x03\x04")
	for off, n := 0, 0; n < 1000; n++ {
		i := bytes.Index(b[off:], sig)
		if i < 0 {
			return false
		}
		h := off + i
		if h+30 <= len(b) {
			nameLen := int(b[h+26]) | int(b[h+27])<<8
			if h+30+nameLen <= len(b) && strings.HasPrefix(string(b[h+30:h+30+nameLen]), prefix) {
				return true
			}
		}
		off = h + len(sig)
	}
	return false
}

// looksLikeText reports whether b is text in some encoding registerlyft can
// decode: UTF-8, UTF-16 (with or without BOM) or a single-byte code page.
func looksLikeText(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	if utf16Pattern(b) {
		return true
	}
	// Cut a possibly truncated UTF-8 sequence at the end of the sample.
	if len(b) > 4 {
		for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	ctrl := 0
	for _, c := range b {
		if c == 0 {
			return false
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1A {
			ctrl++
		}
	}
	return ctrl*100 <= len(b) // at most 1% control characters
}

// utf16Pattern detects UTF-16 text without a BOM: NUL bytes in every other
// position, as Latin-script text in UTF-16 has.
func utf16Pattern(b []byte) bool {
	n := min(len(b), 512) &^ 1
	if n < 8 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	return (odd*10 >= half*8 && even*10 <= half) || (even*10 >= half*8 && odd*10 <= half)
}

func looksLikeHTML(b []byte) bool {
	s := strings.ToLower(string(b[:min(len(b), 2048)]))
	s = strings.TrimLeft(strings.TrimPrefix(s, "\ufeff"), " \t\r\n")
	for _, p := range []string{"<!doctype html", "<html", "<head", "<?xml version=\"1.0\"?>\n<html"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return strings.Contains(s, "<html") && strings.Contains(s, "<body")
}
