package quality

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/normalize"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// base returns a complete, defect-free activity record; each test case
// changes one thing.
func base() record.Record {
	r := record.Record{
		Kind:               record.KindActivity,
		Municipality:       "Södertälje kommun",
		Organ:              "Kommunstyrelsen",
		Activity:           "Hantera medborgarförslag",
		Purpose:            "Registrera och handlägga medborgarförslag som lämnas till kommunfullmäktige.",
		DataSubjects:       []string{"Medborgare/kommuninvånare"},
		PersonalData:       []string{"Namn", "kontaktuppgifter"},
		LegalBasis:         []string{"allmänt intresse"},
		LegalBasisText:     "Allmänt intresse",
		LegalBasisRef:      "kommunallagen (2017:725) 8 kap. 1 §",
		Retention:          "Gallras efter 2 år",
		Recipients:         []string{"Personuppgiftsbiträde"},
		Sources:            []string{"Individen själv"},
		ThirdCountry:       "Nej",
		AutomatedDecisions: "Förekommer ej.",
	}
	normalize.Sensitive(&r)
	return r
}

// codes returns "code/severity/field" for each warning.
func codes(r record.Record) []string {
	var out []string
	for _, w := range r.Quality.Warnings {
		out = append(out, w.Code+"/"+w.Severity+"/"+w.Field)
	}
	return out
}

