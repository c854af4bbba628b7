// Package notice extracts processing activities from privacy notices
// (integritetsmeddelanden, "Så behandlar vi dina personuppgifter"): pages
// that describe each activity with labelled fields.
//
// It handles the families of notice municipalities publish:
//
//   - key/value sections, one per activity ("Syfte/ändamål: …",
//     "Rättslig grund: …", "Lagring/gallring: …"), as in Luleå's notice;
//   - question headings repeated per activity ("Varför behandlar vi dina
//     personuppgifter?", "Hur länge sparar vi …?");
//   - the blocks e-service platforms print under every e-service
//     ("Personuppgiftsansvarig: Socialnämnden", "Ändamål: …", "Lagringstid: …");
//   - labelled sections, with the labels as subheadings on lines of their own;
//   - one sentence per activity after its name ("Bygglov: Vi behandlar …");
//   - plain prose under activity headings.
//
// Labels are matched by a table of the spellings seen (labels.go), never
// by one spelling. Field text is handed on as written: lines that wrap a
// sentence are joined with spaces, items (bullets, dashes, "Internt:" and
// "Externt:" groups) stay on lines of their own. Legal bases are not mapped
// and lists are not split here; the normalize stage does that.
package notice

import (
	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/controller"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Name is the extractor's name in provenance.
const Name = "notice"

// Extractor is the privacy-notice extractor. The zero value is ready to use.
type Extractor struct{}

// New returns a notice extractor.
func New() Extractor { return Extractor{} }

// Name implements extractors.Extractor.
func (Extractor) Name() string { return Name }

// Confidence levels.
const (
	confHeaded   = 0.9  // a labelled section under its own heading
	confRepaired = 0.85 // ... whose heading was repaired, or that dropped a repeated fragment
	confInferred = 0.6  // a section that lost its heading: the name is derived from the purpose
	confProse    = 0.6  // fields found by sentence cues in prose
)

// Detect scores how much the document looks like a per-activity notice.
// Many purpose labels, each with other labels around it, score high. One
// set of labels (a general information page that answers the questions
// once, like Hedemora's) scores at most 0.4 when the labels are question
// headings, so that a document extractor takes it; a single e-service
// block of inline "Label: value" lines scores a little above 0.5. Prose
// with two or more activities, each described with a legal basis or
// retention, scores 0.55–0.75. A memo scores near 0.
func (Extractor) Detect(doc *extractors.Doc) float64 {
	if doc == nil || len(doc.Lines) == 0 {
		return 0
	}
	p := parse(doc)
	acts := p.activities()
	distinct := map[string]bool{}
	inline := map[string]bool{}
	for _, s := range p.sections {
		for _, f := range s.fields {
			distinct[f.key] = true
			if f.inline {
				inline[f.key] = true
			}
		}
	}
	delete(distinct, record.FieldActivity)
	n := float64(min(len(distinct), 6))
	// Sections that have more than a purpose.
	rich := 0
	for _, s := range acts {
		if len(s.fields) >= 2 {
			rich++
		}
	}
	switch {
	case rich >= 2:
		return 0.55 + 0.05*n + 0.05*float64(min(rich-2, 2))
	case rich == 1:
		if len(inline) >= 3 && inline[record.FieldPurpose] {
			return 0.52 + 0.02*float64(min(len(inline), 5))
		}
		return 0.1 + 0.05*n
	}
	if k := len(proseActivities(doc)); k >= 2 {
		return 0.55 + 0.05*float64(min(k-2, 4))
	}
	return 0.03 * n
}

// Extract returns one record per activity, in document order.
func (Extractor) Extract(doc *extractors.Doc) ([]extractors.RawRecord, error) {
	if doc == nil {
		return nil, nil
	}
	muni, organ := doc.Municipality, doc.Organ
	if muni == "" || organ == "" {
		r := controller.FromDoc(doc)
		if muni == "" {
			muni = r.Municipality
		}
		if organ == "" {
			organ = r.Organ
		}
	}
	p := parse(doc)
	var out []extractors.RawRecord
	for _, s := range p.activities() {
		out = append(out, sectionRecord(s, muni, organ))
	}
	if len(out) == 0 {
		for _, pa := range proseActivities(doc) {
			rr := pa.record()
			setController(rr.Fields, muni, organ, "")
			out = append(out, rr)
		}
	}
	return out, nil
}

// setController fills municipality and organ: a controller stated for the
// record wins over the document's.
func setController(fields map[string]string, muni, organ, stated string) {
	if stated != "" {
		m, o := controller.Find([]string{stated})
		if m == "" {
			m = controller.Municipality(stated)
		}
		if o == "" {
			o = controller.Organ(stated)
		}
		if m != "" {
			muni = m
		}
		if o != "" {
			organ = o
		}
	}
	if muni != "" {
		fields[record.FieldMunicipality] = muni
	}
	if organ != "" {
		fields[record.FieldOrgan] = organ
	}
}

func sectionRecord(s *section, muni, organ string) extractors.RawRecord {
	rr := extractors.RawRecord{Kind: record.KindActivity, Fields: map[string]string{}, Confidence: confHeaded}
	first, last, page := 0, 0, 0
	for _, f := range s.fields {
		if first == 0 || f.line < first {
			first, page = f.line, f.page
		}
		if f.end > last {
			last = f.end
		}
		if f.key == keyController {
			continue
		}
		if v := f.value(); v != "" {
			rr.Fields[f.key] = v
		}
	}
	stated := ""
	if f := s.get(keyController); f != nil {
		stated = f.value()
	}
	setController(rr.Fields, muni, organ, stated)

	switch {
	case rr.Fields[record.FieldActivity] != "":
		// The section names its activity with a label.
	case s.heading != nil:
		name, repaired := cleanHeading(s.heading.text)
		rr.Fields[record.FieldActivity] = name
		first, page = s.heading.n, s.heading.page
		if repaired {
			rr.Confidence = confRepaired
		}
	default:
		rr.Fields[record.FieldActivity] = nameFromPurpose(rr.Fields[record.FieldPurpose])
		rr.ActivityInferred = true
		rr.Confidence = confInferred
	}
	if s.dropped > 0 && rr.Confidence > confRepaired {
		rr.Confidence = confRepaired
	}
	rr.Page, rr.Line, rr.EndLine = page, first, last
	return rr
}
