package pdfwords

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchCorpus joins the text-layer fixtures 20 times over into one PDF with
// pdfunite (poppler-utils), so that both tools are measured on many pages
// rather than on process start-up.
func benchCorpus(b *testing.B) (string, int) {
	b.Helper()
	if _, err := exec.LookPath("pdfunite"); err != nil {
		b.Skip("pdfunite (poppler-utils) not installed")
	}
	var files []string
	for _, pat := range []string{"pdf/*.pdf", "words/*.pdf"} {
		m, _ := filepath.Glob(filepath.Join(fixtures, pat))
		files = append(files, m...)
	}
	var args []string
	for i := 0; i < 20; i++ {
		args = append(args, files...)
	}
	out := filepath.Join(b.TempDir(), "corpus.pdf")
	if msg, err := exec.Command("pdfunite", append(args, out)...).CombinedOutput(); err != nil {
		b.Fatalf("pdfunite: %v: %s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := Read(data)
	if err != nil {
		b.Fatal(err)
	}
	return out, len(doc.Pages)
}

// BenchmarkTextLayer measures Read against `pdftotext -layout` on the same
// PDF in the same run: CPU time per page of each and their ratio
// (ours/pdftotext; the goal is ≤ 2, i.e. ≥ 200 pages per CPU-second).
func BenchmarkTextLayer(b *testing.B) {
	path, pages := benchCorpus(b)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	_, havePdftotext := exec.LookPath("pdftotext")
	var ours, theirs time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0 := cpuTime()
		if _, err := Read(data); err != nil {
			b.Fatal(err)
		}
		ours += cpuTime() - c0
		if havePdftotext == nil {
			cmd := exec.Command("pdftotext", "-layout", path, os.DevNull)
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
			theirs += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
	}
	n := float64(b.N * pages)
	b.ReportMetric(ours.Seconds()*1000/n, "ms-cpu/page")
	b.ReportMetric(n/ours.Seconds(), "pages/cpu-s")
	if theirs > 0 {
		b.ReportMetric(theirs.Seconds()*1000/n, "pdftotext-ms-cpu/page")
		b.ReportMetric(ours.Seconds()/theirs.Seconds(), "ratio")
	}
	b.ReportMetric(float64(pages), "pages")
}
