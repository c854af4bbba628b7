package repair

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// peerDir holds ftfy's own test cases (see its README.md).
const peerDir = "../../../shared/peer/ftfy"

type ftfyCase struct {
	Label         string `json:"label"`
	Original      string `json:"original"`
	Fixed         string `json:"fixed"`
	FixedEncoding string `json:"fixed-encoding"`
	Expect        string `json:"expect"`
	file          string
}

func (c ftfyCase) want() string {
	if c.FixedEncoding != "" {
		return c.FixedEncoding
	}
	return c.Fixed
}

func loadFtfy(t *testing.T) []ftfyCase {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(peerDir, "*.json"))
	if len(files) == 0 {
		t.Skipf("no ftfy cases in %s", peerDir)
	}
	var all []ftfyCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cs []ftfyCase
		if err := json.Unmarshal(b, &cs); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i := range cs {
			cs[i].file = filepath.Base(f)
		}
		all = append(all, cs...)
	}
	return all
}

// ftfySubset says whether a case belongs to the Latin-script subset this
// package is measured on, and why not. Negative cases (the text must stay
// as it is) are always in. A positive case is in when its repaired text is
// Latin script and its damaged text is made of characters of the code pages
// this package undoes (Windows-1252, Latin-1, Mac Roman, CP850, CP437),
// characters the repaired text has anyway, or '?'. Out are: other scripts
// and the code pages of other scripts (Windows-1250/1251, ISO-8859-2, whose
// letters are outside that repertoire), CESU-8 (emoji as surrogate pairs:
// not a code page mix-up) and lossy cases whose answer is U+FFFD (where
// ftfy guesses which bytes were lost).
func ftfySubset(c ftfyCase) (bool, string) {
	want := c.want()
	if c.Original == want {
		return true, ""
	}
	for _, r := range want {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false, "script"
		}
		if r > 0xffff {
			return false, "cesu-8"
		}
	}
	if strings.ContainsRune(want, utf8.RuneError) && !strings.Contains(c.Original, "ï¿½") {
		return false, "lossy"
	}
	for _, r := range c.Original {
		if r < utf8.RuneSelf || strings.ContainsRune(want, r) || r == '?' {
			continue
		}
		inPage := false
		for _, p := range pages {
			if _, ok := p.byteOf(r); ok {
				inPage = true
			}
		}
		if !inPage {
			return false, "code page"
		}
	}
	return true, ""
}

// sameModuloQuotes compares after NFC and with curly quotes made straight
// (ftfy's fix_text straightens them; a pure encoding repair does not).
func sameModuloQuotes(a, b string) bool {
	q := strings.NewReplacer("“", `"`, "”", `"`, "„", `"`, "‘", "'", "’", "'", "‚", "'")
	return q.Replace(norm.NFC.String(a)) == q.Replace(norm.NFC.String(b))
}

// TestFtfyPeer runs ftfy's test cases of the Latin-script subset: at least
// as many must pass as pass with ftfy itself, and no negative case may be
// changed.
func TestFtfyPeer(t *testing.T) {
	r := New()
	type tally struct{ n, pass, ftfy, neg, negKept int }
	per := map[string]*tally{}
	total := &tally{}
	excluded := map[string]int{}
	var fails []string
	for _, c := range loadFtfy(t) {
		in, why := ftfySubset(c)
		if !in {
			excluded[why]++
			continue
		}
		tl := per[c.file]
		if tl == nil {
			tl = &tally{}
			per[c.file] = tl
		}
		got, _ := r.Text(c.Original)
		ok := got == c.want() || sameModuloQuotes(got, c.want())
		neg := c.Original == c.want()
		for _, x := range []*tally{tl, total} {
			x.n++
			if ok {
				x.pass++
			}
			if c.Expect == "pass" {
				x.ftfy++
			}
			if neg {
				x.neg++
				if ok {
					x.negKept++
				}
			}
		}
		if !ok {
			fails = append(fails, c.file+": "+c.Label)
			if neg {
				t.Errorf("negative case changed: %s\n  in  %q\n  got %q", c.Label, c.Original, got)
			} else {
				t.Logf("miss (ftfy: %s): %s\n  in   %q\n  got  %q\n  want %q", c.Expect, c.Label, c.Original, got, c.want())
			}
		}
	}
	for f, x := range per {
		t.Logf("%-20s %3d cases: %3d pass (ftfy %3d); negatives kept %d/%d", f, x.n, x.pass, x.ftfy, x.negKept, x.neg)
	}
	t.Logf("Latin-script subset: %d cases, %d pass, ftfy passes %d; negatives kept %d/%d; excluded %v",
		total.n, total.pass, total.ftfy, total.negKept, total.neg, excluded)
	if total.pass < total.ftfy {
		t.Errorf("%d pass, fewer than ftfy's %d", total.pass, total.ftfy)
	}
}
