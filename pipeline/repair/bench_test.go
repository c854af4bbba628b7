package repair

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// benchClean is correct Swedish text from the clean seeds and the corpus's
// register, repeated to about n bytes.
func benchClean(b *testing.B, n int) string {
	var parts []string
	for _, p := range []string{seed001, seed003, seed004, filepath.Join(corpusDir, "clean", "register.txt")} {
		parts = append(parts, readFile(b, p))
	}
	one := strings.Join(parts, "\n")
	return strings.Repeat(one, n/len(one)+1)
}

// mojibakeOf reads the UTF-8 bytes of s with the named code page, as the
// corpus's variants do.
func mojibakeOf(s, variant string) string {
	switch variant {
	case "cp1252":
		return decodeSloppy1252([]byte(s))
	case "latin1":
		var sb strings.Builder
		for _, c := range []byte(s) {
			sb.WriteRune(rune(c))
		}
		return sb.String()
	case "double":
		return decodeSloppy1252([]byte(decodeSloppy1252([]byte(s))))
	case "macroman":
		return decodeCharmap([]byte(s), charmap.Macintosh)
	case "cp850":
		return decodeCharmap([]byte(s), charmap.CodePage850)
	case "cp437":
		return decodeCharmap([]byte(s), charmap.CodePage437)
	}
	panic("unknown variant " + variant)
}

// benchBlock is the size of one Text call, as `registerlyft fix` and the
// pipeline call it on a file's text.
const benchBlock = 64 << 10

// blocks cuts s into blocks of about benchBlock bytes at line ends.
func blocks(s string) []string {
	var out []string
	for len(s) > 0 {
		n := min(benchBlock, len(s))
		if i := strings.IndexByte(s[n:], '\n'); i >= 0 {
			n += i + 1
		} else {
			n = len(s)
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

// BenchmarkTextCleanCorpus: the fast path on 2 MB of correct Swedish.
func BenchmarkTextCleanCorpus(b *testing.B) {
	s := benchClean(b, 2<<20)
	bl := blocks(s)
	r := New()
	for _, x := range bl {
		if out, fx := r.Text(x); out != x || len(fx) > 0 {
			b.Fatal("clean text changed")
		}
	}
	b.SetBytes(int64(len(s)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, x := range bl {
			r.Text(x)
		}
	}
}

// BenchmarkTextMojibake: about 2 MB of the clean corpus as UTF-8 read with
// each code page, repaired in 64 KiB blocks. Before timing, the whole
// corpus is checked line by line (each line alone) and block by block:
// every line must come back exactly. ftfy 6.3.1's fix_encoding runs at
// 4.5 MB/s on this machine (see the issue); the ftfy-x metric is the ratio.
func BenchmarkTextMojibake(b *testing.B) {
	clean := benchClean(b, 2<<20)
	r := New()
	for _, v := range mojiVariants {
		b.Run(v, func(b *testing.B) {
			moji := mojibakeOf(clean, v)
			bl := blocks(moji)
			var sb strings.Builder
			for _, x := range bl {
				out, _ := r.Text(x)
				sb.WriteString(out)
			}
			if sb.String() != clean {
				b.Fatalf("%s: block repair differs from the clean text at %q", v, diffAt(sb.String(), clean))
			}
			cl, ml := strings.Split(clean, "\n"), strings.Split(moji, "\n")
			seen := map[string]bool{}
			for i, l := range ml {
				if seen[l] {
					continue // repeated text: each distinct line once
				}
				seen[l] = true
				if out, _ := r.Text(l); out != cl[i] {
					b.Fatalf("%s line %d not restored: %q → %q", v, i+1, l, out)
				}
			}
			b.SetBytes(int64(len(moji)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, x := range bl {
					r.Text(x)
				}
			}
			b.StopTimer()
			if sec := b.Elapsed().Seconds(); sec > 0 {
				mbs := float64(len(moji)) * float64(b.N) / sec / 1e6
				b.ReportMetric(mbs/4.5, "ftfy-x")
			}
		})
	}
}

// BenchmarkTextOCRCorpus: the Tesseract pages of the corpus (OCR-damaged,
// every word looked up).
func BenchmarkTextOCRCorpus(b *testing.B) {
	var parts []string
	for _, p := range ocrPages {
		parts = append(parts, readFile(b, filepath.Join(corpusDir, "ocr", p+".txt")))
	}
	r := New()
	b.SetBytes(int64(len(strings.Join(parts, ""))))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range parts {
			r.Text(p)
		}
	}
}

// BenchmarkLexiconLoad loads the lexicon afresh and reports the heap it
// keeps (MB-heap). The pipeline loads it once per process and every worker
// shares it, so a worker's own cost is its Repairer (learned words only).
func BenchmarkLexiconLoad(b *testing.B) {
	var keep *lexicon
	var before, after runtime.MemStats
	for i := 0; i < b.N; i++ {
		runtime.GC()
		runtime.ReadMemStats(&before)
		keep = loadLexicon()
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-heap")
	b.ReportMetric(float64(keep.forms.len()), "forms")
	runtime.KeepAlive(keep)
}
