package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline"
	"github.com/registerlyft/registerlyft/pipeline/export"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

func init() { commands = append(commands, newExportCmd) }

func newExportCmd() *cobra.Command {
	var (
		dir, format, out                      string
		perOrgan                              bool
		municipality, organ, legalBasis, kind []string
	)
	cmd := &cobra.Command{
		Use:   "export --index DIR --format csv|xlsx|jsonl [QUERY]",
		Short: "Export records as a spreadsheet (CSV, XLSX) or JSON Lines",
		Long: `Export writes the ingested records, one row per record, with the contract's
fields under Swedish column names (Behandling, Ändamål, Kategorier av
registrerade, ..., Kvalitetsvarningar, Fil, Sida, Rad, Id). Lists are one item
per line inside their cell. CSV is UTF-8 with a byte-order mark and ";"
between cells, so Excel opens it right; XLSX has a frozen header row with
filters, set widths, wrapped text and, with --per-organ, one more sheet per
board (nämnd). An export read back by "registerlyft ingest" gives the same
records.

With no QUERY and no filter every record is exported in records.jsonl order;
otherwise the records that the search (same syntax as "search") finds, in
that same order.`,
		Example: `  registerlyft export --index out --format xlsx --out register.xlsx --per-organ
  registerlyft export --index out --format csv --organ Socialnämnden > soc.csv
  registerlyft export personnummer --index out --format jsonl`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format = strings.ToLower(format)
			if export.ContentType(format) == "" {
				return fmt.Errorf("--format %q: want one of %s", format, strings.Join(export.Formats, ", "))
			}
			filters := map[string][]string{}
			for k, v := range map[string][]string{"municipality": municipality, "organ": organ,
				"legal_basis": legalBasis, "kind": kind} {
				if len(v) > 0 {
					filters[k] = v
				}
			}
			query := strings.TrimSpace(strings.Join(args, " "))
			recs, err := exportRecords(cmd, dir, query, filters)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return fmt.Errorf("export: %w", err)
				}
				bw := bufio.NewWriter(f)
				err = export.Write(bw, format, recs, export.Options{PerOrgan: perOrgan})
				if err == nil {
					err = bw.Flush()
				}
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					os.Remove(out)
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "exported %d records to %s\n", len(recs), out)
				return nil
			}
			if f, ok := w.(*os.File); ok && format == export.XLSX && isTerminal(f) {
				return fmt.Errorf("export: an XLSX workbook is binary; give --out FILE or redirect the output")
			}
			bw := bufio.NewWriter(w)
			if err := export.Write(bw, format, recs, export.Options{PerOrgan: perOrgan}); err != nil {
				return err
			}
			return bw.Flush()
		},
	}
	f := cmd.Flags()
	f.StringVarP(&dir, "index", "i", "registerlyft-out", "ingest output `DIR`")
	f.StringVarP(&format, "format", "f", "xlsx", "csv, xlsx or jsonl")
	f.StringVarP(&out, "out", "o", "", "write to `FILE` instead of standard output")
	f.BoolVar(&perOrgan, "per-organ", false, "XLSX: add one sheet per organ (nämnd)")
	f.StringSliceVar(&municipality, "municipality", nil, "only records of this municipality (repeatable)")
	f.StringSliceVar(&organ, "organ", nil, "only records of this organ, e.g. Kommunstyrelsen (repeatable)")
	f.StringSliceVar(&legalBasis, "legal-basis", nil, "only records with this legal basis, e.g. samtycke (repeatable)")
	f.StringSliceVar(&kind, "kind", nil, "only records of this kind: activity or document")
	return cmd
}

// exportRecords returns the records to export: all of records.jsonl when
// there is no query and no filter, else every hit of the search (paged
// through), in records.jsonl order where that file is there.
func exportRecords(cmd *cobra.Command, dir, query string, filters map[string][]string) ([]record.Record, error) {
	p, err := indexPath(dir)
	if err != nil {
		return nil, err
	}
	all, allErr := pipeline.ReadRecords(filepath.Join(filepath.Dir(p), pipeline.RecordsFile))
	if query == "" && len(filters) == 0 && allErr == nil {
		return all, nil
	}
	idx, err := index.Open(p)
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	var hits []record.Record
	for from := 0; ; {
		res, err := idx.Search(cmd.Context(), index.Query{Text: query, Filters: filters, From: from, Size: index.MaxSize})
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			hits = append(hits, h.Record)
		}
		from += len(res.Hits)
		if len(res.Hits) == 0 || uint64(from) >= res.Total {
			break
		}
	}
	if allErr != nil {
		return hits, nil // no records.jsonl beside the index: best first
	}
	want := make(map[string]bool, len(hits))
	for _, h := range hits {
		want[h.ID] = true
	}
	out := make([]record.Record, 0, len(hits))
	for _, r := range all {
		if want[r.ID] {
			out = append(out, r)
			delete(want, r.ID)
		}
	}
	for _, h := range hits { // indexed but missing from records.jsonl
		if want[h.ID] {
			out = append(out, h)
		}
	}
	return out, nil
}
