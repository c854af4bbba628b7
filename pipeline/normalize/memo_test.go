package normalize

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// memoRaws returns raw records as a register gives them: the gold records'
// fields and list fixtures, each several times, with placeholders, extra
// columns and cells that repeat across records.
func memoRaws(t *testing.T) []extractors.RawRecord {
	var raws []extractors.RawRecord
	for _, file := range []string{"lists_002.txt", "lists_004.txt"} {
		fx := loadFixtures(t, file)
		lists := listsByRecord(fx)
		for i, g := range loadGold(t, fx[0].seed) {
			fields := goldFields(g)
			fields[ExtraPrefix+"Kontaktperson"] = "Anna\n\n Berg "
			for k, v := range lists[i+1] {
				fields[k] = v
			}
			raws = append(raws, extractors.RawRecord{Kind: record.KindActivity, Fields: fields})
		}
	}
	n := len(raws)
	for i := 0; i < n; i++ {
		f := map[string]string{}
		for k, v := range raws[i].Fields {
			f[k] = v
		}
		f[record.FieldActivity] = fmt.Sprintf("%s %d", f[record.FieldActivity], i)
		f[record.FieldRecipients] = "-\nSkatteverket"
		f[record.FieldSystem] = "Ej ifyllt"
		f["legal_basis_text"] = "6.1 e"
		raws = append(raws, extractors.RawRecord{Kind: record.KindActivity, Fields: f})
	}
	return append(raws, raws...)
}

// TestMemoSameRecords: a Memo's Record gives exactly the records Record
// gives, the results it remembers included, and no two records share a
// slice.
func TestMemoSameRecords(t *testing.T) {
	m := NewMemo()
	var got []record.Record
	for _, raw := range memoRaws(t) {
		want, _ := json.Marshal(Record(raw))
		r := m.Record(raw)
		if b, _ := json.Marshal(r); string(b) != string(want) {
			t.Fatalf("Memo.Record:\n got  %s\n want %s", b, want)
		}
		got = append(got, r)
	}
	before, _ := json.Marshal(got[len(got)-1])
	for i := range got[:len(got)-1] {
		r := &got[i]
		for _, s := range [][]string{r.DataSubjects, r.PersonalData, r.SensitiveData, r.LegalBasis, r.Recipients, r.Sources} {
			for j := range s {
				s[j] = "changed"
			}
		}
		for j := range r.Quality.Warnings {
			r.Quality.Warnings[j].Message = "changed"
		}
		for j := range r.SensitiveFound {
			r.SensitiveFound[j].Term = "changed"
		}
	}
	if after, _ := json.Marshal(got[len(got)-1]); string(after) != string(before) {
		t.Errorf("changing other records changed the last one:\n%s\n%s", before, after)
	}
}
