package pipeline

// The reader of Word documents (sniff.DOCX): the zip container is opened
// with archive/zip and word/document.xml read with encoding/xml as a
// stream of tokens.
//
// Tables (w:tbl) become one extractors.Sheet each, in document order, as
// the XLSX reader fills them: one row per w:tr, a cell's paragraphs joined
// with "\n", a cell spanning grid columns (w:gridSpan) or continued from
// the row above (w:vMerge) listed as a merged range with its text in the
// top-left cell and the covered cells empty. A table nested in a cell is
// flattened into that cell, one line per paragraph. Empty tables are left
// out.
//
// doc.Lines holds first the tables' rows, rendered as the XLSX reader
// renders them (cells joined with " | ", one line per row, the tables one
// after another, each line carrying its table's 1-based index as its page),
// so that the sheet extractor's record lines point at their rows; then,
// after a blank line, the paragraphs outside tables in document order
// (page 0), rendered as extractors/htmltext renders a page: a blank line
// between paragraphs, a line break (w:br, w:cr) starting a new line, list
// paragraphs (w:numPr) as "• " items without blank lines between them,
// whitespace runs collapsed. Paragraphs with a heading style (a style id
// starting with "Heading" or "Rubrik", a style that styles.xml names a
// heading or title or gives an outline level) or a direct w:outlineLvl
// are marked in doc.Headings.
//
// Text is what Word shows: w:t of the runs, w:tab as a space,
// w:noBreakHyphen as "-"; left out are deleted and moved-away text of
// tracked changes (w:del, w:moveFrom; w:ins and w:moveTo are kept), field
// codes (w:instrText), hidden runs (w:vanish), symbols (w:sym), soft
// hyphens, the fallback copy of text boxes (mc:Fallback) and the old
// properties of tracked formatting changes. Headers, footers, footnotes
// and comments live in other parts and are not read. doc.Title comes from
// docProps/core.xml (dc:title).
//
// Every paragraph and cell goes through the repair stage, and the repairs
// are kept with their line, as for the other readers. Hostile inputs end
// in quarantine with a reason: a container that is not a readable zip
// (truncated), one that lacks its main part, a part that unpacks to more
// than its directory says or than MaxUnzipBytes in all (a zip bomb),
// malformed or absurdly deep XML, tables past the table readers' limits,
// and a document without any text.

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html/charset"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/header"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

// Limits of the DOCX reader beside the table readers' (MaxUnzipBytes for
// the whole container, MaxTableRows, MaxTableColumns, MaxTableCells and
// MaxCellBytes for its tables).
const (
	// MaxDOCXPartBytes is the largest XML part read (word/document.xml,
	// styles, properties). A 1,000-page document's text is a few MB; the
	// XML is tokenized in memory, so a part of hundreds of MB (a bomb
	// that stays under MaxUnzipBytes) is refused before it is inflated.
	MaxDOCXPartBytes = 64 << 20
	// MaxDOCXParagraphBytes is the longest paragraph.
	MaxDOCXParagraphBytes = 1 << 20
	// MaxDOCXLines is the most lines (paragraph lines and table rows).
	MaxDOCXLines = MaxTableRows
	// maxDOCXDepth is the deepest element nesting accepted; Word nests
	// a few dozen levels, tables in tables a few more each.
	maxDOCXDepth = 1_000
	// maxDOCXParts is the most parts a container may hold.
	maxDOCXParts = 10_000
)

// Namespaces of WordprocessingML (transitional and strict) and of markup
// compatibility.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	relOffice = "/officeDocument"
)

func init() {
	registerReader(readDOCX, sniff.DOCX)
}

