package report

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/registerlyft/registerlyft/pipeline/normalize"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Q15 (inconsistent_across_registers, info): the same activity, kept by
// more than one board or municipality, is given different legal bases, or
// is kept for good (bevaras) by one and deleted (gallras) by another. A
// single record cannot show it, so the report finds it over all records.

// activityKey is the form under which two activity names count as the
// same: folded (å/ä/ö, case), with punctuation and spacing collapsed.
// "Bibliotekslån" and "bibliotekslån." are one activity; "Bibliotekslån
// för vuxna" is another.
func activityKey(name string) string {
	f := strings.FieldsFunc(normalize.Fold(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.Join(f, " ")
}

// retentionKind classes a retention text: "bevaras" (kept for good),
// "gallras" (deleted after a time) or "" (neither said, or both).
func retentionKind(s string) string {
	f := normalize.Fold(s)
	keep := strings.Contains(f, "bevara")
	del := strings.Contains(f, "gallra") || strings.Contains(f, "raderas") || strings.Contains(f, "forstors")
	switch {
	case keep && !del:
		return "bevaras"
	case del && !keep:
		return "gallras"
	}
	return ""
}

// crossRegister returns the Q15 warnings of recs by index.
func crossRegister(recs []record.Record) map[int][]record.Warning {
	type member struct {
		i           int
		controller  string // "Organ, Municipality"
		bases       string // normalized legal bases, sorted, joined
		keepOrPurge string
	}
	groups := map[string][]member{}
	for i := range recs {
		r := &recs[i]
		if r.Kind == record.KindDocument || r.Activity == "" {
			continue
		}
		k := activityKey(r.Activity)
		if k == "" {
			continue
		}
		b := append([]string(nil), r.LegalBasis...)
		sort.Strings(b)
		groups[k] = append(groups[k], member{
			i:           i,
			controller:  strings.Trim(orUnknown(r.Organ)+", "+orUnknown(r.Municipality), ", "),
			bases:       strings.Join(b, ", "),
			keepOrPurge: retentionKind(r.Retention),
		})
	}
	out := map[int][]record.Warning{}
	for _, ms := range groups {
		controllers := map[string]bool{}
		for _, m := range ms {
			controllers[m.controller] = true
		}
		if len(controllers) < 2 {
			continue // one register: its own rows may differ on purpose
		}
		for _, m := range ms {
			var bases, kinds []string
			for _, o := range ms {
				if o.controller == m.controller {
					continue
				}
				if o.bases != "" && m.bases != "" && o.bases != m.bases {
					bases = append(bases, fmt.Sprintf("%s (%s)", o.bases, o.controller))
				}
				if o.keepOrPurge != "" && m.keepOrPurge != "" && o.keepOrPurge != m.keepOrPurge {
					kinds = append(kinds, fmt.Sprintf("%s (%s)", o.keepOrPurge, o.controller))
				}
			}
			if len(bases) > 0 {
				out[m.i] = append(out[m.i], record.Warning{
					Code: "Q15", Name: "inconsistent_across_registers", Severity: "info", Field: record.FieldLegalBasis,
					Message: fmt.Sprintf("legal basis %s here, but %s for the same activity", m.bases, strings.Join(dedupe(bases), "; ")),
				})
			}
			if len(kinds) > 0 {
				out[m.i] = append(out[m.i], record.Warning{
					Code: "Q15", Name: "inconsistent_across_registers", Severity: "info", Field: record.FieldRetention,
					Message: fmt.Sprintf("retention: %s here, but %s for the same activity", m.keepOrPurge, strings.Join(dedupe(kinds), "; ")),
				})
			}
		}
	}
	return out
}

// dedupe sorts ss and drops repeats.
func dedupe(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}
