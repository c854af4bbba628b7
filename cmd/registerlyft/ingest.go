package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sort"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/registerlyft/registerlyft/pipeline"
)

func init() { commands = append(commands, newIngestCmd) }

func newIngestCmd() *cobra.Command {
	var (
		out      string
		workers  int
		maxSize  int64
		noIndex  bool
		progress string
		cpuprof  string
	)
	cmd := &cobra.Command{
		Use:   "ingest PATH... --out DIR",
		Short: "Ingest files and folders into records, a search index and a manifest",
		Long: `Ingest walks the given files and folders, detects each file's kind by its
content, and runs it through the stages: read, decode and repair the text,
detect the layout, extract records, normalize, quality-check. It writes into
DIR:

  records.jsonl     one record per processing activity or document
  index/            the bleve search index (see "registerlyft search")
  manifest.json     one entry per input file: path, sha256, size, kind, outcome
  quarantine.jsonl  inputs that gave no records, each with its reason

A rerun skips files whose content is unchanged and replaces the records of
changed ones. Ctrl-C stops taking new files and leaves DIR consistent.`,
		Example: `  registerlyft ingest testdata/seeds --out out
  registerlyft ingest registers/ notices/*.html --out out --workers 4`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cpuprof != "" {
				f, err := os.Create(cpuprof)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			env := pipeline.DefaultEnv()
			if maxSize > 0 {
				env.MaxSize = maxSize
			}
			cfg := pipeline.Config{Inputs: args, Out: out, Workers: workers, Env: env, NoIndex: noIndex}
			stderr := cmd.ErrOrStderr()
			mode := progress
			if mode == "auto" {
				mode = "log"
				if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
					mode = "bar"
				}
			}
			var bar *progressbar.ProgressBar
			switch mode {
			case "bar":
				cfg.Progress = func(p pipeline.Progress) {
					if bar == nil {
						bar = progressbar.NewOptions(p.Total,
							progressbar.OptionSetWriter(stderr),
							progressbar.OptionSetDescription("ingest"),
							progressbar.OptionShowCount(),
							progressbar.OptionSetElapsedTime(true),
							progressbar.OptionSetPredictTime(true),
							progressbar.OptionShowIts(),
							progressbar.OptionSetItsString("files"),
							progressbar.OptionClearOnFinish(),
						)
					}
					bar.Describe(fmt.Sprintf("%d records", p.Records))
					bar.Add(1)
				}
			case "log":
				cfg.Progress = func(p pipeline.Progress) {
					fmt.Fprintf(stderr, "[%d/%d] %s: %s (%s), %d records so far, %s\n",
						p.Done, p.Total, p.File, p.Outcome, p.Detail, p.Records, p.Elapsed.Round(time.Millisecond))
				}
			case "none":
			default:
				return fmt.Errorf("--progress: unknown mode %q (want auto, bar, log or none)", progress)
			}
			cfg.Log = func(format string, a ...any) { fmt.Fprintf(stderr, "warning: "+format+"\n", a...) }
			sum, err := pipeline.Run(cmd.Context(), cfg)
			if bar != nil {
				bar.Finish()
			}
			if sum != nil {
				printSummary(cmd.OutOrStdout(), sum)
			}
			if errors.Is(err, context.Canceled) {
				fmt.Fprintf(stderr, "cancelled: %d files not processed; rerun the same command to continue\n", sum.Cancelled)
				return exitError{130}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "registerlyft-out", "output `DIR`")
	f.IntVarP(&workers, "workers", "j", 0, "parallel workers (0: one per core)")
	f.Int64Var(&maxSize, "max-size", pipeline.DefaultMaxSize, "largest input file in `bytes`; larger files are quarantined")
	f.BoolVar(&noIndex, "no-index", false, "do not build the search index")
	f.StringVar(&progress, "progress", "auto", "progress display: auto, bar, log or none")
	f.StringVar(&cpuprof, "cpuprofile", "", "write a CPU profile to `FILE` (for go tool pprof)")
	return cmd
}

func printSummary(w io.Writer, s *pipeline.Summary) {
	fmt.Fprintf(w, "Ingested %d input files in %s into %s\n", s.Files, s.Elapsed.Round(time.Millisecond), s.Out)
	fmt.Fprintf(w, "  with records:  %d\n", s.WithRecords)
	fmt.Fprintf(w, "  quarantined:   %d\n", s.Quarantined)
	reasons := make([]string, 0, len(s.ByReason))
	for r := range s.ByReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(w, "    %-32s %d\n", r, s.ByReason[r])
	}
	if s.Cancelled > 0 {
		fmt.Fprintf(w, "  not processed (cancelled): %d\n", s.Cancelled)
	}
	fmt.Fprintf(w, "  (processed %d, unchanged and skipped %d", s.Processed, s.Unchanged)
	if s.Removed > 0 {
		fmt.Fprintf(w, ", removed since last run %d", s.Removed)
	}
	fmt.Fprintln(w, ")")
	fmt.Fprintf(w, "Records: %d", s.Records)
	exs := make([]string, 0, len(s.ByExtractor))
	for e := range s.ByExtractor {
		exs = append(exs, e)
	}
	sort.Strings(exs)
	for i, e := range exs {
		sep := ", "
		if i == 0 {
			sep = " ("
		}
		fmt.Fprintf(w, "%s%s %d", sep, e, s.ByExtractor[e])
	}
	if len(exs) > 0 {
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
}