// readDOCX reads a Word document into doc.
func readDOCX(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	zr, err := zip.NewReader(bytes.NewReader(it.Bytes), int64(len(it.Bytes)))
	if err != nil {
		return quarantine(ReasonCorrupt, "DOCX is not a readable zip container (%v): the file is truncated or damaged", err)
	}
	if len(zr.File) > maxDOCXParts {
		return errTooLarge("DOCX holds %d parts; the most accepted is %d", len(zr.File), maxDOCXParts)
	}
	var sum uint64
	for _, zf := range zr.File {
		sum += zf.UncompressedSize64
		if sum > MaxUnzipBytes || zf.UncompressedSize64 > MaxUnzipBytes { // the second: sum may wrap
			return errTooLarge("DOCX unpacks to more than %d bytes (%s alone declares %d): a zip bomb, or far larger than any register", MaxUnzipBytes, zf.Name, zf.UncompressedSize64)
		}
	}
	mainPart := docxMainPart(zr)
	if mainPart == nil {
		return quarantine(ReasonCorrupt, "DOCX has no main document part (word/document.xml): a damaged Word file, or another kind of zip container")
	}
	doc.Title = docxTitle(zr)

	p := &docxParser{ctx: ctx, part: mainPart.Name, styles: docxReadStyles(zr)}
	if err := p.parse(mainPart); err != nil {
		return err
	}
	return p.fill(env, it, doc)
}

// findPart returns the part with the given name (ASCII case ignored, as
// package part names are), or nil.
func findPart(zr *zip.Reader, name string) *zip.File {
	for _, zf := range zr.File {
		if strings.EqualFold(strings.TrimPrefix(zf.Name, "/"), name) {
			return zf
		}
	}
	return nil
}

// docxMainPart returns word/document.xml, or the part that the package
// relationships (_rels/.rels) name as the office document.
func docxMainPart(zr *zip.Reader) *zip.File {
	if zf := findPart(zr, "word/document.xml"); zf != nil {
		return zf
	}
	rels := findPart(zr, "_rels/.rels")
	if rels == nil {
		return nil
	}
	b, err := readZipPart(rels, 1<<20)
	if err != nil {
		return nil
	}
	var r struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(b, &r) != nil {
		return nil
	}
	for _, rel := range r.Rel {
		if strings.HasSuffix(rel.Type, relOffice) {
			if zf := findPart(zr, path.Clean(strings.TrimPrefix(rel.Target, "/"))); zf != nil {
				return zf
			}
		}
	}
	return nil
}

// readZipPart inflates a small part whole, checking its declared size
// against limit and the bytes it actually gives against its declared size.
func readZipPart(zf *zip.File, limit int64) ([]byte, error) {
	if zf.UncompressedSize64 > uint64(limit) {
		return nil, errTooLarge("DOCX part %s declares %d bytes; the largest accepted is %d", zf.Name, zf.UncompressedSize64, limit)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, quarantine(ReasonCorrupt, "DOCX part %s: %v", zf.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, int64(zf.UncompressedSize64)+1))
	switch {
	case err != nil:
		return nil, quarantine(ReasonCorrupt, "DOCX part %s does not unpack as its directory says (%v): damaged, or a zip bomb", zf.Name, err)
	case uint64(len(b)) != zf.UncompressedSize64:
		return nil, quarantine(ReasonCorrupt, "DOCX part %s unpacks to %d bytes, its directory says %d: damaged, or a zip bomb", zf.Name, len(b), zf.UncompressedSize64)
	}
	return b, nil
}

// docxTitle returns dc:title of docProps/core.xml, whitespace collapsed, or
// "" when there is none or the part cannot be read.
func docxTitle(zr *zip.Reader) string {
	zf := findPart(zr, "docProps/core.xml")
	if zf == nil {
		return ""
	}
	b, err := readZipPart(zf, 1<<20)
	if err != nil {
		return ""
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.CharsetReader = charset.NewReaderLabel
	var title strings.Builder
	in := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			in = t.Name.Space == nsDC && t.Name.Local == "title"
		case xml.EndElement:
			if in {
				return strings.Join(strings.Fields(title.String()), " ")
			}
		case xml.CharData:
			if in {
				title.Write(t)
			}
		}
	}
	return ""
}

// docxStyles is what word/styles.xml says about the paragraph styles a
// document uses, by style id.
type docxStyles struct {
	heading map[string]bool // named "heading N", "Rubrik N" or "Title", or with an outline level below 9
	list    map[string]bool // numbered or bulleted (a numbering in the style)
}

