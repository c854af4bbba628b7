package ocr_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/ocr"
)

// benchPage is one page image of the scanned corpus.
type benchPage struct {
	name   string
	img    []byte
	ocrDPI float64
	gold   string // text of the page's source, "" when unknown
}

// scanCorpus is the scanned corpus of the benchmarks: every page of the
// scanned register tables in testdata/tables/scans (made by the PDF
// fixtures' script; gold text from the text-layer PDF each was printed
// from) and this package's test images.
func scanCorpus(b *testing.B) []benchPage {
	b.Helper()
	var pages []benchPage
	scans, _ := filepath.Glob("../../testdata/tables/scans/*.pdf")
	for _, s := range scans {
		base := filepath.Base(s)
		src := "../../testdata/tables/pdf/" + strings.SplitN(base, "_", 3)[0] + "_" + strings.SplitN(base, "_", 3)[1] + ".pdf"
		for n := 1; ; n++ {
			img, err := ocr.PDFPageImage(context.Background(), s, n, 0)
			if err != nil {
				break
			}
			gold := ""
			if out, err := exec.Command("pdftotext", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), src, "-").Output(); err == nil {
				gold = string(out)
			}
			pages = append(pages, benchPage{fmt.Sprintf("%s p%d", base, n), img.PNG, img.OCRDPI, gold})
		}
	}
	for _, f := range []struct{ name, gold string }{{"lines.png", "lines.txt"}, {"table.png", "table.txt"}} {
		pages = append(pages, benchPage{f.name, readTestdata(b, f.name), 300, string(readTestdata(b, f.gold))})
	}
	return pages
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkOCRvsTesseract compares the CPU time per page of the pool (one
// worker: its process's CPU including start-up, plus the supervisor's)
// with the tesseract command on the same images (one process per
// resolution, reading a list of images, TSV output, OMP_THREAD_LIMIT=1,
// same language and page segmentation mode). It also reports word recall
// of the pool's OCR against the pages' source text.
func BenchmarkOCRvsTesseract(b *testing.B) {
	pages := scanCorpus(b)
	dir := b.TempDir()
	byDPI := map[float64][]string{}
	for i, p := range pages {
		f := filepath.Join(dir, fmt.Sprintf("p%03d.png", i))
		if err := os.WriteFile(f, p.img, 0o644); err != nil {
			b.Fatal(err)
		}
		byDPI[p.ocrDPI] = append(byDPI[p.ocrDPI], f)
	}
	var ours, theirs time.Duration
	var hit, total, aaoHit, aaoTotal int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		self := selfCPU()
		p := newPool(b, ocr.Config{Workers: 1, MaxPages: -1})
		var got []extractors.Page
		for n, pg := range pages {
			r, err := p.Page(context.Background(), n+1, pg.img, pg.ocrDPI)
			if err != nil {
				b.Fatalf("%s: %v", pg.name, err)
			}
			got = append(got, r.Page)
		}
		p.Close()
		ours += p.Stats().CPU + selfCPU() - self
		if i == 0 {
			for n, pg := range pages {
				if pg.gold == "" {
					continue
				}
				a, an, s, sn := wordScore(pg.gold, got[n])
				hit, total, aaoHit, aaoTotal = hit+a, total+an, aaoHit+s, aaoTotal+sn
				b.Logf("%s: words %d/%d, å/ä/ö words %d/%d", pg.name, a, an, s, sn)
			}
		}
		for dpi, files := range byDPI {
			list := filepath.Join(dir, "list.txt")
			os.WriteFile(list, []byte(strings.Join(files, "\n")+"\n"), 0o644)
			cmd := exec.Command("tesseract", list, filepath.Join(dir, "out"), "-l", "swe", "--psm", "11", "--dpi", strconv.Itoa(int(dpi)), "tsv")
			cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("tesseract: %v: %s", err, out)
			}
			theirs += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(ours.Seconds()*1000/n, "ms-cpu/page")
	b.ReportMetric(theirs.Seconds()*1000/n, "tesseract-ms-cpu/page")
	b.ReportMetric(float64(ours)/float64(theirs), "ratio")
	if total > 0 {
		b.ReportMetric(100*float64(hit)/float64(total), "%words")
		b.ReportMetric(100*float64(aaoHit)/float64(aaoTotal), "%åäö-words")
	}
}

// BenchmarkWorkers compares the wall time of the scanned corpus on two
// workers with one worker (the pages submitted concurrently).
func BenchmarkWorkers(b *testing.B) {
	pages := scanCorpus(b)
	run := func(workers int) time.Duration {
		p := newPool(b, ocr.Config{Workers: workers, MaxPages: -1})
		// Start the workers outside the measurement.
		var wg sync.WaitGroup
		for i := 0; i < workers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.Page(context.Background(), 0, pages[len(pages)-1].img, 300)
			}()
		}
		wg.Wait()
		start := time.Now()
		for n, pg := range pages {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := p.Page(context.Background(), n+1, pg.img, pg.ocrDPI); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
		d := time.Since(start)
		p.Close()
		return d
	}
	var one, two time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		one += run(1)
		two += run(2)
	}
	b.ReportMetric(one.Seconds()/float64(b.N), "s-1worker")
	b.ReportMetric(two.Seconds()/float64(b.N), "s-2workers")
	b.ReportMetric(float64(one)/float64(two), "speedup")
}

// BenchmarkWorkerMemory OCRs OCR_MEM_PAGES (default 200) small pages (one
// text line) on one worker, without recycling and recycled every 50
// pages, and reports the worker's resident size: growth per page (a
// least-squares slope over pages 20 to the end), the size extrapolated to
// 2,000 pages, and the largest size seen with recycling.
func BenchmarkWorkerMemory(b *testing.B) {
	n := 200
	if s := os.Getenv("OCR_MEM_PAGES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	img := oneLine(b)
	measure := func(maxPages int) (rss []float64) {
		p := newPool(b, ocr.Config{Workers: 1, MaxPages: maxPages, MaxRSS: -1})
		for i := 0; i < n; i++ {
			if _, err := p.Page(context.Background(), i+1, img, 300); err != nil {
				b.Fatal(err)
			}
			r := p.Stats().Workers[0].RSS
			if r == 0 { // just recycled: no process now
				continue
			}
			rss = append(rss, float64(r))
		}
		p.Close()
		return rss
	}
	for i := 0; i < b.N; i++ {
		flat := measure(-1)
		rec := measure(50)
		from := min(20, len(flat)/2)
		slope, icept := fit(flat[from:], from)
		sort.Float64s(rec)
		b.ReportMetric(slope/1024, "KiB/page-no-recycling")
		b.ReportMetric(flat[len(flat)-1]/(1<<20), "MiB-after-N-no-recycling")
		b.ReportMetric((icept+slope*2000)/(1<<20), "MiB-at-2000-extrapolated")
		b.ReportMetric(rec[len(rec)-1]/(1<<20), "MiB-max-recycled-every-50")
	}
}

// fit is a least-squares line through ys at x = from, from+1, ...
func fit(ys []float64, from int) (slope, intercept float64) {
	var sx, sy, sxx, sxy float64
	for i, y := range ys {
		x := float64(from + i)
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	n := float64(len(ys))
	slope = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	return slope, (sy - slope*sx) / n
}
