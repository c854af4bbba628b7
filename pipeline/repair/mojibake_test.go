package repair

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMojibakeStats checks that repairMojibake's stats of the repaired
// text, which it adds up chunk by chunk (see textStats), are those a scan
// of it gives.
func TestMojibakeStats(t *testing.T) {
	var texts []string
	files, _ := filepath.Glob(filepath.Join(corpusDir, "mojibake", "*.txt"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
		texts = append(texts, strings.Split(string(b), "\n")...)
	}
	if pf, _ := filepath.Glob(filepath.Join(peerDir, "*.json")); len(pf) > 0 {
		for _, c := range loadFtfy(t) {
			texts = append(texts, c.Original)
		}
	}
	parts := []string{"fÃ¶r", "Ã ", "voilÃ", " ", " ", "\n", "6", "&a", "a0", "f”r", "\u0084", "├ñ", "√∂", "Ã¢â‚¬â„¢", "â€“", "ï¿½", "\xc3", "é", "år", "x"}
	rng := rand.New(rand.NewSource(3))
	for k := 0; k < 20000; k++ {
		var b strings.Builder
		for n := 1 + rng.Intn(12); n > 0; n-- {
			b.WriteString(parts[rng.Intn(len(parts))])
		}
		texts = append(texts, b.String())
	}
	v := view{lx: sharedLexicon()}
	n := 0
	for _, s := range texts {
		st := scanText(s)
		if st.mojibake == 0 {
			continue
		}
		out, _, got := repairMojibake(v, s, st)
		if want := scanText(out); got != want {
			t.Fatalf("%q → %q: stats %+v, a scan gives %+v", s, out, got, want)
		}
		n++
	}
	t.Logf("%d texts checked", n)
}

// TestShapeDecision checks what repairMojibake relies on when it decides a
// chunk by its shape (see mojiShape): for chunks of the corpus, of ftfy's
// cases and made-up ones, under several evidence sets, the shape has the
// chunk's code page mask and evidence, and fixChunk on the shape gives the
// chunk's confidence, lone flag, repair (writeRepaired) and change in
// stats.
func TestShapeDecision(t *testing.T) {
	var chunks []string
	seen := map[string]bool{}
	addText := func(s string) {
		for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r < 0x80 && isASCIISpace(byte(r)) }) {
			if !seen[c] {
				seen[c] = true
				chunks = append(chunks, c)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "mojibake", "*.txt"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		addText(string(b))
	}
	if pf, _ := filepath.Glob(filepath.Join(peerDir, "*.json")); len(pf) > 0 {
		for _, c := range loadFtfy(t) {
			addText(c.Original)
		}
	}
	// Made up: mojibake characters of every code page between ASCII of
	// every class, and invalid UTF-8.
	alpha := []string{"a", "b", "Z", "Q", "&", "6", "0", "1", ".", "'", "-", "Ã", "Â", "¶", "¤", "¥", "ƒ", "€", "™",
		"œ", "\u0080", "\u0081", "\u009d", "\u00a0", "√", "∂", "©", "├", "┬", "╢", "Ç", "Ô", "Γ", "ï", "¿", "½", "’", "”",
		"Ä", "Ö", "ö", "é", "\xc3", "\xe2\x80", "Š", "÷", "õ", "Ω", "ñ", "Ñ", "º", "§", "\ufffd", "𝄞"}
	rng := rand.New(rand.NewSource(1))
	for k := 0; k < 30000; k++ {
		var b strings.Builder
		for n := 1 + rng.Intn(8); n > 0; n-- {
			b.WriteString(alpha[rng.Intn(len(alpha))])
		}
		if c := b.String(); !seen[c] {
			seen[c] = true
			chunks = append(chunks, c)
		}
	}
	evidence := []evidenceSet{
		{},
		{certain: [numPages]int{5, 5, 5, 5}},
		{certain: [numPages]int{1, 0, 0, 0}, stray: [numPages]int{2, 2, 2, 2}},
		{certain: [numPages]int{0, 1, 2, 0}, stray: [numPages]int{0, 3, 0, 1}},
		{certain: [numPages]int{0, 0, 1, 1}, stray: [numPages]int{1, 1, 1, 1}},
	}
	var sc mojiScratch
	checked, repaired := 0, 0
	for _, c := range chunks {
		mask, nonASCII := chunkMask(c)
		if mask == 0 {
			continue
		}
		shape := string(appendShape(nil, c))
		if m, n := chunkMask(shape); m != mask || n != nonASCII {
			t.Fatalf("%q, shape %q: mask %b/%d, chunk %b/%d", c, shape, m, n, mask, nonASCII)
		}
		rs, srs := []rune(c), []rune(shape)
		if a, b := chunkEvidenceOf(rs, mask, nonASCII), chunkEvidenceOf(srs, mask, nonASCII); a != b {
			t.Fatalf("%q, shape %q: evidence %v, chunk %v", c, shape, b, a)
		}
		for ei := range evidence {
			ev := &evidence[ei]
			f, ok := fixChunk(rs, mask, ev, &sc)
			to := string(f.to)
			sf, sok := fixChunk(srs, mask, ev, &sc)
			checked++
			if ok != sok || f.conf != sf.conf || f.lone != sf.lone {
				t.Fatalf("%q, shape %q, evidence %d: chunk %v %v %v, shape %v %v %v", c, shape, ei, ok, f.conf, f.lone, sok, sf.conf, sf.lone)
			}
			if !ok {
				continue
			}
			repaired++
			shapeTo := string(sf.to)
			var w strings.Builder
			writeRepaired(&w, c, shapeTo)
			if w.String() != to {
				t.Fatalf("%q, shape %q → %q, evidence %d: repair %q, want %q", c, shape, shapeTo, ei, w.String(), to)
			}
			d := scanText(to)
			d.add(scanText(c), -1)
			sd := scanText(shapeTo)
			sd.add(scanText(shape), -1)
			if d != sd {
				t.Fatalf("%q → %q, shape %q → %q: stats change %+v, shape's %+v", c, to, shape, shapeTo, d, sd)
			}
		}
	}
	t.Logf("%d chunks × evidence sets checked, %d repaired", checked, repaired)
}
