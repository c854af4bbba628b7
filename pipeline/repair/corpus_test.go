package repair

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusDir holds the repair corpus made by testdata/repair/generate.py.
const corpusDir = "../../testdata/repair"

// mojiVariants are the damaged copies generate.py writes: UTF-8 read as
// each code page.
var mojiVariants = []string{"cp1252", "latin1", "double", "macroman", "cp850", "cp437"}

// corpusSources returns the clean texts of the corpus by name.
func corpusSources(t testing.TB) map[string]string {
	return map[string]string{
		"seed003":  readFile(t, seed003),
		"seed004":  readFile(t, seed004),
		"register": readFile(t, filepath.Join(corpusDir, "clean", "register.txt")),
	}
}

// TestMojibakeLines repairs the corpus's mojibake line by line (each line
// a separate Text call, so no line borrows evidence from another): every
// line must come back exactly, for every code page, and clean lines must
// not change.
func TestMojibakeLines(t *testing.T) {
	r := New()
	src := corpusSources(t)
	names := make([]string, 0, len(src))
	for n := range src {
		names = append(names, n)
	}
	sort.Strings(names)
	cleanChanged, cleanLines := 0, 0
	for _, name := range names {
		for _, l := range strings.Split(src[name], "\n") {
			cleanLines++
			if out, _ := r.Text(l); out != l {
				cleanChanged++
				t.Errorf("%s: clean line changed:\n  %q\n→ %q", name, l, out)
			}
		}
	}
	t.Logf("clean: %d of %d lines changed", cleanChanged, cleanLines)
	for _, v := range mojiVariants {
		total, damaged, restored := 0, 0, 0
		for _, name := range names {
			path := filepath.Join(corpusDir, "mojibake", name+"."+v+".txt")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run testdata/repair/generate.py)", err)
			}
			want := strings.Split(src[name], "\n")
			got := strings.Split(string(b), "\n")
			if len(want) != len(got) {
				t.Fatalf("%s: %d lines, clean has %d", path, len(got), len(want))
			}
			for i, l := range got {
				total++
				if l == want[i] {
					continue
				}
				damaged++
				out, _ := r.Text(l)
				if out == want[i] {
					restored++
				} else if restored+10 > damaged {
					t.Errorf("%s line %d:\n  in   %q\n  got  %q\n  want %q", filepath.Base(path), i+1, l, out, want[i])
				}
			}
		}
		t.Logf("%-9s %4d lines, %4d damaged, %4d restored (%s)", v, total, damaged, restored, pct(restored, damaged))
		if restored != damaged {
			t.Errorf("%s: %d of %d damaged lines restored", v, restored, damaged)
		}
	}
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}
