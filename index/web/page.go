package web

import (
	"bytes"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/report"
)

// pageSize is the number of hits on one search page.
const pageSize = 20

// facetShown is how many terms of a facet are listed before "more".
const facetShown = 8

var labels = map[string]string{
	"municipality":        "Municipality",
	"organ":               "Organ (board)",
	"legal_basis":         "Legal basis",
	"sensitive_data":      "Sensitive data",
	"kind":                "Kind",
	"quality":             "Quality code",
	"format":              "Format",
	"file":                "File",
	"activity":            "Activity",
	"purpose":             "Purpose",
	"data_subjects":       "Data subjects",
	"personal_data":       "Personal data",
	"legal_basis_text":    "Legal basis (as written)",
	"legal_basis_ref":     "Legal basis reference",
	"retention":           "Retention",
	"recipients":          "Recipients",
	"sources":             "Sources",
	"third_country":       "Third country",
	"automated_decisions": "Automated decisions",
	"system":              "System",
	"security_measures":   "Security measures",
	"title":               "Title",
	"text":                "Text",
	"date":                "Date",
	"document_type":       "Document type",
	"administration":      "Administration",
}

func label(key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	return strings.ReplaceAll(key, "_", " ")
}

// fragmentOrder is the order of highlighted fields on a result card.
var fragmentOrder = []string{
	"activity", "personal_data", "sensitive_data", "purpose", "data_subjects", "legal_basis",
	"legal_basis_text", "legal_basis_ref", "retention", "recipients", "sources", "third_country",
	"system", "municipality", "organ", "title", "text",
}

// searchPage is the data of the search page template.
type searchPage struct {
	Query      string
	Filters    []chip
	Hints      []string
	Error      string
	Searched   bool // a query or filter was given
	Total      uint64
	Took       string
	First      int
	Last       int
	Hits       []hitView
	Facets     []facetView
	Prev, Next string
	ExportCSV  string
	ExportXLSX string
	Report     *report.Report
	Organs     []organRow
}

// chip is an active filter (Key is its URL parameter) with the link that
// removes it.
type chip struct {
	Key, Label, Value, Remove string
}

type facetView struct {
	Key, Label string
	Terms      []facetTerm
	More       []facetTerm
}

type facetTerm struct {
	Term   string
	Count  int
	Href   string
	Active bool
}

type hitView struct {
	ID       string
	Href     string
	Title    string
	Kind     string
	Inferred bool
	Where    string
	Basis    []string
	Fields   []fieldView
	Warnings []record.Warning
	Source   sourceLink
}

type fieldView struct {
	Label string
	HTML  []template.HTML // sanitized fragments
	Text  string          // plain value, when there is no fragment
}

// sourceLink is a record's provenance and the link that opens its file.
type sourceLink struct {
	Text string
	Href string
}

// organRow is one organ of the quality report.
type organRow struct {
	Municipality, Organ string
	Href                string
	Counts              report.Counts
	Pct                 int // completeness, 0–100
	Codes               []codeCount
}

type codeCount struct {
	Code  string
	Count int
	Href  string
}

func (s *Server) handlePage(w http.ResponseWriter, req *http.Request) {
	r := parseRequest(req.URL.Query(), pageSize)
	p := searchPage{Query: r.Text, Searched: r.Text != "" || len(r.Filters) > 0}
	for _, k := range FilterKeys {
		for _, v := range r.Filters[k] {
			p.Filters = append(p.Filters, chip{Key: param(k), Label: label(k), Value: v, Remove: r.toggle(k, v).href()})
		}
	}
	res, err := s.search(req, r, true)
	if err != nil {
		log.Printf("web: search %q: %v", r.Text, err)
		p.Error = "The search could not be run. Try fewer or simpler words."
		p.Hints = r.Hints
	} else {
		p.Hints = hints(r, res)
		p.fill(r, res)
	}
	if d, err := s.data(); err == nil {
		p.Report = d.report
		p.Organs = organRows(d.report)
	} else {
		log.Printf("web: report: %v", err)
	}
	s.render(w, http.StatusOK, "search.html", p)
}

