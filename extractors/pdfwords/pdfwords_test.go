package pdfwords

import (
	"errors"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const fixtures = "../../testdata/tables"

// pdftotextWords returns the words pdftotext finds in the PDF (its -bbox
// word list, which does not join line-end hyphenation as its text output
// does): by running it when it is installed, else from the committed list
// next to the PDF (one word a line, made by make-fixtures.sh).
func pdftotextWords(t testing.TB, pdf string) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		out, err := os.ReadFile(strings.TrimSuffix(pdf, ".pdf") + ".txt")
		if err != nil {
			t.Fatalf("committed pdftotext words of %s: %v", pdf, err)
		}
		return strings.Fields(string(out))
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	var words []string
	for _, m := range bboxWord.FindAllStringSubmatch(string(out), -1) {
		words = append(words, strings.Fields(html.UnescapeString(m[1]))...)
	}
	return words
}

var bboxWord = regexp.MustCompile(`<word [^>]*>([^<]*)</word>`)

// TestPdftotextWords checks that every word pdftotext finds in the PDFs of
// five producers is found here too (as a bag of words: the same word as
// often), and that nothing is invented.
func TestPdftotextWords(t *testing.T) {
	for _, name := range []string{"libreoffice", "cairo", "ghostscript", "ocrmypdf", "std14"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(fixtures, "words", name+".pdf")
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Read(data)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			got := map[string]int{}
			n := 0
			for _, p := range doc.Pages {
				if p.Err != nil {
					t.Errorf("page %d: %v", p.N, p.Err)
				}
				for _, w := range p.Words {
					for _, f := range strings.Fields(w.Text) {
						got[f]++
						n++
					}
				}
			}
			want := pdftotextWords(t, path)
			for i, w := range want {
				want[i] = unswap(w)
			}
			missing := map[string]int{}
			found := 0
			for _, w := range want {
				if got[w] > 0 {
					got[w]--
					found++
				} else {
					missing[w]++
				}
			}
			extra := map[string]int{}
			for w, c := range got {
				if c > 0 {
					extra[w] = c
				}
			}
			t.Logf("%s: %d/%d pdftotext words (%.2f%%), %d words read", name, found, len(want), 100*float64(found)/float64(len(want)), n)
			if found != len(want) {
				t.Errorf("missing %d words: %v; extra: %v", len(want)-found, missing, extra)
			}
			if len(extra) > 0 {
				t.Errorf("words pdftotext does not find: %v", extra)
			}
		})
	}
}

// TestBadPDFs checks that broken inputs give the right error, never a panic.
func TestBadPDFs(t *testing.T) {
	var filterErr *FilterError
	var corrupt *CorruptError
	tests := []struct {
		file  string
		check func(doc *Doc, err error) bool
		want  string
	}{
		{"encrypted.pdf", func(_ *Doc, err error) bool { return errors.Is(err, ErrEncrypted) }, "ErrEncrypted"},
		{"zero_pages.pdf", func(_ *Doc, err error) bool { return errors.Is(err, ErrNoPages) }, "ErrNoPages"},
		{"truncated.pdf", func(_ *Doc, err error) bool { return errors.As(err, &corrupt) }, "*CorruptError"},
		{"malformed.pdf", func(_ *Doc, err error) bool { return errors.As(err, &corrupt) }, "*CorruptError"},
		{"lzw.pdf", func(doc *Doc, err error) bool {
			return err == nil && len(doc.Pages) == 1 && errors.As(doc.Pages[0].Err, &filterErr) && filterErr.Filter == "LZWDecode"
		}, "page error *FilterError LZWDecode"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(fixtures, "bad", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Read(data)
			if !tt.check(doc, err) {
				var perr error
				if doc != nil && len(doc.Pages) > 0 {
					perr = doc.Pages[0].Err
				}
				t.Errorf("Read(%s) = error %v (page error %v), want %s", tt.file, err, perr, tt.want)
			}
		})
	}
}

// unswap undoes Ghostscript's byte-swapped ligatures in pdftotext's words
// ("o昀昀entlighets" → "offentlighets"), which Read repairs: pdftotext reads
// the ToUnicode map as written.
func unswap(w string) string {
	rs := []rune(w)
	for i, r := range rs {
		if r&0xff == 0 && r>>8 >= 0x21 && r>>8 <= 0x7e && r > 0xff {
			rs[i] = r >> 8
		}
	}
	return string(rs)
}
