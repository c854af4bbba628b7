package normalize

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// goldDir holds the annotator's records for seeds 002 and 004.
const goldDir = "../../testdata/gold"

var goldFiles = map[string]string{
	"002": "002_64d63baee2f0a659.json",
	"004": "004_670afb2e98eb9082.json",
}

// loadGold reads the gold records of a seed ("002", "004").
func loadGold(t *testing.T, seed string) []record.Record {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldDir, goldFiles[seed]))
	if err != nil {
		t.Fatalf("read gold %s: %v", seed, err)
	}
	var recs []record.Record
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("parse gold %s: %v", seed, err)
	}
	return recs
}

// fixture is one raw list field from a seed, built by hand (testdata/lists_*.txt).
type fixture struct {
	seed   string
	rec    int // 1-based
	field  string
	raw    string
	lineNo int
}

// loadFixtures reads a lists_*.txt file: blocks headed "== seed record field",
// "#" lines are comments, trailing blank lines of a block are dropped.
func loadFixtures(t *testing.T, name string) []fixture {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("open fixture: %v", err)
	}
	defer f.Close()
	var out []fixture
	var cur *fixture
	var lines []string
	flush := func() {
		if cur != nil {
			for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
				lines = lines[:len(lines)-1]
			}
			cur.raw = strings.Join(lines, "\n")
			out = append(out, *cur)
		}
		cur, lines = nil, nil
	}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#") && cur == nil:
		case strings.HasPrefix(line, "== "):
			flush()
			parts := strings.Fields(line[3:])
			if len(parts) != 3 {
				t.Fatalf("%s:%d: bad header %q", name, n, line)
			}
			rec, err := strconv.Atoi(parts[1])
			if err != nil {
				t.Fatalf("%s:%d: bad record number: %v", name, n, err)
			}
			cur = &fixture{seed: parts[0], rec: rec, field: parts[2], lineNo: n}
		default:
			if cur != nil {
				lines = append(lines, line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	flush()
	return out
}

func goldList(r record.Record, field string) []string {
	switch field {
	case record.FieldDataSubjects:
		return r.DataSubjects
	case record.FieldPersonalData:
		return r.PersonalData
	case record.FieldRecipients:
		return r.Recipients
	case record.FieldSources:
		return r.Sources
	}
	return nil
}

// TestSplitListGold checks SplitList against every list field of the gold
// records of seeds 002 and 004, from raw text taken from the seeds.
func TestSplitListGold(t *testing.T) {
	for _, file := range []string{"lists_002.txt", "lists_004.txt"} {
		fx := loadFixtures(t, file)
		seed := fx[0].seed
		gold := loadGold(t, seed)
		// Every gold list field must have a fixture, so none is skipped.
		have := map[string]bool{}
		for _, f := range fx {
			have[strconv.Itoa(f.rec)+" "+f.field] = true
		}
		for i, g := range gold {
			for _, field := range []string{record.FieldDataSubjects, record.FieldPersonalData, record.FieldRecipients, record.FieldSources} {
				if len(goldList(g, field)) > 0 && !have[strconv.Itoa(i+1)+" "+field] {
					t.Errorf("%s record %d %s: no fixture", seed, i+1, field)
				}
			}
		}
		exact := 0
		for _, f := range fx {
			if f.rec < 1 || f.rec > len(gold) {
				t.Fatalf("%s:%d: record %d out of range", file, f.lineNo, f.rec)
			}
			want := goldList(gold[f.rec-1], f.field)
			got := SplitList(f.raw)
			if equal(got, want) {
				exact++
				continue
			}
			t.Errorf("%s record %d %s (%s:%d):\n got  %q\n want %q", seed, f.rec, f.field, file, f.lineNo, got, want)
		}
		t.Logf("seed %s: %d/%d list fields reproduced exactly", seed, exact, len(fx))
	}
}

// TestLegalBasisGold checks LegalBasis on every gold record's legal_basis_text.
func TestLegalBasisGold(t *testing.T) {
	total, exact := 0, 0
	for _, seed := range []string{"002", "004"} {
		for i, g := range loadGold(t, seed) {
			total++
			got, _, warns := LegalBasis(g.LegalBasisText)
			if !equal(got, g.LegalBasis) {
				t.Errorf("%s record %d: LegalBasis(%q)\n got  %q\n want %q", seed, i+1, g.LegalBasisText, got, g.LegalBasis)
				continue
			}
			if len(warns) > 0 {
				t.Errorf("%s record %d: unexpected warnings %v", seed, i+1, warns)
				continue
			}
			exact++
		}
	}
	if total != 43 {
		t.Errorf("gold has %d records, want 43", total)
	}
	t.Logf("legal basis: %d/%d gold records exact", exact, total)
}

// TestSensitiveGold runs Sensitive over the gold records and compares with
// the annotator's expectation (gold README, "Expected sensitive_data").
func TestSensitiveGold(t *testing.T) {
	expect := map[string]map[int][]string{
		"002": {},
		"004": {},
	}
	add := func(seed, cat string, recs ...int) {
		for _, n := range recs {
			expect[seed][n] = append(expect[seed][n], cat)
		}
	}
	add("002", SensitivePNR, 4, 6, 7, 8, 13, 14, 18, 19, 20)
	add("002", SensitiveUnion, 13)
	add("002", SensitiveProtected, 13)
	add("002", SensitiveHealth, 18)
	add("004", SensitivePNR, 1, 2, 3, 7, 8, 9, 10, 12, 13, 14, 15, 22, 23)
	add("004", SensitivePolitical, 1, 7)
	add("004", SensitiveHealth, 9, 10, 13)
	add("004", SensitiveUnion, 9, 11)

	for _, seed := range []string{"002", "004"} {
		for i, g := range loadGold(t, seed) {
			r := g
			Sensitive(&r)
			want := setOf(expect[seed][i+1]...)
			got := setOf(r.SensitiveData...)
			if len(got) != len(r.SensitiveData) {
				t.Errorf("%s record %d: duplicate categories %q", seed, i+1, r.SensitiveData)
			}
			if !sameSet(got, want) {
				t.Errorf("%s record %d: sensitive %q (found %+v), want %q", seed, i+1, r.SensitiveData, r.SensitiveFound, expect[seed][i+1])
			}
			if len(r.SensitiveFound) != len(r.SensitiveData) {
				t.Errorf("%s record %d: %d hits for %d categories", seed, i+1, len(r.SensitiveFound), len(r.SensitiveData))
			}
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// TestRecordGold builds raw records for every gold record — the gold's own
// string fields as the extractor would hand them on, the list fields from
// the hand-built fixtures — and checks that Record reproduces the gold
// record. The one known difference is 004 record 17, whose personal_data
// "Beroende på behandling" the gold keeps but Record drops as a Q2
// placeholder (shared/domain.md §3).
func TestRecordGold(t *testing.T) {
	exact, total := 0, 0
	for _, file := range []string{"lists_002.txt", "lists_004.txt"} {
		fx := loadFixtures(t, file)
		seed := fx[0].seed
		gold := loadGold(t, seed)
		lists := listsByRecord(fx)
		for i, g := range gold {
			total++
			fields := goldFields(g)
			fields[record.FieldMunicipality] = g.Municipality
			for k, v := range lists[i+1] {
				fields[k] = v
			}
			got := Record(extractors.RawRecord{Kind: record.KindActivity, Fields: fields, ActivityInferred: g.ActivityInferred})
			// Derived and pipeline keys are not in the gold.
			got.ID, got.Kind, got.SensitiveData, got.SensitiveFound, got.LegalBasisRef = "", "", nil, nil, ""
			q := got.Quality
			got.Quality = record.Quality{}
			want := g
			if seed == "004" && i+1 == 17 {
				want.PersonalData = nil
				if len(q.Warnings) != 1 || q.Warnings[0].Code != "Q2" || q.Warnings[0].Field != record.FieldPersonalData {
					t.Errorf("004 record 17: want one Q2 on personal_data, got %+v", q.Warnings)
				}
			} else if len(q.Warnings) > 0 {
				t.Errorf("%s record %d: warnings %+v", seed, i+1, q.Warnings)
			}
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if string(gj) != string(wj) {
				t.Errorf("%s record %d:\n got  %s\n want %s", seed, i+1, gj, wj)
				continue
			}
			exact++
		}
	}
	t.Logf("Record reproduces %d/%d gold records (004 #17 minus its placeholder)", exact, total)
}

// listsByRecord indexes list fixtures by record and field: the raw text of
// each field as the source gives it.
func listsByRecord(fx []fixture) map[int]map[string]string {
	lists := map[int]map[string]string{}
	for _, f := range fx {
		if lists[f.rec] == nil {
			lists[f.rec] = map[string]string{}
		}
		lists[f.rec][f.field] = f.raw
	}
	return lists
}

// goldFields returns a gold record's single-text fields as an extractor
// hands them on (the legal basis as written); list fields come from the
// list fixtures.
func goldFields(g record.Record) map[string]string {
	return map[string]string{
		record.FieldOrgan:              g.Organ,
		record.FieldActivity:           g.Activity,
		record.FieldPurpose:            g.Purpose,
		record.FieldLegalBasis:         g.LegalBasisText,
		record.FieldRetention:          g.Retention,
		record.FieldThirdCountry:       g.ThirdCountry,
		record.FieldAutomatedDecisions: g.AutomatedDecisions,
	}
}