// fill sets the hits, facets and paging of p from res.
func (p *searchPage) fill(r request, res *index.Result) {
	p.Total = res.Total
	if res.Took > 0 {
		p.Took = res.Took.Round(100_000).String()
	}
	p.First = r.From + 1
	p.Last = r.From + len(res.Hits)
	back := r.values().Encode()
	for _, h := range res.Hits {
		p.Hits = append(p.Hits, newHitView(h, back))
	}
	for _, k := range PageFacets {
		fv := facetView{Key: k, Label: label(k)}
		terms := res.Facets[k]
		for i, t := range terms {
			ft := facetTerm{Term: t.Term, Count: t.Count, Href: r.toggle(k, t.Term).href(), Active: r.has(k, t.Term)}
			if i < facetShown || ft.Active {
				fv.Terms = append(fv.Terms, ft)
			} else {
				fv.More = append(fv.More, ft)
			}
		}
		// An active filter with no hits left still shows, to be removed.
		for _, v := range r.Filters[k] {
			found := false
			for _, t := range terms {
				found = found || t.Term == v
			}
			if !found {
				fv.Terms = append(fv.Terms, facetTerm{Term: v, Href: r.toggle(k, v).href(), Active: true})
			}
		}
		if len(fv.Terms) > 0 {
			p.Facets = append(p.Facets, fv)
		}
	}
	if r.From > 0 {
		prev := r
		prev.From = max(0, r.From-r.Size)
		p.Prev = prev.href()
	}
	if uint64(r.From+r.Size) < res.Total && r.From+r.Size <= MaxFrom {
		next := r
		next.From = r.From + r.Size
		p.Next = next.href()
	}
	if res.Total > 0 {
		v := r.values()
		v.Del("from")
		v.Set("format", "csv")
		p.ExportCSV = "/api/export?" + v.Encode()
		v.Set("format", "xlsx")
		p.ExportXLSX = "/api/export?" + v.Encode()
	}
}

func newHitView(h index.Hit, back string) hitView {
	rec := h.Record
	v := hitView{ID: h.ID, Href: "/record/" + url.PathEscape(h.ID), Kind: rec.Kind, Inferred: rec.ActivityInferred,
		Basis: rec.LegalBasis, Warnings: rec.Quality.Warnings, Source: newSourceLink(&rec)}
	if back != "" {
		v.Href += "?" + back
	}
	v.Title = rec.Activity
	if v.Title == "" {
		v.Title = rec.Title
	}
	if v.Title == "" {
		v.Title = "(untitled " + rec.Kind + ")"
	}
	v.Where = strings.Trim(strings.Join([]string{rec.Municipality, rec.Organ}, " · "), " ·")
	shown := map[string]bool{}
	for _, f := range fragmentOrder {
		frags := h.Fragments[f]
		if len(frags) == 0 || f == "activity" && len(frags) == 1 && plain(frags[0]) == rec.Activity {
			continue
		}
		fv := fieldView{Label: label(f)}
		for i, fr := range frags {
			if i == 3 {
				break
			}
			// SanitizeFragment left only <mark> as markup.
			fv.HTML = append(fv.HTML, template.HTML(fr))
		}
		v.Fields = append(v.Fields, fv)
		shown[f] = true
	}
	// Without highlights (no free words), show the essentials as text.
	addText := func(key, text string) {
		if text != "" && !shown[key] {
			v.Fields = append(v.Fields, fieldView{Label: label(key), Text: text})
		}
	}
	if len(v.Fields) == 0 {
		addText("personal_data", strings.Join(rec.PersonalData, ", "))
		addText("sensitive_data", strings.Join(rec.SensitiveData, ", "))
		addText("purpose", clip(rec.Purpose, 240))
		if rec.Kind == record.KindDocument {
			addText("text", clip(rec.Text, 240))
		}
	}
	return v
}

