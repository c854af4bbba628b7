package main

import (
	"fmt"
	"log"

	"github.com/spf13/cobra"

	"github.com/registerlyft/registerlyft/index/web"
)

func init() { commands = append(commands, newServeCmd) }

func newServeCmd() *cobra.Command {
	var dir, addr string
	cmd := &cobra.Command{
		Use:   "serve --index DIR [--addr 127.0.0.1:8080]",
		Short: "Serve the search page and the JSON API",
		Long: `Serve starts a web server over an ingest output directory: a search page
(query box, facet filters with counts, highlighted hits with their quality
warnings and a link to the source file and line, the quality report per
organ, CSV/Excel export of the hits) and a JSON API:

  /api/search?q=…&municipality=…&organ=…&legal_basis=…&sensitive_data=…&kind=…&quality=…&from=…&size=…
  /api/records/{id}   /api/facets?q=…   /api/report   /api/export?format=csv|xlsx&q=…

Source files are served read-only from the folders they were ingested from,
and only the files the manifest names. The page needs no internet access.
It listens on 127.0.0.1 by default; put it behind an authenticating proxy
before you open it to a network: it has no login of its own.`,
		Example: `  registerlyft serve --index out
  registerlyft serve --index out --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := web.Open(dir)
			if err != nil {
				return err
			}
			defer s.Close()
			return web.ListenAndServe(cmd.Context(), addr, s, func(a string) {
				fmt.Fprintf(cmd.ErrOrStderr(), "registerlyft: serving %s on http://%s/ (Ctrl-C stops)\n", dir, a)
				log.SetPrefix("registerlyft serve: ")
			})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&dir, "index", "i", "registerlyft-out", "ingest output `DIR`")
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "`HOST:PORT` to listen on")
	return cmd
}