// docxReadStyles reads word/styles.xml: which paragraph styles are
// headings and which are list styles, themselves or through the styles
// they are based on. Empty when the part is missing or unreadable (style
// ids then decide).
func docxReadStyles(zr *zip.Reader) docxStyles {
	out := docxStyles{heading: map[string]bool{}, list: map[string]bool{}}
	zf := findPart(zr, "word/styles.xml")
	if zf == nil {
		return out
	}
	b, err := readZipPart(zf, MaxDOCXPartBytes)
	if err != nil {
		return out
	}
	type style struct {
		name, basedOn string
		paraProps
	}
	all := map[string]*style{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.CharsetReader = charset.NewReaderLabel
	var cur *style
	var stack []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > maxDOCXDepth {
				return out
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, wLocal(t.Name))
			switch wLocal(t.Name) {
			case "style":
				cur = nil
				if id := wAttr(t, "styleId"); id != "" && (wAttr(t, "type") == "" || wAttr(t, "type") == "paragraph") {
					cur = &style{paraProps: paraProps{outline: -1}}
					all[id] = cur
				}
			case "name":
				if cur != nil && parent == "style" {
					cur.name = wAttr(t, "val")
				}
			case "basedOn":
				if cur != nil && parent == "style" {
					cur.basedOn = wAttr(t, "val")
				}
			default:
				if cur != nil {
					cur.set(wLocal(t.Name), parent, t)
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				if stack[len(stack)-1] == "style" {
					cur = nil
				}
				stack = stack[:len(stack)-1]
			}
		}
	}
	// inherit walks s and the styles it is based on until decide decides.
	inherit := func(s *style, decide func(*style) (bool, bool)) bool {
		for depth := 0; s != nil && depth < 16; depth++ {
			if v, ok := decide(s); ok {
				return v
			}
			s = all[s.basedOn]
		}
		return false
	}
	isHeading := func(s *style) (bool, bool) {
		n := strings.ToLower(strings.TrimSpace(s.name))
		switch {
		case s.outline >= 0:
			return s.outline < 9, true
		case n == "title" || n == "rubrik" || headingName(n):
			return true, true
		}
		return false, false
	}
	isList := func(s *style) (bool, bool) { return s.numID != "" && s.numID != "0", s.numID != "" }
	for id, s := range all {
		if inherit(s, isHeading) {
			out.heading[id] = true
		}
		if inherit(s, isList) {
			out.list[id] = true
		}
	}
	return out
}

// headingName reports whether a lower-cased style name is "heading N" or
// "rubrik N".
func headingName(n string) bool {
	for _, p := range []string{"heading ", "rubrik "} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			if _, err := strconv.Atoi(rest); err == nil {
				return true
			}
		}
	}
	return false
}

// wLocal returns the local name of a WordprocessingML element, or "" for
// an element of another namespace (mc: elements as "mc:"+local).
func wLocal(n xml.Name) string {
	switch n.Space {
	case nsW, nsWStrict:
		return n.Local
	case nsMC:
		return "mc:" + n.Local
	}
	return ""
}

// wAttr returns the value of the w: attribute named local ("" if absent).
// An attribute without a namespace is taken too (some producers write
// them so).
func wAttr(t xml.StartElement, local string) string {
	v := ""
	for _, a := range t.Attr {
		if a.Name.Local != local {
			continue
		}
		switch a.Name.Space {
		case nsW, nsWStrict:
			return a.Value
		case "":
			v = a.Value
		}
	}
	return v
}

// onOff reads a WordprocessingML on/off property (absent value: on).
func onOff(t xml.StartElement) bool {
	switch wAttr(t, "val") {
	case "false", "0", "off":
		return false
	}
	return true
}

// docxSkip lists the elements whose whole content is left out: deleted
// and moved-away text, field codes, the fallback copy of alternate
// content, and the old properties of tracked formatting changes.
var docxSkip = map[string]bool{
	"del": true, "moveFrom": true, "delText": true, "instrText": true, "delInstrText": true,
	"mc:Fallback": true, "sdtPr": true,
	"pPrChange": true, "rPrChange": true, "tblPrChange": true, "trPrChange": true,
	"tcPrChange": true, "sectPrChange": true, "tblGridChange": true, "numberingChange": true,
}

