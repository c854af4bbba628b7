package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline"
)

// indexPath accepts an ingest output directory (holding index/) or the index
// directory itself.
func init() { commands = append(commands, newSearchCmd) }

func indexPath(dir string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("--index: no directory given")
	}
	sub := filepath.Join(dir, pipeline.IndexDir)
	if st, err := os.Stat(sub); err == nil && st.IsDir() {
		return sub, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		return dir, nil
	}
	return "", fmt.Errorf("--index %s: no search index there (run \"registerlyft ingest ... --out %s\" first)", dir, dir)
}

func newSearchCmd() *cobra.Command {
	var (
		dir                                   string
		municipality, organ, legalBasis, kind []string
		sensitive, qualityCodes, facets       []string
		size, from                            int
		asJSON                                bool
	)
	cmd := &cobra.Command{
		Use:   "search QUERY --index DIR",
		Short: "Search the ingested records",
		Long: `Search finds the records whose text matches QUERY, best first: a match in
the personal data outranks one in the purpose, which outranks one in a
document's text. QUERY is free words (all must match), "phrases",
field:value (personal_data:personnummer, legal_basis:samtycke,
municipality:"Luleå kommun") and -word to exclude. Facet counts for
municipality, organ, legal basis, sensitive data and kind are shown below the
hits.`,
		Example: `  registerlyft search personnummer --index out
  registerlyft search hälsa --legal-basis samtycke --municipality "Luleå kommun" --index out
  registerlyft search 'personal_data:personnummer -elever' --json --index out`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := indexPath(dir)
			if err != nil {
				return err
			}
			idx, err := index.Open(p)
			if err != nil {
				return err
			}
			defer idx.Close()
			q := index.Query{Text: strings.Join(args, " "), From: from, Size: size, Highlight: true, Facets: facets,
				Filters: map[string][]string{}}
			for k, v := range map[string][]string{"municipality": municipality, "organ": organ, "legal_basis": legalBasis,
				"kind": kind, "sensitive_data": sensitive, "quality": qualityCodes} {
				if len(v) > 0 {
					q.Filters[k] = v
				}
			}
			res, err := idx.Search(cmd.Context(), q)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(res)
			}
			printResult(cmd.OutOrStdout(), q, res)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&dir, "index", "i", "registerlyft-out", "ingest output `DIR` (or its index/ folder)")
	f.StringSliceVar(&municipality, "municipality", nil, "only records of this municipality (repeatable)")
	f.StringSliceVar(&organ, "organ", nil, "only records of this organ, e.g. Kommunstyrelsen (repeatable)")
	f.StringSliceVar(&legalBasis, "legal-basis", nil, "only records with this legal basis, e.g. samtycke (repeatable)")
	f.StringSliceVar(&kind, "kind", nil, "only records of this kind: activity or document")
	f.StringSliceVar(&sensitive, "sensitive", nil, "only records with this sensitive category, e.g. hälsa")
	f.StringSliceVar(&qualityCodes, "quality", nil, "only records flagged with this quality code, e.g. Q1")
	f.StringSliceVar(&facets, "facet", nil, "facets to count (default: municipality, organ, legal_basis, sensitive_data, kind)")
	f.IntVarP(&size, "size", "n", 50, "hits to show")
	f.IntVar(&from, "from", 0, "hits to skip (paging)")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

var markReplacer = strings.NewReplacer("<mark>", "\x1b[1m", "</mark>", "\x1b[0m", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&quot;", `"`)
var plainMarkReplacer = strings.NewReplacer("<mark>", "[", "</mark>", "]", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&quot;", `"`)

func printResult(w io.Writer, q index.Query, res *index.Result) {
	rep := plainMarkReplacer
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		rep = markReplacer
	}
	fmt.Fprintf(w, "%d hits for %q (%s)\n", res.Total, q.Text, res.Took.Round(1000))
	for i, h := range res.Hits {
		r := h.Record
		name := r.Activity
		if name == "" {
			name = r.Title
		}
		fmt.Fprintf(w, "\n%2d. %s  [%s]\n", q.From+i+1, name, r.Kind)
		who := strings.Trim(strings.Join([]string{r.Municipality, r.Organ}, " / "), " /")
		if who != "" {
			fmt.Fprintf(w, "    %s\n", who)
		}
		if len(r.LegalBasis) > 0 {
			fmt.Fprintf(w, "    legal basis: %s\n", strings.Join(r.LegalBasis, ", "))
		}
		if len(r.SensitiveData) > 0 {
			fmt.Fprintf(w, "    sensitive: %s\n", strings.Join(r.SensitiveData, ", "))
		}
		fields := make([]string, 0, len(h.Fragments))
		for f := range h.Fragments {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			for _, frag := range h.Fragments[f] {
				fmt.Fprintf(w, "    %s: %s\n", f, rep.Replace(strings.Join(strings.Fields(frag), " ")))
			}
		}
		loc := r.Provenance.File
		if r.Provenance.Page > 0 {
			loc += fmt.Sprintf(" p.%d", r.Provenance.Page)
		}
		if r.Provenance.Line > 0 {
			loc += fmt.Sprintf(":%d", r.Provenance.Line)
		}
		fmt.Fprintf(w, "    source: %s  (score %.3f, id %s)\n", loc, h.Score, h.ID)
	}
	names := make([]string, 0, len(res.Facets))
	for n := range res.Facets {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 0 {
		fmt.Fprintln(w, "\nFacets:")
	}
	for _, n := range names {
		var parts []string
		for _, fc := range res.Facets[n] {
			parts = append(parts, fmt.Sprintf("%s (%d)", fc.Term, fc.Count))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "  %s: %s\n", n, strings.Join(parts, ", "))
		}
	}
}