func TestBaseIsClean(t *testing.T) {
	r := base()
	Check(&r)
	if len(r.Quality.Warnings) != 0 || len(r.Quality.Missing) != 0 {
		t.Fatalf("base record has defects: missing %v, warnings %v", r.Quality.Missing, r.Quality.Warnings)
	}
	if !reflect.DeepEqual(r.Quality.None, []string{"third_country", "automated_decisions"}) {
		t.Errorf("none = %v", r.Quality.None)
	}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *record.Record)
		want   string // "code/severity/field" that must appear, or "" for none of code
		code   string // the rule under test
	}{
		// Q1 missing_field.
		{"Q1 purpose", func(r *record.Record) { r.Purpose = "" }, "Q1/error/purpose", "Q1"},
		{"Q1 personal_data", func(r *record.Record) { r.PersonalData = nil }, "Q1/error/personal_data", "Q1"},
		{"Q1 legal_basis", func(r *record.Record) { r.LegalBasis, r.LegalBasisText, r.LegalBasisRef = nil, "", "" }, "Q1/error/legal_basis", "Q1"},
		{"Q1 organ", func(r *record.Record) { r.Organ = "" }, "Q1/error/organ", "Q1"},
		{"Q1 data_subjects", func(r *record.Record) { r.DataSubjects = nil }, "Q1/warning/data_subjects", "Q1"},
		{"Q1 recipients", func(r *record.Record) { r.Recipients = nil }, "Q1/warning/recipients", "Q1"},
		{"Q1 third_country", func(r *record.Record) { r.ThirdCountry = "" }, "Q1/info/third_country", "Q1"},
		{"Q1 not for stated none", func(r *record.Record) { r.Recipients = []string{"Inga externa mottagare"} }, "", "Q1"},
		{"Q1 not for documents", func(r *record.Record) { r.Kind = record.KindDocument; r.Purpose = ""; r.PersonalData = nil }, "", "Q1"},
		// Q2 placeholder, re-detected on a record that did not pass normalize.
		{"Q2 dash retention", func(r *record.Record) { r.Retention = "-" }, "Q2/error/retention", "Q2"},
		{"Q2 header as value", func(r *record.Record) { r.Purpose = "Ändamål" }, "Q2/error/purpose", "Q2"},
		{"Q2 list item", func(r *record.Record) { r.Recipients = []string{"Se ovan"} }, "Q2/error/recipients", "Q2"},
		{"Q2 real value", func(r *record.Record) { r.Retention = "Bevaras enligt arkivlagen" }, "", "Q2"},
		// Q3/Q3b.
		{"Q3 statute only", func(r *record.Record) { r.LegalBasis, r.LegalBasisText = nil, "Skollagen kap 20" }, "Q3/warning/legal_basis", "Q3"},
		{"Q3 mapped", func(r *record.Record) {}, "", "Q3"},
		{"Q3b bare 6.1 e", func(r *record.Record) {
			r.LegalBasis, r.LegalBasisText = []string{"allmänt intresse", "myndighetsutövning"}, "Art. 6.1 e"
		}, "Q3b/info/legal_basis", "Q3b"},
		{"Q3b words given", func(r *record.Record) { r.LegalBasisText = "6.1 e (allmänt intresse)" }, "", "Q3b"},
		// Q4.
		{"Q4 intresseavvägning", func(r *record.Record) { r.LegalBasis = []string{"intresseavvägning"} }, "Q4/error/legal_basis", "Q4"},
		{"Q4 intresseavvägning in a company", func(r *record.Record) {
			r.Organ, r.Municipality, r.LegalBasis = "Telge Energi AB", "", []string{"intresseavvägning"}
		}, "", "Q4"},
		{"Q4 samtycke for core service", func(r *record.Record) {
			r.Activity, r.LegalBasis, r.LegalBasisRef = "Hantering av färdtjänst", []string{"samtycke"}, ""
		}, "Q4/warning/legal_basis", "Q4"},
		{"Q4 samtycke for photos", func(r *record.Record) {
			r.Activity, r.Purpose, r.LegalBasis, r.LegalBasisRef = "Bildbank", "Publicera bilder på kommunens webbplats och i sociala medier.", []string{"samtycke"}, ""
		}, "", "Q4"},
		{"Q4 avtal and myndighetsutövning", func(r *record.Record) { r.LegalBasis = []string{"avtal", "myndighetsutövning"} }, "Q4/warning/legal_basis", "Q4"},
		// Q5.
		{"Q5 health no exception", func(r *record.Record) {
			r.PersonalData, r.LegalBasisRef = []string{"uppgift om hälsa"}, ""
		}, "Q5/warning/sensitive_data", "Q5"},
		{"Q5 health on consent only", func(r *record.Record) {
			r.PersonalData, r.LegalBasis, r.LegalBasisText, r.LegalBasisRef = []string{"diagnos"}, []string{"samtycke"}, "Samtycke", ""
		}, "Q5/error/sensitive_data", "Q5"},
		{"Q5 explicit consent", func(r *record.Record) {
			r.PersonalData, r.LegalBasis, r.LegalBasisText, r.LegalBasisRef = []string{"diagnos"}, []string{"samtycke"}, "Uttryckligt samtycke, art. 9.2 a", ""
		}, "", "Q5"},
		{"Q5 sector law cited", func(r *record.Record) {
			r.PersonalData, r.LegalBasisRef = []string{"journaluppgifter"}, "patientdatalagen"
		}, "", "Q5"},
		{"Q5 personnummer is not art. 9", func(r *record.Record) { r.PersonalData, r.LegalBasisRef = []string{"personnummer"}, "" }, "", "Q5"},
		// Q6.
		{"Q6 criminal", func(r *record.Record) { r.PersonalData = []string{"utdrag ur belastningsregistret"} }, "Q6/info/sensitive_data", "Q6"},
		{"Q6 none", func(r *record.Record) {}, "", "Q6"},
		// Q7.
		{"Q7 personnummer", func(r *record.Record) { r.PersonalData, r.LegalBasisRef = []string{"personnummer"}, "" }, "Q7/info/personal_data", "Q7"},
		{"Q7 children", func(r *record.Record) {
			r.PersonalData, r.DataSubjects, r.LegalBasisRef = []string{"personnummer"}, []string{"Elever"}, ""
		}, "Q7/warning/personal_data", "Q7"},
		{"Q7 reason stated", func(r *record.Record) {
			r.PersonalData, r.LegalBasisRef = []string{"personnummer (för säker identifiering)"}, ""
		}, "", "Q7"},
		{"Q7 statute", func(r *record.Record) { r.PersonalData = []string{"personnummer"} }, "", "Q7"},
		// Q8.
		{"Q8 skyddad identitet", func(r *record.Record) { r.PersonalData = []string{"skyddad identitet"} }, "Q8/info/sensitive_data", "Q8"},
		{"Q8 none", func(r *record.Record) { r.PersonalData = []string{"identitet"} }, "", "Q8"},
		// Q9/Q9b.
		{"Q9 USA without safeguard", func(r *record.Record) { r.ThirdCountry = "Överföring till USA förekommer" }, "Q9/error/third_country", "Q9"},
		{"Q9 privacy shield", func(r *record.Record) { r.ThirdCountry = "USA, Privacy Shield" }, "Q9/error/third_country", "Q9"},
		{"Q9 adequacy", func(r *record.Record) {
			r.ThirdCountry = "Överföring till USA förekommer med stöd av EU-kommissionens adekvansbeslut"
		}, "", "Q9"},
		{"Q9 SCC", func(r *record.Record) { r.ThirdCountry = "Indien, standardavtalsklausuler" }, "", "Q9"},
		{"Q9 nej", func(r *record.Record) { r.ThirdCountry = "Nej" }, "", "Q9"},
		{"Q9b cloud with Nej", func(r *record.Record) { r.Recipients = []string{"Molntjänstleverantör"} }, "Q9b/warning/third_country", "Q9b"},
		{"Q9b system absent", func(r *record.Record) { r.ThirdCountry, r.System = "", "Microsoft 365" }, "Q9b/warning/third_country", "Q9b"},
		{"Q9b transfer stated", func(r *record.Record) {
			r.Recipients, r.ThirdCountry = []string{"Molntjänstleverantör"}, "USA, adekvansbeslut (DPF)"
		}, "", "Q9b"},
		{"Q9b metadata is no Meta", func(r *record.Record) { r.Recipients = []string{"tekniska metadata"} }, "", "Q9b"},
		// Q10.
		{"Q10 retention absent", func(r *record.Record) { r.Retention = "" }, "Q10/warning/retention", "Q10"},
		{"Q10 stated", func(r *record.Record) {}, "", "Q10"},
		// Q11.
		{"Q11 så länge", func(r *record.Record) { r.Retention = "Så länge det är nödvändigt" }, "Q11/warning/retention", "Q11"},
		{"Q11 tills vidare", func(r *record.Record) { r.Retention = "Sparas tills vidare" }, "Q11/warning/retention", "Q11"},
		{"Q11 plan only", func(r *record.Record) {
			r.Retention = "Personuppgifterna sparas i enlighet med arkivlagen och vår dokumenthanteringsplan."
		}, "Q11/warning/retention", "Q11"},
		{"Q11 vid inaktualitet", func(r *record.Record) { r.Retention = "Gallras vid inaktualitet." }, "Q11/info/retention", "Q11"},
		{"Q11 gallras enligt plan", func(r *record.Record) { r.Retention = "Gallras enligt dokumenthanteringsplan" }, "Q11/info/retention", "Q11"},
		{"Q11 period", func(r *record.Record) { r.Retention = "Fakturaunderlag sparas 7 år i enlighet med Bokföringslagen." }, "", "Q11"},
		{"Q11 period in words", func(r *record.Record) { r.Retention = "Gallras efter tre månader" }, "", "Q11"},
		// Q12.
		{"Q12 bevaras synpunkter", func(r *record.Record) { r.Activity, r.Retention = "Hantera synpunkter och klagomål", "Bevaras" }, "Q12/warning/retention", "Q12"},
		{"Q12 bevaras other", func(r *record.Record) { r.Retention = "Bevaras" }, "Q12/info/retention", "Q12"},
		{"Q12 plan cited", func(r *record.Record) { r.Retention = "Bevaras enligt dokumenthanteringsplan" }, "", "Q12"},
		{"Q12 partly gallrad", func(r *record.Record) {
			r.Retention = "Upphandlingsdokument bevaras, ej antagna anbud gallras efter 4 år."
		}, "", "Q12"},
		// Q13.
		{"Q13 short", func(r *record.Record) { r.Purpose = "Ansökan om färdtjänst" }, "Q13/warning/purpose", "Q13"},
		{"Q13 generic", func(r *record.Record) { r.Purpose = "Administration, statistik och uppföljning" }, "Q13/warning/purpose", "Q13"},
		{"Q13 same as activity", func(r *record.Record) {
			r.Activity, r.Purpose = "Hantera medborgarförslag från invånare i kommunen", "Hantera medborgarförslag från invånare i kommunen."
		}, "Q13/warning/purpose", "Q13"},
		{"Q13 basis wording", func(r *record.Record) { r.Purpose = "Uppgift av allmänt intresse och myndighetsutövning" }, "Q13/warning/purpose", "Q13"},
		{"Q13 specific", func(r *record.Record) {}, "", "Q13"},
		{"Q13 not for documents", func(r *record.Record) { r.Kind, r.Purpose = record.KindDocument, "Statistik" }, "", "Q13"},
		// Q14.
		{"Q14 no ref", func(r *record.Record) { r.LegalBasisRef = "" }, "Q14/info/legal_basis", "Q14"},
		{"Q14 ref in text", func(r *record.Record) {
			r.LegalBasisRef, r.LegalBasisText = "", "Allmänt intresse med stöd av arkivlagen"
		}, "", "Q14"},
		{"Q14 avtal needs none", func(r *record.Record) {
			r.LegalBasisRef, r.LegalBasis, r.LegalBasisText = "", []string{"avtal"}, "Avtal"
		}, "", "Q14"},
		// Q16.
		{"Q16 low confidence", func(r *record.Record) {
			f := false
			r.Fixes = []record.Fix{{From: "Lavera", To: "Leverera", Kind: "ocr", Confidence: 0.4, Applied: &f}}
		}, "Q16/info/", "Q16"},
		{"Q16 confident", func(r *record.Record) {
			r.Fixes = []record.Fix{{From: "Allmént", To: "Allmänt", Kind: "ocr", Confidence: 0.97}}
		}, "", "Q16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.change(&r)
			normalize.Sensitive(&r)
			Check(&r)
			got := codes(r)
			var ofCode []string
			for _, c := range got {
				if strings.HasPrefix(c, tt.code+"/") {
					ofCode = append(ofCode, c)
				}
			}
			if tt.want == "" {
				if len(ofCode) > 0 {
					t.Errorf("unexpected %v (all: %v)", ofCode, r.Quality.Warnings)
				}
				return
			}
			found := false
			for _, c := range ofCode {
				if c == tt.want {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s, got %v", tt.want, got)
			}
			for _, w := range r.Quality.Warnings {
				if w.Code == tt.code && (w.Name == "" || w.Message == "" || strings.ContainsAny(w.Name, " -")) {
					t.Errorf("incomplete warning %+v", w)
				}
			}
		})
	}
}