// docxPara is a paragraph being read.
type docxPara struct {
	text  strings.Builder
	style string
	paraProps
	hidden bool // the current run is hidden
}

// paraProps are the paragraph properties that a style or a paragraph's
// own w:pPr sets and that decide headings and lists.
type paraProps struct {
	outline int    // outline level (w:outlineLvl), -1: none
	numID   string // numbering (w:numId; "0": none, even if the style has one)
}

// set takes element name (a child of parent) into p when it is one of the
// properties.
func (p *paraProps) set(name, parent string, t xml.StartElement) {
	switch {
	case name == "outlineLvl" && parent == "pPr":
		if n, err := strconv.Atoi(wAttr(t, "val")); err == nil {
			p.outline = n
		}
	case name == "numId" && parent == "numPr":
		p.numID = wAttr(t, "val")
	}
}

// docxBody is a finished paragraph outside tables.
type docxBody struct {
	text    string
	heading bool
	list    bool
}

// docxCell is a cell of the outermost table being read.
type docxCell struct {
	paras  []string
	span   int
	vMerge string // "", "restart" or "continue"
}

// docxTable is an outermost table being read.
type docxTable struct {
	anchor int // the number of body paragraphs before it
	rows   [][]string
	merges []extractors.Merge
	row    []string // the row being read (nil: none)
	col    int      // next grid column of the row
	cell   *docxCell
	// open vertical merges by their first grid column.
	open map[int]*extractors.Merge
}

// docxParser reads word/document.xml.
type docxParser struct {
	ctx    context.Context
	part   string
	styles docxStyles

	stack    []string // local names of the open elements (see wLocal)
	skip     int      // depth inside a skipped element (0: not skipping)
	paras    []*docxPara
	inText   bool // inside w:t
	tblDepth int
	table    *docxTable // the outermost open table

	body     []docxBody
	tables   []*docxTable
	cells    int
	lines    int
	drawings int
}

func (p *docxParser) parse(zf *zip.File) error {
	if zf.UncompressedSize64 > MaxDOCXPartBytes {
		return errTooLarge("DOCX %s declares %d bytes; the largest accepted is %d", zf.Name, zf.UncompressedSize64, MaxDOCXPartBytes)
	}
	rc, err := zf.Open()
	if err != nil {
		return quarantine(ReasonCorrupt, "DOCX part %s: %v", zf.Name, err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, int64(zf.UncompressedSize64)+1))
	dec.CharsetReader = charset.NewReaderLabel
	for n := 0; ; n++ {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p.xmlError(dec, err)
		}
		if n%8192 == 0 && p.ctx.Err() != nil {
			return p.ctx.Err()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := p.start(t); err != nil {
				line, _ := dec.InputPos()
				return addWhere(err, fmt.Sprintf(" (%s line %d)", p.part, line))
			}
		case xml.EndElement:
			if err := p.end(); err != nil {
				line, _ := dec.InputPos()
				return addWhere(err, fmt.Sprintf(" (%s line %d)", p.part, line))
			}
		case xml.CharData:
			if p.inText && p.skip == 0 && len(p.paras) > 0 {
				para := p.paras[len(p.paras)-1]
				if !para.hidden {
					para.text.Write(t)
					if para.text.Len() > MaxDOCXParagraphBytes {
						line, _ := dec.InputPos()
						return errTooLarge("DOCX paragraph at %s line %d is longer than %d bytes", p.part, line, MaxDOCXParagraphBytes)
					}
				}
			}
		}
	}
	if len(p.stack) > 0 {
		return quarantine(ReasonCorrupt, "DOCX %s ends inside <%s>: the file is truncated or damaged", p.part, p.stack[len(p.stack)-1])
	}
	return nil
}

// addWhere appends where to a quarantine's detail.
func addWhere(err error, where string) error {
	var q *QuarantineError
	if errors.As(err, &q) {
		return &QuarantineError{Reason: q.Reason, Detail: q.Detail + where, Err: q.Err}
	}
	return err
}

