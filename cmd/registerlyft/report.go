package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/registerlyft/registerlyft/pipeline"
	"github.com/registerlyft/registerlyft/pipeline/report"
)

func init() { commands = append(commands, newReportCmd) }

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func newReportCmd() *cobra.Command {
	var dir, format, out string
	cmd := &cobra.Command{
		Use:   "report --index DIR",
		Short: "Quality report per municipality and organ",
		Long: `Report shows, per municipality and organ (nämnd), how complete the activity
records are and which defects they carry (Q1 missing field, Q2 placeholder,
Q3 legal basis unmapped, ...), then each incomplete or flagged record with
what it lacks and its source file and line.`,
		Example: `  registerlyft report --index out
  registerlyft report --index out --format html --out report.html
  registerlyft report --index out --format csv > findings.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := filepath.Join(dir, pipeline.RecordsFile)
			recs, err := pipeline.ReadRecords(path)
			if err != nil {
				return fmt.Errorf("report: %w (run \"registerlyft ingest ... --out %s\" first)", err, dir)
			}
			rep := report.Build(recs)
			w := cmd.OutOrStdout()
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			return rep.Write(w, format)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&dir, "index", "i", "registerlyft-out", "ingest output `DIR`")
	f.StringVarP(&format, "format", "f", "text", "text, html, json or csv")
	f.StringVarP(&out, "out", "o", "", "write to `FILE` instead of standard output")
	return cmd
}
