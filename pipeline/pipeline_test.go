package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline/manifest"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/score"
)

const (
	seedsDir = "../testdata/seeds"
	goldDir  = "../testdata/gold"
	seed002  = "002_64d63baee2f0a659.txt"
	seed004  = "004_670afb2e98eb9082.txt"
)

// ingestSeeds ingests the seed folder once per test binary run.
func ingest(t *testing.T, out string, inputs ...string) *Summary {
	t.Helper()
	sum, err := Run(context.Background(), Config{Inputs: inputs, Out: out, Workers: 2})
	if err != nil {
		t.Fatalf("ingest %v: %v", inputs, err)
	}
	return sum
}

func readGold(t *testing.T, name string) []record.Record {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var recs []record.Record
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

func recordsOf(t *testing.T, out string) []record.Record {
	t.Helper()
	recs, err := ReadRecords(filepath.Join(out, RecordsFile))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func byFile(recs []record.Record, file string) []record.Record {
	var out []record.Record
	for _, r := range recs {
		if r.Provenance.File == file {
			out = append(out, r)
		}
	}
	return out
}

var seedOut string

func seedOutput(t *testing.T) string {
	t.Helper()
	if seedOut == "" {
		dir, err := os.MkdirTemp("", "registerlyft-seeds")
		if err != nil {
			t.Fatal(err)
		}
		ingest(t, dir, seedsDir)
		seedOut = dir
	}
	return seedOut
}

func TestMain(m *testing.M) {
	code := m.Run()
	if seedOut != "" {
		os.RemoveAll(seedOut)
	}
	os.Exit(code)
}

// TestSeedsAgainstGold scores seeds 002 and 004 field by field against the
// hand-written gold records.
func TestSeedsAgainstGold(t *testing.T) {
	recs := recordsOf(t, seedOutput(t))
	for _, tc := range []struct {
		file, gold string
		minF1      float64
	}{
		{seed002, "002_64d63baee2f0a659.json", 0.85},
		{seed004, "004_670afb2e98eb9082.json", 0.95},
	} {
		t.Run(tc.file, func(t *testing.T) {
			gold := readGold(t, tc.gold)
			got := byFile(recs, tc.file)
			res := score.Compare(got, gold)
			var buf bytes.Buffer
			res.Write(&buf, tc.file)
			t.Log("\n" + buf.String())
			if res.Found != len(gold) {
				t.Errorf("found %d of %d gold records", res.Found, len(gold))
			}
			if res.BasisExact != len(gold) {
				t.Errorf("legal_basis exact for %d of %d records", res.BasisExact, len(gold))
			}
			failed := false
			// Activity names that the source lost (activity_inferred) are
			// made up from the purpose by rule and cannot match the
			// annotator's wording; they are reported, and the gate applies
			// to the names the source states.
			var stated, inferred []float64
			for _, p := range res.Pairs {
				if p.Gold.ActivityInferred {
					inferred = append(inferred, p.F1["activity"])
				} else {
					stated = append(stated, p.F1["activity"])
				}
				if p.Got != nil && p.Got.ActivityInferred != p.Gold.ActivityInferred {
					t.Errorf("record %q: activity_inferred %v, gold %v", p.Gold.Activity, p.Got.ActivityInferred, p.Gold.ActivityInferred)
				}
			}
			t.Logf("activity F1: stated names %.3f (%d), inferred names %.3f (%d)", meanOf(stated), len(stated), meanOf(inferred), len(inferred))
			for _, f := range res.Fields {
				m := res.Mean[f]
				switch f {
				case "legal_basis":
					continue
				case "activity":
					m = meanOf(stated)
				}
				if m < tc.minF1 {
					t.Errorf("%s: mean token F1 %.3f < %.2f", f, m, tc.minF1)
					failed = true
				}
			}
			if failed || testing.Verbose() {
				var d bytes.Buffer
				res.WriteDiffs(&d, 0.9)
				t.Log("\nfields below 0.9:\n" + d.String())
			}
		})
	}
}

func meanOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 1
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// TestNoDamageInRecords: no mojibake and none of the seeds' OCR damage
// survives into the text of records.jsonl (the fixes list keeps the
// original forms on purpose, as the evidence of each repair).
func TestNoDamageInRecords(t *testing.T) {
	var sb strings.Builder
	for _, r := range recordsOf(t, seedOutput(t)) {
		r.Fixes = nil
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(b)
		sb.WriteByte('\n')
	}
	text := sb.String()
	for _, bad := range []string{
		"Réttslig", "fértroendevalda", "drenden", "6vervaka", "Ké&lla", "Allmént", "Allméant",
		"sjalv", "personuppgiftsbitrade", "Sédertélje", "Andamal", "Overforing", "invanare",
		"Ã", "Â", "\ufffd",
	} {
		if i := strings.Index(text, bad); i >= 0 {
			lo, hi := max(0, i-60), min(len(text), i+60)
			t.Errorf("records.jsonl contains %q: …%s…", bad, text[lo:hi])
		}
	}
}

// TestSearchPersonnummer: every gold activity whose personal data includes
// personnummer is found, and ranks above every activity without it and every
// document.
func TestSearchPersonnummer(t *testing.T) {
	out := seedOutput(t)
	idx, err := index.Open(filepath.Join(out, IndexDir))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	res, err := idx.Search(context.Background(), index.Query{Text: "personnummer", Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, g := range []string{"002_64d63baee2f0a659.json", "004_670afb2e98eb9082.json"} {
		for _, r := range readGold(t, g) {
			if strings.Contains(strings.ToLower(strings.Join(r.PersonalData, " ")), "personnummer") {
				want++
			}
		}
	}
	if want != 22 {
		t.Fatalf("gold has %d activities with personnummer, want 22", want)
	}
	has := func(r record.Record) bool {
		return r.Kind == record.KindActivity && strings.Contains(strings.ToLower(strings.Join(r.PersonalData, " ")), "personnummer")
	}
	found, lastTrue, firstOther := 0, -1, len(res.Hits)
	for i, h := range res.Hits {
		if has(h.Record) {
			found++
			lastTrue = i
		} else if firstOther == len(res.Hits) {
			firstOther = i
		}
	}
	if found != want {
		t.Errorf("search found %d activities with personnummer in personal data, want %d", found, want)
	}
	if lastTrue > firstOther {
		r := res.Hits[firstOther].Record
		t.Errorf("hit %d (%s %q) without personnummer ranks above a true hit at %d", firstOther+1, r.Kind, r.Activity+r.Title, lastTrue+1)
	}
}

// TestRerun: a second ingest skips every unchanged file and gives
// byte-identical records; a fresh ingest gives the same bytes too; a changed
// file's records are replaced.
func TestRerun(t *testing.T) {
	src := t.TempDir()
	for _, name := range []string{seed002, seed004} {
		b, err := os.ReadFile(filepath.Join(seedsDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out1, out2 := t.TempDir(), t.TempDir()
	ingest(t, out1, src)
	first, _ := os.ReadFile(filepath.Join(out1, RecordsFile))
	sum := ingest(t, out1, src)
	if sum.Unchanged != 2 || sum.Processed != 0 {
		t.Errorf("rerun: unchanged %d, processed %d; want 2, 0", sum.Unchanged, sum.Processed)
	}
	second, _ := os.ReadFile(filepath.Join(out1, RecordsFile))
	ingest(t, out2, src)
	fresh, _ := os.ReadFile(filepath.Join(out2, RecordsFile))
	if len(first) == 0 || !bytes.Equal(first, second) || !bytes.Equal(first, fresh) {
		t.Fatalf("records.jsonl differs between runs (%d, %d, %d bytes)", len(first), len(second), len(fresh))
	}
	// Change seed 004: keep only its first activity.
	b, _ := os.ReadFile(filepath.Join(src, seed004))
	lines := strings.Split(string(b), "\n")
	if err := os.WriteFile(filepath.Join(src, seed004), []byte(strings.Join(lines[:61], "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	sum = ingest(t, out1, src)
	if sum.Unchanged != 1 || sum.Processed != 1 {
		t.Errorf("after change: unchanged %d, processed %d; want 1, 1", sum.Unchanged, sum.Processed)
	}
	recs := recordsOf(t, out1)
	if n := len(byFile(recs, seed004)); n != 1 {
		t.Errorf("changed file has %d records, want 1", n)
	}
	if n := len(byFile(recs, seed002)); n != 20 {
		t.Errorf("unchanged file has %d records, want 20", n)
	}
	idx, err := index.Open(filepath.Join(out1, IndexDir))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if n, _ := idx.Count(); n != uint64(len(recs)) {
		t.Errorf("index holds %d records, records.jsonl %d", n, len(recs))
	}
}

// TestQuarantine: bad inputs end in the quarantine list with a reason and
// the summary accounts for every file.
func TestQuarantine(t *testing.T) {
	src := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(src, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("empty.txt", nil)
	write("blank.txt", []byte("  \n\n \t\n"))
	write("program.bin", append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0, 1, 2, 3}, 100)...))
	write("scan.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	// A presentation: an OpenDocument file but not a text or spreadsheet.
	var odp bytes.Buffer
	zw := zip.NewWriter(&odp)
	if w, err := zw.Create("mimetype"); err == nil {
		w.Write([]byte("application/vnd.oasis.opendocument.presentation"))
	}
	if w, err := zw.Create("content.xml"); err == nil {
		w.Write([]byte("<office:document-content/>"))
	}
	zw.Close()
	write("slides.odp", odp.Bytes())
	write("prose.txt", []byte("Det här är en vanlig text om väder och vind utan några personuppgifter.\n"))
	b, _ := os.ReadFile(filepath.Join(seedsDir, seed004))
	write("notice.txt", b)
	if err := os.Symlink(filepath.Join(src, "missing-target"), filepath.Join(src, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	sum := ingest(t, out, src)
	if sum.Files != 8 || sum.WithRecords+sum.Quarantined != sum.Files {
		t.Errorf("summary: %d files, %d with records, %d quarantined: does not account for every file", sum.Files, sum.WithRecords, sum.Quarantined)
	}
	m, err := manifest.Load(filepath.Join(out, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"empty.txt":    ReasonEmpty,
		"blank.txt":    ReasonEmpty,
		"program.bin":  ReasonBinary,
		"scan.pdf":     ReasonCorrupt,
		"slides.odp":   ReasonUnsupported,
		"prose.txt":    ReasonNoLayout,
		"dangling.txt": ReasonUnreadable,
	}
	for name, reason := range want {
		e := m.Entries[name]
		if e == nil {
			t.Errorf("%s: no manifest entry", name)
			continue
		}
		if e.Outcome != manifest.OutcomeQuarantine || e.Reason != reason {
			t.Errorf("%s: outcome %s reason %q (%s), want quarantine %q", name, e.Outcome, e.Reason, e.Detail, reason)
		}
	}
	if e := m.Entries["notice.txt"]; e == nil || e.Outcome != manifest.OutcomeRecords || e.Records != 23 {
		t.Errorf("notice.txt: %+v, want 23 records", e)
	}
	q, _ := os.ReadFile(filepath.Join(out, QuarantineFile))
	if n := bytes.Count(q, []byte("\n")); n != len(want) {
		t.Errorf("quarantine.jsonl has %d lines, want %d:\n%s", n, len(want), q)
	}
}

// TestCancelledRunLeavesConsistentOutput: a run cancelled before it starts
// still writes valid, empty output files, and a rerun completes it.
func TestCancelledRunLeavesConsistentOutput(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum, err := Run(ctx, Config{Inputs: []string{seedsDir}, Out: out, Workers: 2})
	if err == nil || sum == nil || sum.Cancelled != 4 {
		t.Fatalf("cancelled run: err %v, summary %+v; want context error and 4 cancelled", err, sum)
	}
	if recs := recordsOf(t, out); len(recs) != 0 {
		t.Errorf("cancelled run wrote %d records", len(recs))
	}
	sum = ingest(t, out, seedsDir)
	if sum.Processed != 4 || sum.Quarantined != 0 {
		t.Errorf("rerun after cancel: processed %d, quarantined %d; want 4, 0", sum.Processed, sum.Quarantined)
	}
}

// TestSampleCorpus: the synthetic corpus of `make run` — an HTML notice whose
// controller is named only in a sentence, a Windows-1252 export with a
// placeholder, and two bad files.
func TestSampleCorpus(t *testing.T) {
	out := t.TempDir()
	sum := ingest(t, out, "../testdata/corpus")
	if sum.Files != 4 || sum.WithRecords != 2 || sum.Quarantined != 2 {
		t.Errorf("summary %+v, want 4 files: 2 with records, 2 quarantined", sum)
	}
	recs := recordsOf(t, out)
	html := byFile(recs, "kulturnamnden-alingsas.html")
	if len(html) != 3 {
		t.Fatalf("HTML notice gave %d records, want 3", len(html))
	}
	for _, r := range html {
		if r.Municipality != "Alingsås kommun" || r.Organ != "Kulturnämnden" || r.Provenance.Format != "html" {
			t.Errorf("%s: controller %q / %q, format %s", r.Activity, r.Municipality, r.Organ, r.Provenance.Format)
		}
	}
	if got := strings.Join(html[1].LegalBasis, ","); got != "avtal,allmänt intresse" {
		t.Errorf("Kulturskolan legal basis %q", got)
	}
	cp := byFile(recs, "socialnamnden-alingsas-cp1252.txt")
	if len(cp) != 2 || cp[0].Provenance.Encoding != "windows-1252" || cp[0].Activity != "Ekonomiskt bistånd" {
		t.Fatalf("cp1252 notice: %d records, first %q (%s)", len(cp), cp[0].Activity, cp[0].Provenance.Encoding)
	}
	var q2 bool
	for _, w := range cp[1].Quality.Warnings {
		q2 = q2 || (w.Code == "Q2" && w.Field == "recipients")
	}
	if !q2 || len(cp[1].Recipients) != 0 {
		t.Errorf("\"Mottagare: -\" must be flagged Q2 and not copied: recipients %q, warnings %+v", cp[1].Recipients, cp[1].Quality.Warnings)
	}
}

func openIndex(out string) (*index.Bleve, error) { return index.Open(filepath.Join(out, IndexDir)) }

// TestOldIndexRebuilt checks that an ingest into an output folder whose
// index has another layout (made by an older registerlyft) rebuilds the
// index from records.jsonl instead of failing, and that the rebuilt index
// finds every record.
func TestOldIndexRebuilt(t *testing.T) {
	src := t.TempDir()
	b, err := os.ReadFile(filepath.Join(seedsDir, seed004))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, seed004), b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ingest(t, out, src)
	dir := filepath.Join(out, IndexDir)
	old, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.SetInternal([]byte("registerlyft.mapping_version"), []byte("2")); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if _, err := index.Open(dir); !errors.Is(err, index.ErrOldIndex) {
		t.Fatalf("open of the marked index: %v, want ErrOldIndex", err)
	}
	sum := ingest(t, out, src)
	if sum.Unchanged != 1 {
		t.Errorf("rerun: unchanged %d, want 1", sum.Unchanged)
	}
	recs, err := ReadRecords(filepath.Join(out, RecordsFile))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Open(dir)
	if err != nil {
		t.Fatalf("rebuilt index: %v", err)
	}
	defer idx.Close()
	n, err := idx.Count()
	if err != nil || n != uint64(len(recs)) || n == 0 {
		t.Errorf("rebuilt index has %d records (%v), records.jsonl %d", n, err, len(recs))
	}
}
