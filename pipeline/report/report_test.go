package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

func sample() []record.Record {
	full := record.Record{
		ID: "a1", Kind: record.KindActivity, Municipality: "Luleå kommun", Organ: "Kommunstyrelsen",
		Activity: "Nyhetsbrev", Purpose: "Skicka nyhetsbrev till prenumeranter om kommunens verksamhet",
		DataSubjects: []string{"Prenumeranter"}, PersonalData: []string{"Namn", "e-post"},
		LegalBasis: []string{"allmänt intresse"}, Retention: "Gallras vid inaktualitet",
		Recipients: []string{"Personuppgiftsbiträde"}, ThirdCountry: "Nej",
		Provenance: record.Provenance{File: "a.txt", Line: 3},
	}
	lacking := record.Record{
		ID: "a2", Kind: record.KindActivity, Municipality: "Luleå kommun", Organ: "Kommunstyrelsen",
		Activity: "<script>alert(1)</script>", PersonalData: []string{"Namn"},
		Provenance: record.Provenance{File: "a.txt", Line: 9},
		Quality: record.Quality{Warnings: []record.Warning{
			{Code: "Q1", Name: "missing_field", Severity: "error", Field: "purpose", Message: "purpose not stated"},
			{Code: "Q10", Name: "retention_not_stated", Severity: "warning", Field: "retention", Message: "retention not stated"},
		}},
	}
	doc := record.Record{ID: "d1", Kind: record.KindDocument, Organ: "Socialnämnden", Title: "Tjänsteskrivelse",
		Provenance: record.Provenance{File: "b.txt"}}
	return []record.Record{full, lacking, doc}
}

func TestBuild(t *testing.T) {
	rep := Build(sample())
	if rep.Totals.Records != 3 || rep.Totals.Activities != 2 || rep.Totals.Documents != 1 || rep.Totals.Complete != 1 {
		t.Fatalf("totals %+v", rep.Totals)
	}
	if rep.Totals.Errors != 1 || rep.Totals.Warnings != 1 || rep.Totals.ByCode["Q10"] != 1 {
		t.Errorf("severity counts %+v", rep.Totals)
	}
	// full: 7/7, lacking: personal_data only = 1/7 → mean 8/14.
	if got, want := rep.Totals.Completeness, 8.0/14; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("completeness %.4f, want %.4f", got, want)
	}
	if len(rep.Municipalities) != 2 || rep.Municipalities[0].Name != Unknown || rep.Municipalities[1].Name != "Luleå kommun" {
		t.Fatalf("municipalities %+v", rep.Municipalities)
	}
	ks := rep.Municipalities[1].Organs[0]
	if ks.Name != "Kommunstyrelsen" || len(ks.Findings) != 1 || ks.Findings[0].ID != "a2" {
		t.Fatalf("organ %+v", ks)
	}
	if got := strings.Join(ks.Findings[0].Missing, ","); got != "purpose,data_subjects,legal_basis,retention,recipients,third_country" {
		t.Errorf("missing %s", got)
	}
}

func TestWriteFormats(t *testing.T) {
	rep := Build(sample())
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := rep.Write(&buf, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out := buf.String()
		switch f {
		case "html":
			if strings.Contains(out, "<script>") || !strings.Contains(out, "&lt;script&gt;") {
				t.Errorf("html: record text not escaped")
			}
		case "json":
			var back Report
			if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Totals.Records != 3 {
				t.Errorf("json does not round-trip: %v", err)
			}
		case "csv":
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil || len(rows) != 3 || rows[1][8] != "Q1" {
				t.Errorf("csv rows %v (%v)", rows, err)
			}
		case "text":
			if !strings.Contains(out, "Luleå kommun") || !strings.Contains(out, "lacks: purpose") {
				t.Errorf("text report:\n%s", out)
			}
		}
	}
	if err := rep.Write(&bytes.Buffer{}, "pdf"); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestAcrossRegisters checks Q15: the same activity given different legal
// bases, or kept by one board and deleted by another, is flagged on each
// side; one board's own rows, different activities and agreeing boards are
// not.
func TestAcrossRegisters(t *testing.T) {
	rec := func(id, muni, organ, activity, retention string, bases ...string) record.Record {
		return record.Record{ID: id, Kind: record.KindActivity, Municipality: muni, Organ: organ,
			Activity: activity, LegalBasis: bases, Retention: retention}
	}
	recs := []record.Record{
		rec("l1", "Luleå kommun", "Kultur- och fritidsnämnden", "Bibliotekslån", "Gallras efter 2 år", "avtal"),
		rec("a1", "Alingsås kommun", "Kulturnämnden", "bibliotekslån.", "Gallras efter två år", "allmänt intresse"),
		rec("h1", "Hedemora kommun", "Kommunstyrelsen", "Bibliotekslån", "Gallras efter 2 år", "avtal"),
		rec("l2", "Luleå kommun", "Kommunstyrelsen", "Personuppgiftsincidenter", "Bevaras", "rättslig förpliktelse"),
		rec("a2", "Alingsås kommun", "Kommunstyrelsen", "Personuppgiftsincidenter", "Gallras efter 5 år", "rättslig förpliktelse"),
		rec("l3", "Luleå kommun", "Kommunstyrelsen", "Nyhetsbrev", "", "samtycke"),
		rec("l4", "Luleå kommun", "Kommunstyrelsen", "Nyhetsbrev", "", "allmänt intresse"),
		rec("l5", "Luleå kommun", "Kommunstyrelsen", "Bibliotekslån för vuxna", "", "samtycke"),
	}
	rep := Build(recs)
	got := map[string][]string{}
	for _, m := range rep.Municipalities {
		for _, o := range m.Organs {
			for _, f := range o.Findings {
				for _, w := range f.Warnings {
					if w.Code == "Q15" {
						got[f.ID] = append(got[f.ID], w.Field+": "+w.Message)
					}
				}
			}
		}
	}
	for id, want := range map[string][]string{
		"l1": {"legal_basis: legal basis avtal here, but allmänt intresse (Kulturnämnden, Alingsås kommun) for the same activity"},
		"a1": {"legal_basis: legal basis allmänt intresse here, but avtal (Kommunstyrelsen, Hedemora kommun); avtal (Kultur- och fritidsnämnden, Luleå kommun) for the same activity"},
		"h1": {"legal_basis: legal basis avtal here, but allmänt intresse (Kulturnämnden, Alingsås kommun) for the same activity"},
		"l2": {"retention: retention: bevaras here, but gallras (Kommunstyrelsen, Alingsås kommun) for the same activity"},
		"a2": {"retention: retention: gallras here, but bevaras (Kommunstyrelsen, Luleå kommun) for the same activity"},
		"l3": nil, "l4": nil, "l5": nil,
	} {
		if strings.Join(got[id], "|") != strings.Join(want, "|") {
			t.Errorf("%s: Q15 %q, want %q", id, got[id], want)
		}
	}
	if rep.Totals.ByCode["Q15"] != 5 {
		t.Errorf("Q15 counted %d times, want 5", rep.Totals.ByCode["Q15"])
	}
	if len(recs[0].Quality.Warnings) != 0 {
		t.Errorf("Build changed its input: %+v", recs[0].Quality.Warnings)
	}
}
