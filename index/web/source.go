package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/pipeline/manifest"
	"github.com/registerlyft/registerlyft/pipeline/repair"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

// maxViewBytes is the largest input file shown as numbered lines; larger
// ones are served as they are.
const maxViewBytes = 16 << 20

// sourcePage is the data of the numbered-lines view of an input file.
type sourcePage struct {
	File     string
	Kind     string
	Encoding string
	Raw      string // link to the file as it is
	Changed  bool   // the file's sha256 differs from the manifest's
	From, To int    // highlighted lines (the record's span), 0 if none
	Lines    []sourceLine
}

type sourceLine struct {
	N    int
	Text string
	Mark bool
}

// cleanSourcePath checks a /source/ path (already URL-decoded once): it
// must be relative, clean, slash-separated and stay below its root. It
// returns "" when p is none of that.
func cleanSourcePath(p string) string {
	switch {
	case p == "", !utf8.ValidString(p),
		strings.ContainsAny(p, "\x00\\"),
		strings.HasPrefix(p, "/"),
		path.IsAbs(p), filepath.IsAbs(p), filepath.VolumeName(p) != "",
		path.Clean(p) != p,
		p == "..", strings.HasPrefix(p, "../"), p == ".":
		return ""
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." || seg == "" {
			return ""
		}
	}
	return p
}

// handleSource serves an input file named in the manifest, read-only, from
// the root it was ingested from. It is called for every path under
// /source/ before the mux cleans the path, so that "..", its encoded forms,
// absolute paths and symlinks out of the root are refused here (404 for a
// name that is not in the manifest, 403 for a way out of the root).
func (s *Server) handleSource(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rel := cleanSourcePath(strings.TrimPrefix(req.URL.Path, "/source/"))
	if rel == "" {
		s.notFound(w, "There is no input file by this name.")
		return
	}
	d, err := s.data()
	if err != nil {
		log.Printf("web: source %q: %v", rel, err)
		s.notFound(w, "There is no input file by this name.")
		return
	}
	e := d.manifest.Entries[rel]
	if e == nil || !filepath.IsAbs(e.Root) {
		s.notFound(w, "There is no input file by this name.")
		return
	}
	root, err := os.OpenRoot(e.Root)
	if err != nil {
		log.Printf("web: source %q: open root: %v", rel, err)
		s.notFound(w, "The input folder of this file is no longer there.")
		return
	}
	defer root.Close()
	f, err := root.Open(filepath.FromSlash(rel))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			s.notFound(w, "The input file is no longer there.")
			return
		}
		// os.Root refuses symlinks and paths that lead out of the root.
		log.Printf("web: source %q: %v", rel, err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "forbidden: the file is outside its ingest folder\n")
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		s.notFound(w, "The input file is no longer there.")
		return
	}

	q := req.URL.Query()
	textKind := e.Kind == sniff.Text || e.Kind == sniff.CSV
	view := q.Get("raw") == "" && (textKind || e.Kind == sniff.HTML && q.Get("view") != "") && st.Size() <= maxViewBytes
	if !view {
		serveRaw(w, req, e, f, st)
		return
	}
	b, err := io.ReadAll(io.LimitReader(f, maxViewBytes+1))
	if err != nil {
		log.Printf("web: source %q: %v", rel, err)
		s.notFound(w, "The input file could not be read.")
		return
	}
	text, enc, err := repair.New().Decode(b)
	if err != nil {
		if _, err := f.Seek(0, io.SeekStart); err == nil {
			serveRaw(w, req, e, f, st)
			return
		}
		s.notFound(w, "The input file could not be read.")
		return
	}
	sum := sha256.Sum256(b)
	p := sourcePage{File: rel, Kind: e.Kind, Encoding: enc, Raw: sourcePath(rel) + "?raw=1",
		Changed: e.SHA256 != "" && hex.EncodeToString(sum[:]) != e.SHA256}
	p.From = clampInt(q.Get("line"), 0, 0, 1<<30)
	p.To = clampInt(q.Get("end"), p.From, p.From, 1<<30)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for i, l := range strings.Split(text, "\n") {
		n := i + 1
		p.Lines = append(p.Lines, sourceLine{N: n, Text: l, Mark: p.From > 0 && n >= p.From && n <= p.To})
	}
	s.render(w, http.StatusOK, "source.html", p)
}

// serveRaw sends the file as it is, under a sandbox policy: an HTML input
// renders without scripts, anything that is not a document or image is a
// download.
func serveRaw(w http.ResponseWriter, req *http.Request, e *manifest.Entry, f *os.File, st fs.FileInfo) {
	h := w.Header()
	h.Set("Content-Security-Policy", sourceCSP)
	h.Set("Cache-Control", "no-store")
	name := path.Base(e.Path)
	ctype, inline := "application/octet-stream", false
	switch e.Kind {
	case sniff.PDF:
		ctype, inline = "application/pdf", true
	case sniff.PNG:
		ctype, inline = "image/png", true
	case sniff.JPEG:
		ctype, inline = "image/jpeg", true
	case sniff.HTML:
		ctype, inline = "text/html", true
		if enc := e.Encoding; enc != "" && !strings.HasPrefix(enc, "utf-16") {
			ctype += "; charset=" + strings.TrimSuffix(enc, "-bom")
		}
	case sniff.Text, sniff.CSV:
		ctype, inline = "text/plain", true
		if enc := e.Encoding; enc != "" && !strings.HasPrefix(enc, "utf-16") {
			ctype += "; charset=" + strings.TrimSuffix(enc, "-bom")
		}
	}
	h.Set("Content-Type", ctype)
	disp := "attachment"
	if inline {
		disp = "inline"
	}
	h.Set("Content-Disposition", disp+`; filename="`+asciiName(name)+`"; filename*=UTF-8''`+pathEscapeAll(name))
	http.ServeContent(w, req, "", st.ModTime(), f)
}

// asciiName replaces what may not stand in a quoted header value.
func asciiName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			b[i] = '_'
		}
	}
	return string(b)
}

// pathEscapeAll percent-encodes every byte outside the RFC 5987 attr-char set.
func pathEscapeAll(s string) string {
	const ok = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(ok, c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
		}
	}
	return b.String()
}
