// Command registerlyft lifts Swedish municipalities' GDPR registers
// (registerförteckning, article 30) out of legacy documents into structured,
// searchable records, and reports their quality.
//
//	registerlyft ingest PATH... --out DIR     ingest files and folders
//	registerlyft search QUERY --index DIR     search the ingested records
//	registerlyft report --index DIR           quality report per organ and municipality
//
// Run "registerlyft help COMMAND" for each command's flags.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	if err := root.ExecuteContext(ctx); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "registerlyft:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a code after its message was printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "registerlyft",
		Short:         "Lift GDPR registers (registerförteckningar) out of legacy documents",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	for _, c := range commands {
		root.AddCommand(c())
	}
	return root
}

// commands holds every subcommand's constructor; each command's file adds
// its own in an init function, so commands are added without editing this
// file.
var commands []func() *cobra.Command