// xmlError turns a tokenizer error into a quarantine: a zip error means
// the part's data does not match its directory entry.
func (p *docxParser) xmlError(dec *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &se):
		return quarantine(ReasonCorrupt, "DOCX part %s does not unpack as its directory says (%v): damaged, or a zip bomb", p.part, err)
	case errors.As(err, &se):
		return quarantine(ReasonCorrupt, "DOCX %s is not well-formed XML at line %d: %s", p.part, se.Line, se.Msg)
	}
	line, _ := dec.InputPos()
	return quarantine(ReasonCorrupt, "DOCX %s at line %d: %v", p.part, line, err)
}

func (p *docxParser) parent() string {
	if len(p.stack) < 2 {
		return ""
	}
	return p.stack[len(p.stack)-2]
}

func (p *docxParser) start(t xml.StartElement) error {
	name := wLocal(t.Name)
	p.stack = append(p.stack, name)
	if len(p.stack) > maxDOCXDepth {
		return quarantine(ReasonCorrupt, "DOCX nests elements deeper than %d: damaged or hostile", maxDOCXDepth)
	}
	if p.skip > 0 {
		p.skip++
		return nil
	}
	if docxSkip[name] {
		p.skip = 1
		return nil
	}
	var para *docxPara
	if len(p.paras) > 0 {
		para = p.paras[len(p.paras)-1]
	}
	parent := p.parent()
	switch name {
	case "p":
		p.paras = append(p.paras, &docxPara{paraProps: paraProps{outline: -1}})
	case "pStyle":
		if para != nil && parent == "pPr" {
			para.style = wAttr(t, "val")
		}
	case "outlineLvl", "numId":
		if para != nil {
			para.set(name, parent, t)
		}
	case "r":
		if para != nil {
			para.hidden = false
		}
	case "vanish":
		if para != nil && parent == "rPr" && len(p.stack) >= 3 && p.stack[len(p.stack)-3] == "r" {
			para.hidden = onOff(t)
		}
	case "t":
		p.inText = parent == "r"
	case "tab", "ptab":
		if parent == "r" {
			p.write(" ")
		}
	case "br", "cr":
		if parent == "r" {
			p.write("\n")
		}
	case "noBreakHyphen":
		if parent == "r" {
			p.write("-")
		}
	case "drawing", "pict":
		p.drawings++
	case "tbl":
		p.tblDepth++
		if p.tblDepth == 1 {
			p.table = &docxTable{anchor: len(p.body), open: map[int]*extractors.Merge{}}
		}
	case "tr":
		if p.tblDepth == 1 {
			p.endRow()
			p.table.row = []string{}
			p.table.col = 0
		}
	case "gridBefore":
		if p.tblDepth == 1 && parent == "trPr" && p.table.row != nil && len(p.table.row) == 0 {
			if n, err := strconv.Atoi(wAttr(t, "val")); err == nil && n > 0 {
				if n > MaxTableColumns {
					return errTooLarge("DOCX table %d row %d skips %d grid columns; the most accepted is %d", len(p.tables)+1, len(p.table.rows)+1, n, MaxTableColumns)
				}
				p.table.col = n
			}
		}
	case "tc":
		if p.tblDepth == 1 {
			if p.table.row == nil { // a cell outside any row: start one
				p.table.row = []string{}
			}
			p.table.cell = &docxCell{span: 1}
		}
	case "gridSpan":
		if p.tblDepth == 1 && parent == "tcPr" && p.table.cell != nil {
			if n, err := strconv.Atoi(wAttr(t, "val")); err == nil && n > 1 {
				if n > MaxTableColumns {
					return errTooLarge("DOCX table %d has a cell spanning %d columns; the most accepted is %d", len(p.tables)+1, n, MaxTableColumns)
				}
				p.table.cell.span = n
			}
		}
	case "vMerge":
		if p.tblDepth == 1 && parent == "tcPr" && p.table.cell != nil {
			if wAttr(t, "val") == "restart" {
				p.table.cell.vMerge = "restart"
			} else {
				p.table.cell.vMerge = "continue" // no value: continue
			}
		}
	}
	return nil
}

// write appends s to the current paragraph's text.
func (p *docxParser) write(s string) {
	if p.skip == 0 && len(p.paras) > 0 {
		if para := p.paras[len(p.paras)-1]; !para.hidden {
			para.text.WriteString(s)
		}
	}
}

