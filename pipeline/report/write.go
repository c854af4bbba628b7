package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Formats the report can be written in.
var Formats = []string{"text", "html", "json", "csv"}

// Write writes the report in the named format.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "", "text":
		return r.WriteText(w)
	case "html":
		return r.WriteHTML(w)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	case "csv":
		return r.WriteCSV(w)
	}
	return fmt.Errorf("report: unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

func pct(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

// completeness shows a group's completeness, or "–" when it has no
// activities to be complete.
func completeness(c Counts) string {
	if c.Activities == 0 {
		return "–"
	}
	return pct(c.Completeness)
}

func codes(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return codeLess(keys[i], keys[j]) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

// codeLess orders Q2 before Q10 and Q3 before Q3b.
func codeLess(a, b string) bool {
	na, sa := splitCode(a)
	nb, sb := splitCode(b)
	if na != nb {
		return na < nb
	}
	return sa < sb
}

func splitCode(c string) (int, string) {
	s := strings.TrimPrefix(c, "Q")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

// WriteText writes the report for a terminal.
func (r *Report) WriteText(w io.Writer) error {
	t := r.Totals
	fmt.Fprintf(w, "Quality report: %d records (%d activities, %d documents)\n", t.Records, t.Activities, t.Documents)
	fmt.Fprintf(w, "Completeness %s, %d/%d activities complete; %d errors, %d warnings, %d info\n\n",
		pct(t.Completeness), t.Complete, t.Activities, t.Errors, t.Warnings, t.Infos)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MUNICIPALITY\tORGAN\tACTIVITIES\tCOMPLETE\tCOMPLETENESS\tERRORS\tWARNINGS\tINFO\tCODES")
	for _, m := range r.Municipalities {
		for _, o := range m.Organs {
			c := o.Counts
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%d\t%d\t%d\t%s\n", m.Name, o.Name, c.Activities, c.Complete, completeness(c), c.Errors, c.Warnings, c.Infos, codes(c.ByCode))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, m := range r.Municipalities {
		for _, o := range m.Organs {
			if len(o.Findings) == 0 {
				continue
			}
			fmt.Fprintf(w, "\n%s / %s\n", m.Name, o.Name)
			for _, f := range o.Findings {
				fmt.Fprintf(w, "  - %s  [%s]\n", f.Activity, where(f))
				if len(f.Missing) > 0 {
					fmt.Fprintf(w, "      lacks: %s\n", strings.Join(f.Missing, ", "))
				}
				for _, q := range f.Warnings {
					fmt.Fprintf(w, "      %s %s %s: %s\n", q.Severity, q.Code, q.Name, q.Message)
				}
			}
		}
	}
	return nil
}

func where(f Finding) string {
	s := f.File
	if f.Page > 0 {
		s += fmt.Sprintf(" p.%d", f.Page)
	}
	if f.Line > 0 {
		s += fmt.Sprintf(":%d", f.Line)
	}
	return s
}

// WriteCSV writes one row per finding (a missing key or a warning).
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"municipality", "organ", "activity", "record_id", "file", "page", "line", "severity", "code", "name", "field", "message"})
	for _, m := range r.Municipalities {
		for _, o := range m.Organs {
			for _, f := range o.Findings {
				page, line := "", ""
				if f.Page > 0 {
					page = strconv.Itoa(f.Page)
				}
				if f.Line > 0 {
					line = strconv.Itoa(f.Line)
				}
				base := []string{m.Name, o.Name, f.Activity, f.ID, f.File, page, line}
				for _, q := range f.Warnings {
					cw.Write(append(base[:7:7], q.Severity, q.Code, q.Name, q.Field, q.Message))
				}
				if len(f.Warnings) == 0 {
					for _, k := range f.Missing {
						cw.Write(append(base[:7:7], "", "", "missing", k, "not stated"))
					}
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":          pct,
	"completeness": completeness,
	"codes":        codes,
	"where":        where,
	"join":         strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8">
<title>registerlyft — kvalitetsrapport</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:75rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right}.error{color:#a00}.warning{color:#a60}.info{color:#357}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}
</style></head><body>
<h1>Quality report</h1>
<p>{{.Totals.Records}} records ({{.Totals.Activities}} activities, {{.Totals.Documents}} documents).
Completeness {{pct .Totals.Completeness}}; {{.Totals.Complete}}/{{.Totals.Activities}} activities complete;
<span class="error">{{.Totals.Errors}} errors</span>, <span class="warning">{{.Totals.Warnings}} warnings</span>, <span class="info">{{.Totals.Infos}} info</span>.</p>
<table><thead><tr><th>Municipality</th><th>Organ</th><th>Activities</th><th>Complete</th><th>Completeness</th><th>Errors</th><th>Warnings</th><th>Info</th><th>Codes</th></tr></thead><tbody>
{{range $m := .Municipalities}}{{range .Organs}}<tr><td>{{$m.Name}}</td><td>{{.Name}}</td><td class="n">{{.Counts.Activities}}</td><td class="n">{{.Counts.Complete}}</td><td class="n">{{completeness .Counts}}</td><td class="n error">{{.Counts.Errors}}</td><td class="n warning">{{.Counts.Warnings}}</td><td class="n info">{{.Counts.Infos}}</td><td>{{codes .Counts.ByCode}}</td></tr>
{{end}}{{end}}</tbody></table>
{{range $m := .Municipalities}}{{range .Organs}}{{if .Findings}}
<h2>{{$m.Name}} / {{.Name}}</h2>
{{range .Findings}}<details><summary>{{.Activity}}</summary>
<p>Source: <code>{{where .}}</code> · id <code>{{.ID}}</code></p>
{{if .Missing}}<p>Lacks: {{join .Missing ", "}}</p>{{end}}
{{if .Warnings}}<ul>{{range .Warnings}}<li class="{{.Severity}}">{{.Severity}} {{.Code}} {{.Name}}: {{.Message}}</li>{{end}}</ul>{{end}}
</details>
{{end}}{{end}}{{end}}{{end}}
</body></html>
`))

// WriteHTML writes the report as a self-contained HTML page. All text from
// the records is escaped.
func (r *Report) WriteHTML(w io.Writer) error { return htmlTmpl.Execute(w, r) }
