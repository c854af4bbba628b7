package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/repair"
)

func init() { commands = append(commands, newFixCmd) }

// fixBlock is how much text fix repairs at a time: whole lines up to about
// this size, so that a large input streams in bounded memory while mojibake
// evidence and OCR context still span many lines.
const fixBlock = 1 << 20

func newFixCmd() *cobra.Command {
	var (
		explain  bool
		encoding string
	)
	cmd := &cobra.Command{
		Use:   "fix [FILE...]",
		Short: "Repair broken Swedish text (mojibake, OCR damage to å/ä/ö)",
		Long: `Fix decodes each FILE (standard input when none is given) and writes the
repaired text to standard output as UTF-8: mojibake of every common code page
undone ("fÃ¶r", "f√∂r", "f├Âr", "f”r" → "för"), OCR damage to å/ä/ö restored
("fértroendevalda" → "förtroendevalda", "6vervaka" → "övervaka"), words cut
by a hyphen inside a line joined. Correct text passes unchanged; e-mail
addresses, URLs and identifiers are never touched. The encoding of the input
is detected (BOM, UTF-16, UTF-8, else a code page chosen by how Swedish the
result reads) unless --encoding names it.

With --explain every change is listed on standard error with its line, kind,
confidence and the words before and after; changes whose confidence is below
the threshold are listed as "not applied" and left for a person to judge.`,
		Example: `  registerlyft fix scan.txt > fixed.txt
  cat export.txt | registerlyft fix --explain
  registerlyft fix --encoding cp850 dos-register.txt`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r := repair.New()
			if encoding != "" {
				if _, _, err := r.DecodeAs(nil, encoding); err != nil {
					return fmt.Errorf("--encoding: %w", err)
				}
			}
			out := bufio.NewWriterSize(cmd.OutOrStdout(), 1<<16)
			defer out.Flush()
			var explainTo io.Writer
			if explain {
				explainTo = cmd.ErrOrStderr()
			}
			if len(args) == 0 {
				return fixStream(r, "-", os.Stdin, out, explainTo, encoding)
			}
			for _, name := range args {
				f, err := os.Open(name)
				if err != nil {
					return fmt.Errorf("fix: %w", err)
				}
				err = fixStream(r, name, f, out, explainTo, encoding)
				f.Close()
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&explain, "explain", false, "list each change (line, kind, confidence, from → to) on standard error")
	cmd.Flags().StringVar(&encoding, "encoding", "", "source encoding instead of detecting it: "+strings.Join(repair.Encodings, ", "))
	return cmd
}

// fixStream repairs one input block by block. The first block decides the
// encoding (unless one is forced) and the rest are read the same way.
func fixStream(r *repair.Repairer, name string, in io.Reader, out io.Writer, explain io.Writer, encoding string) error {
	br := bufio.NewReaderSize(in, fixBlock+4096)
	line := 0 // lines written before the current block
	first := true
	for {
		block, err := readBlock(br)
		if len(block) > 0 {
			if first && encoding == "" && isUTF16(block) {
				// Lines cannot be cut at a byte '\n' in UTF-16: read it whole.
				rest, rerr := io.ReadAll(br)
				if rerr != nil {
					return fmt.Errorf("fix %s: %w", name, rerr)
				}
				block = append(block, rest...)
				err = io.EOF
			}
			var text, enc string
			var derr error
			if encoding != "" {
				text, enc, derr = r.DecodeAs(block, encoding)
			} else {
				text, enc, derr = r.Decode(block)
			}
			if derr != nil {
				return fmt.Errorf("fix %s (line %d on): %w", name, line+1, derr)
			}
			if first && explain != nil && enc != repair.EncUTF8 {
				fmt.Fprintf(explain, "%s: read as %s\n", name, enc)
			}
			if first && encoding == "" {
				encoding = enc // later blocks: the same code page
				if enc == repair.EncUTF8BOM {
					encoding = repair.EncUTF8
				}
			}
			first = false
			fixed, fixes := r.Text(text)
			if explain != nil {
				explainFixes(explain, name, line, fixes)
			}
			if _, werr := io.WriteString(out, fixed); werr != nil {
				return fmt.Errorf("fix: writing output: %w", werr)
			}
			line += strings.Count(text, "\n")
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("fix %s: %w", name, err)
		}
	}
}

// readBlock reads up to about fixBlock bytes ending with a whole line.
func readBlock(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for len(buf) < fixBlock {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue // a very long line: keep reading it
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func isUTF16(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	if len(b) > 64 {
		b = b[:64]
	}
	return bytes.Count(b, []byte{0}) > len(b)/4
}

// explainFixes writes one line per change.
func explainFixes(w io.Writer, name string, lineOffset int, fixes []record.Fix) {
	for _, f := range fixes {
		note := ""
		if f.Applied != nil && !*f.Applied {
			note = "  (not applied: below the confidence threshold)"
		}
		fmt.Fprintf(w, "%s:%d: %s %.2f %q → %q%s\n", name, lineOffset+f.Line, f.Kind, f.Confidence, f.From, f.To, note)
	}
}
