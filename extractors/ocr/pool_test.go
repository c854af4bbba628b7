package ocr_test

import (
	"context"
	"errors"
	"image"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/ocr"
)

var swedishLetters = regexp.MustCompile(`[åäöÅÄÖ]`)

// wordScore compares the words of pages with the text they were rendered
// from, as bags of words with punctuation trimmed: recall over all words and
// over the words with å, ä or ö.
func wordScore(gold string, pages ...extractors.Page) (all, allN, aao, aaoN int) {
	norm := func(w string) string { return strings.Trim(w, ".,;:()") }
	got := map[string]int{}
	for _, p := range pages {
		for _, w := range p.Words {
			got[norm(w.Text)]++
		}
	}
	for _, w := range strings.Fields(gold) {
		w = norm(w)
		hit := got[w] > 0
		if hit {
			got[w]--
		}
		allN++
		if hit {
			all++
		}
		if swedishLetters.MatchString(w) {
			aaoN++
			if hit {
				aao++
			}
		}
	}
	return
}

func TestOCRSwedishText(t *testing.T) {
	p := newPool(t, ocr.Config{Workers: 2})
	gold := string(readTestdata(t, "lines.txt"))
	tests := []struct {
		name    string
		img     string
		dpi     float64
		guessed bool
		widthPt float64 // page width in points
	}{
		{"300 dpi grey", "lines.png", 300, false, 510.2},                      // 18 cm
		{"200 dpi, no resolution in the file", "nodpi.png", 300, true, 340.3}, // read as 300 dpi: 2/3 of the size
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := p.Image(context.Background(), readTestdata(t, tt.img))
			if err != nil {
				t.Fatal(err)
			}
			r := rs[0]
			if r.DPI != tt.dpi || r.DPIGuessed != tt.guessed || r.Page.Source != "ocr" || r.Page.N != 1 {
				t.Errorf("dpi %v guessed %v source %q page %d", r.DPI, r.DPIGuessed, r.Page.Source, r.Page.N)
			}
			if d := r.Page.Width - tt.widthPt; d < -1 || d > 1 {
				t.Errorf("page width %.1f pt, want %.1f", r.Page.Width, tt.widthPt)
			}
			all, allN, aao, aaoN := wordScore(gold, r.Page)
			t.Logf("%s: words %d/%d (%.1f%%), å/ä/ö words %d/%d; %s CPU", tt.img, all, allN, 100*float64(all)/float64(allN), aao, aaoN, r.CPU)
			if float64(all) < 0.98*float64(allN) || float64(aao) < 0.98*float64(aaoN) {
				t.Errorf("recall too low: %d/%d words, %d/%d å/ä/ö words", all, allN, aao, aaoN)
			}
			for _, w := range r.Page.Words {
				if w.X0 < 0 || w.Y0 < 0 || w.X1 > r.Page.Width+0.5 || w.Y1 > r.Page.Height+0.5 || w.X1 <= w.X0 || w.Conf <= 0 || w.Block == 0 || w.Line == 0 {
					t.Errorf("bad word %+v on a %.0f×%.0f page", w, r.Page.Width, r.Page.Height)
					break
				}
			}
			lines := ocr.Lines(r.Page)
			if len(lines) < 6 || !strings.HasPrefix(lines[0].Text(), "Registerförteckning för äldreomsorgen") {
				t.Errorf("lines in reading order: %d lines, the first %q", len(lines), lines[0].Text())
			}
		})
	}
}