func (p *docxParser) end() error {
	if len(p.stack) == 0 {
		return nil // the tokenizer checks nesting; nothing to close
	}
	name := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if p.skip > 0 {
		p.skip--
		return nil
	}
	switch name {
	case "t":
		p.inText = false
	case "p":
		if len(p.paras) == 0 {
			return nil
		}
		para := p.paras[len(p.paras)-1]
		p.paras = p.paras[:len(p.paras)-1]
		return p.endParagraph(para)
	case "tc":
		if p.tblDepth == 1 {
			return p.endCell()
		}
	case "tr":
		if p.tblDepth == 1 {
			return p.endRow()
		}
	case "tbl":
		p.tblDepth--
		if p.tblDepth == 0 && p.table != nil {
			if err := p.endRow(); err != nil {
				return err
			}
			p.closeMerges(-1)
			p.tables = append(p.tables, p.table)
			p.table = nil
		}
	}
	return nil
}

// endParagraph hands a finished paragraph to the cell it stands in, or to
// the body.
func (p *docxParser) endParagraph(para *docxPara) error {
	text := cleanDOCXText(para.text.String())
	if p.tblDepth > 0 && p.table != nil && p.table.cell != nil {
		if strings.TrimSpace(text) != "" {
			p.table.cell.paras = append(p.table.cell.paras, text)
		}
		return nil
	}
	heading := false
	switch {
	case para.outline >= 0:
		heading = para.outline < 9
	case para.style != "":
		s := strings.ToLower(para.style)
		heading = p.styles.heading[para.style] || strings.HasPrefix(s, "heading") || strings.HasPrefix(s, "rubrik")
	}
	// A numbered heading is a heading, not a list item (LibreOffice's
	// heading styles carry the outline numbering).
	list := !heading && (para.numID != "" && para.numID != "0" || para.numID == "" && p.styles.list[para.style])
	if text != "" {
		p.lines += strings.Count(text, "\n") + 2
		if p.lines > MaxDOCXLines {
			return errTooLarge("DOCX has more than %d lines of text", MaxDOCXLines)
		}
	}
	p.body = append(p.body, docxBody{text: text, heading: heading, list: list})
	return nil
}

// endCell places the finished cell in its row at the next grid column.
func (p *docxParser) endCell() error {
	tb := p.table
	c := tb.cell
	tb.cell = nil
	if c == nil || tb.row == nil {
		return nil
	}
	text := strings.Join(c.paras, "\n")
	r, col := len(tb.rows), tb.col
	if len(text) > MaxCellBytes {
		return errTooLarge("DOCX table %d row %d has a cell of %d bytes; the longest accepted is %d", len(p.tables)+1, r+1, len(text), MaxCellBytes)
	}
	if col+c.span > MaxTableColumns {
		return errTooLarge("DOCX table %d row %d has more than %d columns", len(p.tables)+1, r+1, MaxTableColumns)
	}
	tb.col += c.span
	if c.vMerge == "continue" {
		if m := tb.open[col]; m != nil && m.Row1 == r-1 {
			// The same cell as the one above: its (normally empty) text
			// joins the merged cell's.
			m.Row1 = r
			if text != "" {
				top := &tb.rows[m.Row0]
				setCell(top, col, strings.TrimSpace(cellAt(*top, col)+"\n"+text))
			}
			return nil
		}
		// A continuation with nothing open above it: an ordinary cell.
	}
	p.closeMerges(col)
	if text != "" {
		p.cells++
		if p.cells > MaxTableCells {
			return errTooLarge("DOCX has more than %d table cells", MaxTableCells)
		}
		// Cells come left to right, so the row is never longer than col
		// here; the columns an empty or spanning cell covers are filled
		// only when a later cell needs them (a row of empty cells that
		// span hundreds of columns takes no memory).
		setCell(&tb.row, col, text)
	}
	switch {
	case c.vMerge == "restart":
		tb.open[col] = &extractors.Merge{Row0: r, Col0: col, Row1: r, Col1: col + c.span - 1}
	case c.span > 1:
		tb.merges = append(tb.merges, extractors.Merge{Row0: r, Col0: col, Row1: r, Col1: col + c.span - 1})
	}
	return nil
}

