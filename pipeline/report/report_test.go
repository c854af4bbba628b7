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
