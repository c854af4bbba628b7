package main

import (
	"github.com/spf13/cobra"

	"github.com/registerlyft/registerlyft/extractors/ocr"
	"github.com/registerlyft/registerlyft/extractors/ocr/worker"
)

func init() { commands = append(commands, newOCRWorkerCmd) }

// newOCRWorkerCmd is the hidden "ocr-worker" subcommand: an OCR worker
// process that the pipeline's OCR pool (package extractors/ocr) starts, one
// per core. It reads page jobs on stdin and writes results on stdout (frames
// of package ocr's protocol) until stdin ends. It is not meant to be run by
// hand.
func newOCRWorkerCmd() *cobra.Command {
	return &cobra.Command{
		Use:    ocr.WorkerCommand,
		Short:  "OCR worker process (started by ingest; reads jobs on stdin)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if code := worker.Main(); code != 0 {
				return exitError{code: code}
			}
			return nil
		},
	}
}