// plain is the text of a sanitized fragment without its tags.
func plain(frag string) string {
	return strings.NewReplacer("<mark>", "", "</mark>", "", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(frag)
}

// clip shortens s to about n runes at a word boundary.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := string(rs[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// newSourceLink describes where rec came from and links to the file view.
func newSourceLink(rec *record.Record) sourceLink {
	pv := rec.Provenance
	if pv.File == "" {
		return sourceLink{}
	}
	text := pv.File
	if pv.Page > 0 {
		text += ", page " + strconv.Itoa(pv.Page)
	}
	href := sourcePath(pv.File)
	switch {
	case pv.Line > 0 && pv.EndLine > pv.Line:
		text += fmt.Sprintf(", lines %d–%d", pv.Line, pv.EndLine)
		href += fmt.Sprintf("?line=%d&end=%d#L%d", pv.Line, pv.EndLine, pv.Line)
	case pv.Line > 0:
		text += ", line " + strconv.Itoa(pv.Line)
		href += fmt.Sprintf("?line=%d#L%d", pv.Line, pv.Line)
	case pv.Page > 0:
		href += "#page=" + strconv.Itoa(pv.Page)
	}
	return sourceLink{Text: text, Href: href}
}

// sourcePath is the /source/ URL path of an input file (relative, forward
// slashes), each segment escaped.
func sourcePath(file string) string {
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return "/source/" + strings.Join(segs, "/")
}

// organRows flattens the report to one row per organ, with links that
// search that organ's records.
func organRows(rep *report.Report) []organRow {
	var rows []organRow
	for _, m := range rep.Municipalities {
		for _, o := range m.Organs {
			base := request{Filters: map[string][]string{}}
			if m.Name != report.Unknown {
				base.Filters[index.KeyMunicipality] = []string{m.Name}
			}
			if o.Name != report.Unknown {
				base.Filters[index.KeyOrgan] = []string{o.Name}
			}
			row := organRow{Municipality: m.Name, Organ: o.Name, Href: base.href(), Counts: o.Counts,
				Pct: int(o.Counts.Completeness*100 + 0.5)}
			for _, c := range sortedCodes(o.Counts.ByCode) {
				cr := base.toggle(index.KeyQuality, c)
				row.Codes = append(row.Codes, codeCount{Code: c, Count: o.Counts.ByCode[c], Href: cr.href()})
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// sortedCodes orders quality codes Q1, Q2, Q3, Q3b, ..., Q10.
func sortedCodes(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	num := func(c string) (int, string) {
		i := 1
		for i < len(c) && c[i] >= '0' && c[i] <= '9' {
			i++
		}
		n, _ := strconv.Atoi(c[min(1, len(c)):i])
		return n, c[i:]
	}
	less := func(a, b string) bool {
		na, sa := num(a)
		nb, sb := num(b)
		if na != nb {
			return na < nb
		}
		return sa < sb
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && less(keys[j], keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// recordPage is the data of the record template.
type recordPage struct {
	Rec    *record.Record
	Title  string
	Back   string
	Where  string
	Rows   []row
	Source sourceLink
}

type row struct {
	Label string
	Value string
	List  []string
}

func (s *Server) handleRecordPage(w http.ResponseWriter, req *http.Request) {
	id := req.PathValue("id")
	rec, ok, err := s.backend.Get(req.Context(), id)
	if err != nil {
		log.Printf("web: get %q: %v", id, err)
	}
	if err != nil || !ok {
		s.notFound(w, "There is no record with this id.")
		return
	}
	back := parseRequest(req.URL.Query(), pageSize)
	p := recordPage{Rec: rec, Back: back.href(), Source: newSourceLink(rec),
		Where: strings.Trim(strings.Join([]string{rec.Municipality, rec.Organ}, " · "), " ·")}
	p.Title = rec.Activity
	if p.Title == "" {
		p.Title = rec.Title
	}
	if p.Title == "" {
		p.Title = "(untitled " + rec.Kind + ")"
	}
	p.Rows = recordRows(rec)
	s.render(w, http.StatusOK, "record.html", p)
}

// recordRows lists the stated fields of rec in contract order.
func recordRows(r *record.Record) []row {
	var rows []row
	str := func(key, v string) {
		if v != "" {
			rows = append(rows, row{Label: label(key), Value: v})
		}
	}
	list := func(key string, v []string) {
		if len(v) > 0 {
			rows = append(rows, row{Label: label(key), List: v})
		}
	}
	str("kind", r.Kind)
	str("municipality", r.Municipality)
	str("organ", r.Organ)
	str("activity", r.Activity)
	str("purpose", r.Purpose)
	list("data_subjects", r.DataSubjects)
	list("personal_data", r.PersonalData)
	list("sensitive_data", r.SensitiveData)
	list("legal_basis", r.LegalBasis)
	str("legal_basis_text", r.LegalBasisText)
	str("legal_basis_ref", r.LegalBasisRef)
	str("retention", r.Retention)
	list("recipients", r.Recipients)
	list("sources", r.Sources)
	str("third_country", r.ThirdCountry)
	str("automated_decisions", r.AutomatedDecisions)
	str("system", r.System)
	str("security_measures", r.SecurityMeasures)
	str("title", r.Title)
	str("date", r.Date)
	str("document_type", r.DocumentType)
	str("administration", r.Administration)
	for _, k := range sortedKeys(r.Extra) {
		str(k, r.Extra[k])
	}
	return rows
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func (s *Server) notFound(w http.ResponseWriter, msg string) {
	s.render(w, http.StatusNotFound, "notfound.html", msg)
}

// render executes a page template into a buffer first, so that a template
// error gives a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, status int, page string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		log.Printf("web: render %s: %v", page, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

var funcs = template.FuncMap{
	"join":  strings.Join,
	"pct":   func(f float64) int { return int(f*100 + 0.5) },
	"label": label,
	"add":   func(a, b int) int { return a + b },
}

func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	for _, p := range []string{"search.html", "record.html", "source.html", "notfound.html"} {
		t, err := template.New(p).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+p)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", p, err)
		}
		s.pages[p] = t
	}
	return nil
}