// TestTableCellsApart checks the page segmentation mode on a table: with
// mode 11 (the default) Tesseract's lines keep to one cell each, with mode 6
// (gosseract's default) they run across the columns.
func TestTableCellsApart(t *testing.T) {
	img := readTestdata(t, "table.png")
	gold := string(readTestdata(t, "table.txt"))
	mixed := func(psm int) (int, int, extractors.Page) {
		p := newPool(t, ocr.Config{Workers: 1, PSM: psm})
		rs, err := p.Image(context.Background(), img)
		if err != nil {
			t.Fatal(err)
		}
		pg := rs[0].Page
		// Column starts from the header words.
		var cols []float64
		for _, w := range pg.Words {
			switch w.Text {
			case "Behandlingsaktivitet", "Ändamål", "Laglig":
				cols = append(cols, w.X0-2)
			}
		}
		if len(cols) != 3 {
			t.Fatalf("psm %d: header words not found", psm)
		}
		col := func(x float64) int {
			c := 0
			for i, x0 := range cols {
				if x >= x0 {
					c = i
				}
			}
			return c
		}
		type key struct{ b, l int }
		seen := map[key]map[int]bool{}
		for _, w := range pg.Words {
			k := key{w.Block, w.Line}
			if seen[k] == nil {
				seen[k] = map[int]bool{}
			}
			seen[k][col(w.X0)] = true
		}
		n := 0
		for _, cs := range seen {
			if len(cs) > 1 {
				n++
			}
		}
		return n, len(seen), pg
	}
	m11, n11, pg := mixed(11)
	m6, n6, pg6 := mixed(6)
	all, allN, aao, aaoN := wordScore(gold, pg)
	all6, _, _, _ := wordScore(gold, pg6)
	t.Logf("psm 11: %d of %d lines cross a column, words %d/%d, å/ä/ö %d/%d, %d words read; psm 6: %d of %d lines cross, words %d/%d, %d words read",
		m11, n11, all, allN, aao, aaoN, len(pg.Words), m6, n6, all6, allN, len(pg6.Words))
	// One pair of cells ("färdtjänst | Myndighetsutövning") is one space apart
	// in the source: no segmentation can split it without the header.
	if m11 > 1 || m6 <= m11 || all < allN {
		t.Errorf("psm 11 should keep cells apart: %d lines cross (psm 6: %d), %d/%d words", m11, m6, all, allN)
	}
}

func TestMultiPageTIFF(t *testing.T) {
	p := newPool(t, ocr.Config{Workers: 2})
	rs, err := p.Image(context.Background(), readTestdata(t, "pages.tif"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("%d pages, want 2", len(rs))
	}
	for i, r := range rs {
		if r.Page.N != i+1 || r.DPI != 200 || r.DPIGuessed {
			t.Errorf("page %d: N %d, dpi %v (guessed %v)", i+1, r.Page.N, r.DPI, r.DPIGuessed)
		}
	}
	a1, n1, s1, sn1 := wordScore(string(readTestdata(t, "lines.txt")), rs[0].Page)
	a2, n2, s2, sn2 := wordScore(string(readTestdata(t, "table.txt")), rs[1].Page)
	t.Logf("200 dpi black and white: page 1 words %d/%d, å/ä/ö %d/%d; page 2 words %d/%d, å/ä/ö %d/%d", a1, n1, s1, sn1, a2, n2, s2, sn2)
	if float64(a1+a2) < 0.95*float64(n1+n2) {
		t.Errorf("recall %d/%d below 95%%", a1+a2, n1+n2)
	}
}

func TestPDFPage(t *testing.T) {
	p := newPool(t, ocr.Config{Workers: 2})
	tests := []struct {
		pdf, gold, origin string
		widthPt           float64
	}{
		{"scan.pdf", "table.txt", "embedded image", 625.68},
		{"lines.pdf", "lines.txt", "rendered at 300 dpi", 510.24},
	}
	for _, tt := range tests {
		t.Run(tt.pdf, func(t *testing.T) {
			r, err := p.PDFPage(context.Background(), "testdata/"+tt.pdf, 1)
			if err != nil {
				t.Fatal(err)
			}
			if r.Origin != tt.origin || r.DPI != 300 || r.Page.N != 1 {
				t.Errorf("origin %q dpi %v page %d", r.Origin, r.DPI, r.Page.N)
			}
			if d := r.Page.Width - tt.widthPt; d < -1 || d > 1 {
				t.Errorf("page width %.2f pt, want %.2f", r.Page.Width, tt.widthPt)
			}
			a, n, s, sn := wordScore(string(readTestdata(t, tt.gold)), r.Page)
			t.Logf("%s (%s): words %d/%d, å/ä/ö %d/%d", tt.pdf, r.Origin, a, n, s, sn)
			if float64(a) < 0.97*float64(n) {
				t.Errorf("recall %d/%d", a, n)
			}
		})
	}
	if _, err := p.PDFPage(context.Background(), "testdata/scan.pdf", 2); !errors.Is(err, ocr.ErrUndecodable) {
		t.Errorf("page 2 of a one-page PDF: %v", err)
	}
}

// TestRefused checks that bad images fail with the right error, the bad
// sizes before any worker starts (the header is read, nothing decoded).
func TestRefused(t *testing.T) {
	p := newPool(t, ocr.Config{Workers: 1})
	lines := readTestdata(t, "lines.png")
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"1×1 pixel", onePixelPNG(), ocr.ErrTooSmall},
		{"20000×20000 pixels", bombPNG(t, 20000, 20000), ocr.ErrTooLarge},
		{"not an image", []byte("GIF89a..."), ocr.ErrUndecodable},
	}
	for _, tt := range tests {
		_, err := p.Image(context.Background(), tt.data)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		t.Logf("%s: %v", tt.name, err)
	}
	if s := p.Stats(); s.Started != 0 {
		t.Errorf("%d workers started for images refused by their headers", s.Started)
	}
	// A PNG cut in its pixel data passes the header check; the worker's
	// decoder refuses it and the worker lives on.
	_, err := p.Image(context.Background(), lines[:len(lines)/2])
	if !errors.Is(err, ocr.ErrUndecodable) {
		t.Errorf("truncated PNG: %v, want ErrUndecodable", err)
	}
	t.Logf("truncated PNG: %v", err)
	if s := p.Stats(); s.Started != 1 || s.Crashed != 0 {
		t.Errorf("after a truncated PNG: started %d, crashed %d", s.Started, s.Crashed)
	}
}