// TestPlaceholderFromNormalize: a placeholder that normalize dropped is
// flagged Q2 (kept from normalize), not Q1, and not listed as missing.
func TestPlaceholderFromNormalize(t *testing.T) {
	r := normalize.Record(extractors.RawRecord{Kind: record.KindActivity, Fields: map[string]string{
		record.FieldOrgan:        "Kommunstyrelsen",
		record.FieldPurpose:      "Ej ifyllt",
		record.FieldPersonalData: "Namn, adress",
		record.FieldLegalBasis:   "Allmänt intresse",
		record.FieldRetention:    "–",
	}})
	Check(&r)
	got := codes(r)
	for _, want := range []string{"Q2/error/purpose", "Q2/error/retention"} {
		if !contains(got, want) {
			t.Errorf("missing %s in %v", want, got)
		}
	}
	for _, bad := range []string{"Q1/error/purpose", "Q10/warning/retention"} {
		if contains(got, bad) {
			t.Errorf("%s raised for a placeholder field: %v", bad, got)
		}
	}
	if contains(r.Quality.Missing, "purpose") || contains(r.Quality.Missing, "retention") {
		t.Errorf("placeholder fields listed as missing: %v", r.Quality.Missing)
	}
	n := len(r.Quality.Warnings)
	Check(&r)
	if len(r.Quality.Warnings) != n {
		t.Errorf("Check is not idempotent: %d then %d warnings", n, len(r.Quality.Warnings))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestGold runs the quality stage over the gold records of seeds 002 and 004
// and checks the findings a DPO would expect from those registers.
func TestGold(t *testing.T) {
	type finding struct {
		seed string
		rec  int
		code string
		sev  string
	}
	want := []finding{
		{"002", 11, "Q4", Error},    // Bildbank on intresseavvägning, Kommunstyrelsen
		{"002", 13, "Q8", Info},     // skyddad identitet
		{"002", 13, "Q7", Warning},  // personnummer, data subjects include elever
		{"002", 14, "Q1", Warning},  // vigsel: recipients cell empty
		{"002", 17, "Q12", Warning}, // synpunkter och klagomål: Bevaras
		{"002", 18, "Q5", Warning},  // färdtjänst: uppgift om hälsa
		{"002", 18, "Q13", Warning}, // "Ansökan om färdtjänst"
		{"004", 17, "Q2", Error},    // personal_data "Beroende på behandling"
		{"004", 19, "Q9b", Warning}, // Facebook, Instagram, Youtube; no third_country
		{"004", 21, "Q9b", Warning}, // molntjänster; no third_country
		{"004", 23, "Q4", Warning},  // avtal with myndighetsutövning
		{"004", 12, "Q11", Warning}, // only "i enlighet med arkivlagen och vår dokumenthanteringsplan"
	}
	got := map[finding]bool{}
	counts := map[string]int{}
	for _, seed := range []string{"002", "004"} {
		file := map[string]string{"002": "002_64d63baee2f0a659.json", "004": "004_670afb2e98eb9082.json"}[seed]
		b, err := os.ReadFile(filepath.Join("../../testdata/gold", file))
		if err != nil {
			t.Fatal(err)
		}
		var recs []record.Record
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			r.Kind = record.KindActivity
			r.LegalBasisRef = normalize.StatuteRef(r.LegalBasisText)
			normalize.Sensitive(&r)
			Check(&r)
			for _, w := range r.Quality.Warnings {
				got[finding{seed, i + 1, w.Code, w.Severity}] = true
				counts[w.Code]++
				if w.Code == "Q3" || w.Code == "Q3b" || w.Code == "Q9" {
					t.Errorf("%s record %d: unexpected %s: %s", seed, i+1, w.Code, w.Message)
				}
			}
			if seed == "002" && !contains(r.Quality.None, "third_country") && i+1 != 13 {
				t.Errorf("002 record %d: third_country %q not stated as none", i+1, r.ThirdCountry)
			}
		}
	}
	for _, f := range want {
		if !got[f] {
			t.Errorf("missing finding %+v", f)
		}
	}
	t.Logf("warnings per code over 43 gold records: %v", counts)
}

func TestNoPanicOnEmpty(t *testing.T) {
	for _, r := range []record.Record{{}, {Kind: record.KindDocument}, {LegalBasisText: "("}, {Retention: "...", ThirdCountry: "?"}} {
		Check(&r)
	}
}

// TestCheckerSame: a Checker finds exactly what Check finds, from memory
// too: the gold records of seeds 002 and 004, each checked twice, and once
// more with an activity name of its own.
func TestCheckerSame(t *testing.T) {
	var recs []record.Record
	for _, file := range []string{"002_64d63baee2f0a659.json", "004_670afb2e98eb9082.json"} {
		b, err := os.ReadFile(filepath.Join("../../testdata/gold", file))
		if err != nil {
			t.Fatal(err)
		}
		var rs []record.Record
		if err := json.Unmarshal(b, &rs); err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			r.Kind = record.KindActivity
			r.LegalBasisRef = normalize.StatuteRef(r.LegalBasisText)
			normalize.Sensitive(&r)
			recs = append(recs, r)
			r.Activity += " 2"
			recs = append(recs, r)
		}
	}
	recs = append(recs, recs...)
	k := NewChecker(normalize.NewMemo())
	for _, r := range recs {
		want := r
		want.Quality.Warnings = append([]record.Warning(nil), r.Quality.Warnings...)
		Check(&want)
		got := r
		got.Quality.Warnings = append([]record.Warning(nil), r.Quality.Warnings...)
		k.Check(&got)
		if g, w := got.Quality, want.Quality; !reflect.DeepEqual(g, w) {
			t.Fatalf("%s:\n Checker %+v\n Check   %+v", r.Activity, g, w)
		}
	}
}