// setCell sets column col of row to text, padding the row with empty
// cells.
func setCell(row *[]string, col int, text string) {
	for len(*row) <= col {
		*row = append(*row, "")
	}
	(*row)[col] = text
}

// cellAt returns column col of row, "" beyond its end.
func cellAt(row []string, col int) string {
	if col < len(row) {
		return row[col]
	}
	return ""
}

// closeMerges ends the open vertical merge that starts at grid column col
// (every open merge for col < 0).
func (p *docxParser) closeMerges(col int) {
	tb := p.table
	for c, m := range tb.open {
		if col >= 0 && c != col {
			continue
		}
		if m.Row1 > m.Row0 || m.Col1 > m.Col0 {
			tb.merges = append(tb.merges, *m)
		}
		delete(tb.open, c)
	}
}

// endRow finishes the row being read; vertical merges not continued in it
// end above it.
func (p *docxParser) endRow() error {
	tb := p.table
	if tb == nil || tb.row == nil {
		return nil
	}
	if tb.cell != nil {
		if err := p.endCell(); err != nil {
			return err
		}
	}
	r := len(tb.rows)
	for c, m := range tb.open {
		if m.Row1 < r {
			if m.Row1 > m.Row0 || m.Col1 > m.Col0 {
				tb.merges = append(tb.merges, *m)
			}
			delete(tb.open, c)
		}
	}
	row := trimRow(tb.row)
	if cap(row) > 2*len(row)+8 {
		row = append([]string(nil), row...) // let go of trimmed capacity
	}
	tb.rows = append(tb.rows, row)
	tb.row = nil
	p.lines++
	if p.lines > MaxDOCXLines {
		return errTooLarge("DOCX has more than %d table rows and lines of text", MaxDOCXLines)
	}
	return nil
}

// labelTable reports whether rows are a notice's "label | text" table: two
// columns, at least two rows, and the first cell of at least two rows and
// of a third of them a field label of the header vocabulary ("Ändamål",
// "Rättslig grund", "Lagring/gallring"; a notice's other labels are
// sentences the vocabulary does not hold, "Personuppgifterna har vi fått
// från"). Municipalities lay out a privacy
// notice in Word so, an activity's fields in one table under its heading.
// A register table is not one: its rows start with activity names.
func labelTable(rows [][]string) bool {
	if len(rows) < 2 {
		return false
	}
	labels := 0
	for _, r := range rows {
		if len(r) > 2 {
			return false
		}
		if _, ok := header.Match(strings.TrimRight(strings.TrimSpace(r[0]), ":")); ok {
			labels++
		}
	}
	return labels >= 2 && 3*labels >= len(rows)
}

// withLabelTables returns body with the rows of the label tables (see
// labelTable) put in as paragraphs where each table stood: "label: text",
// or the label alone followed by one paragraph per line of a text of
// several, as a notice written as paragraphs reads.
func withLabelTables(body []docxBody, tables []*docxTable) []docxBody {
	if len(tables) == 0 {
		return body
	}
	out := make([]docxBody, 0, len(body)+8*len(tables))
	next := 0
	put := func(tb *docxTable) {
		for _, r := range trimRows(tb.rows) {
			label := strings.TrimRight(strings.TrimSpace(cellAt(r, 0)), ":")
			text := strings.TrimSpace(cellAt(r, 1))
			switch {
			case label == "":
				out = append(out, docxBody{text: text})
			case text == "":
				out = append(out, docxBody{text: label + ":"})
			case strings.Contains(text, "\n"):
				out = append(out, docxBody{text: label + ":\n" + text})
			default:
				out = append(out, docxBody{text: label + ": " + text})
			}
		}
		out = append(out, docxBody{}) // a blank line after the table
	}
	for i, para := range body {
		for next < len(tables) && tables[next].anchor <= i {
			put(tables[next])
			next++
		}
		out = append(out, para)
	}
	for ; next < len(tables); next++ {
		put(tables[next])
	}
	return out
}