// oneLine is a small page: the first text line of lines.png.
func oneLine(t testing.TB) []byte {
	return crop(t, "lines.png", image.Rect(0, 0, 2126, 140))
}

// TestWorkerCrash kills the worker in the middle of a page, as a segfault
// in Tesseract's C code would: that page fails with ErrCrashed, the next one
// is recognised by a new worker.
func TestWorkerCrash(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGSEGV, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			p := newPool(t, ocr.Config{Workers: 1})
			img := readTestdata(t, "table.png")
			done := make(chan error, 1)
			go func() {
				_, err := p.Page(context.Background(), 1, img, 0)
				done <- err
			}()
			pid := waitBusy(t, p)
			time.Sleep(100 * time.Millisecond) // well inside recognition
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatal(err)
			}
			err := <-done
			if !errors.Is(err, ocr.ErrCrashed) {
				t.Fatalf("page of a killed worker: %v, want ErrCrashed", err)
			}
			t.Logf("%v", err)
			r, err := p.Page(context.Background(), 2, oneLine(t), 300)
			if err != nil || len(r.Page.Words) < 5 {
				t.Fatalf("page after the crash: %v", err)
			}
			if s := p.Stats(); s.Crashed != 1 || s.Started != 2 || s.Pages != 1 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func waitBusy(t *testing.T, p *ocr.Pool) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, w := range p.Stats().Workers {
			if w.Busy && w.PID != 0 {
				return w.PID
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no worker became busy")
	return 0
}

func TestTimeout(t *testing.T) {
	p := newPool(t, ocr.Config{Workers: 1, PageTimeout: 50 * time.Millisecond})
	_, err := p.Page(context.Background(), 1, readTestdata(t, "table.png"), 0)
	if !errors.Is(err, ocr.ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	if s := p.Stats(); s.TimedOut != 1 || s.Workers[0].PID != 0 {
		t.Errorf("after a timeout: %+v", s)
	}
}

// TestRecycle checks that a worker is replaced after MaxPages pages.
func TestRecycle(t *testing.T) {
	p := newPool(t, ocr.Config{Workers: 1, MaxPages: 2})
	img := oneLine(t)
	for i := 0; i < 3; i++ {
		if _, err := p.Page(context.Background(), i+1, img, 300); err != nil {
			t.Fatal(err)
		}
	}
	s := p.Stats()
	if s.Started != 2 || s.Recycled != 1 || s.Pages != 3 || s.Workers[0].Pages != 1 {
		t.Errorf("stats %+v", s)
	}
	p.Close()
	if _, err := p.Page(context.Background(), 4, img, 300); !errors.Is(err, ocr.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if s := p.Stats(); s.CPU <= 0 {
		t.Errorf("no worker CPU accounted: %+v", s)
	}
}

func TestCancel(t *testing.T) {
	p := newPool(t, ocr.Config{Workers: 1})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		waitBusy(t, p)
		cancel()
	}()
	_, err := p.Page(ctx, 1, readTestdata(t, "table.png"), 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