// cleanDOCXText collapses whitespace runs (no-break spaces too) to one
// space on each line, trims the lines and drops soft hyphens and
// zero-width characters.
func cleanDOCXText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	lineStart := true
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteByte('\n')
			space, lineStart = false, true
		case r == '\u00ad' || r == '\u200b' || r == '\u2060' || r == '\ufeff':
		case unicode.IsSpace(r):
			space = !lineStart
		default:
			if space {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space, lineStart = false, false
		}
	}
	return strings.Trim(b.String(), "\n")
}

// fill repairs what was read and stores it in doc: the tables as sheets
// and rows, then the body's paragraphs.
func (p *docxParser) fill(env *Env, it *Item, doc *extractors.Doc) error {
	var sheets []extractors.Sheet
	var labelled []*docxTable
	for _, tb := range p.tables {
		rows := trimRows(tb.rows)
		if len(rows) == 0 {
			continue
		}
		if labelTable(rows) {
			labelled = append(labelled, tb)
			continue
		}
		sh := extractors.Sheet{Name: fmt.Sprintf("Tabell %d", len(sheets)+1), Rows: rows}
		for _, m := range tb.merges {
			if m.Row0 >= len(rows) {
				continue
			}
			m.Row1 = min(m.Row1, len(rows)-1)
			sh.Merge = append(sh.Merge, m)
		}
		slices.SortFunc(sh.Merge, func(a, b extractors.Merge) int { // merges end in map order
			return cmp.Or(cmp.Compare(a.Row0, b.Row0), cmp.Compare(a.Col0, b.Col0))
		})
		sheets = append(sheets, sh)
	}
	offset := 0
	for i := range sheets {
		repairSheet(env, it, &sheets[i], offset)
		offset += len(sheets[i].Rows)
	}
	lines := renderLines(sheets, true)

	// The body: each paragraph repaired on its own; a blank line between
	// paragraphs, none between the items of a list.
	var body []extractors.Line
	headings := map[int]bool{}
	var fixes []record.Fix
	base := len(lines)
	if base > 0 {
		base++ // the blank line between the rows and the body
	}
	blank := func() {
		if len(body) > 0 && body[len(body)-1].Text != "" {
			body = append(body, extractors.Line{})
		}
	}
	prevList := false
	for _, para := range withLabelTables(p.body, labelled) {
		if para.text == "" {
			blank()
			prevList = false
			continue
		}
		text, fx := env.Repair.Text(para.text)
		if !(para.list && prevList) {
			blank()
		}
		prevList = para.list
		at := make([]int, 0, 4) // body index of each line of the paragraph
		for i, l := range strings.Split(text, "\n") {
			l = strings.TrimSpace(l)
			if l == "" {
				blank()
				at = append(at, len(body)-1)
				continue
			}
			if para.list && i == 0 {
				l = "• " + l
			}
			body = append(body, extractors.Line{Text: l})
			at = append(at, len(body)-1)
			if para.heading {
				headings[len(body)-1] = true
			}
		}
		for _, f := range fx {
			k := min(max(f.Line, 1), len(at)) - 1
			f.Line = base + max(at[k], 0) + 1
			fixes = append(fixes, f)
		}
	}
	for len(body) > 0 && body[len(body)-1].Text == "" {
		body = body[:len(body)-1]
	}
	if len(sheets) == 0 && len(body) == 0 {
		if p.drawings > 0 {
			return quarantine(ReasonEmpty, "DOCX holds no text, only pictures or drawings (%d); text inside images is not read", p.drawings)
		}
		return quarantine(ReasonEmpty, "DOCX holds no text: %s has no paragraph or table cell with text", p.part)
	}
	if len(body) > 0 && len(lines) > 0 {
		lines = append(lines, extractors.Line{N: len(lines) + 1})
	}
	doc.Headings = map[int]bool{}
	for i, l := range body {
		l.N = len(lines) + 1
		lines = append(lines, l)
		if headings[i] {
			doc.Headings[l.N] = true
		}
	}
	doc.Sheets = sheets
	doc.Lines = lines
	it.Fixes = append(it.Fixes, fixes...)
	return nil
}
