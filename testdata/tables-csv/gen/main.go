// Command gen writes the table fixtures of testdata/tables-csv: one small
// register (8 activities, å/ä/ö, list cells, a continuation row, a blank
// row, a repeated header row, an unknown column) saved in every encoding and
// dialect the table readers must accept, as XLSX, and (when LibreOffice is
// installed) as legacy .xls and .ods; and a workbook with a title above a
// header on row 4, merged activity and board cells and an unknown column.
//
// Run from the repository root:
//
//	go run ./testdata/tables-csv/gen
//
// The expected records are written by hand in gold.json and merged_gold.json.
package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const dir = "testdata/tables-csv"

var title = []string{"Registerförteckning för Barn- och utbildningsnämnden i Luleå kommun"}

var head = []string{"Behandling", "Ändamål", "Kategorier av registrerade", "Personuppgifter",
	"Laglig grund", "Lagringstid", "Mottagare", "Källa", "Överföring till tredje land", "IT-stöd", "Kontaktperson"}

// rows of the register; "" in the first column continues the entry above.
// nil is a blank row, and head may be repeated (a page break in the source).
var rows = [][]string{
	{"Elevhälsa", "Att ge elever stöd genom skolsköterska, skolläkare, kurator och psykolog.", "Elever\nVårdnadshavare",
		"Namn\nPersonnummer\nUppgifter om hälsa\nKontaktuppgifter", "Myndighetsutövning och allmänt intresse",
		"Journaler bevaras i 10 år efter sista anteckningen", "Regionen\nSocialnämnden", "Den registrerade\nVårdnadshavare",
		"Nej", "PMO", "Åsa Öberg"},
	{"Skolskjuts", "Planera och besluta om skolskjuts.", "Elever\nVårdnadshavare", "Namn\nAdress\nPersonnummer",
		"Myndighetsutövning", "Gallras efter 2 år", "Trafikföretag", "Vårdnadshavare", "Nej", "Skolskjutsplaneraren", "Örjan Ström"},
	{"Betygsdokumentation", "Dokumentera och utfärda betyg.", "Elever", "Namn\nPersonnummer\nBetyg",
		"Rättslig förpliktelse", "Bevaras", "Skolverket\nStatistiska centralbyrån", "Lärare", "Nej", "Skolplattformen", "Märta Åkesson"},
	{"", "", "", "Frånvaro", "", "", "", "", "", "", ""},
	nil,
	{"Fotografering i skolan", "Skolkatalog och dokumentation av verksamheten.", "Elever\nPersonal", "Namn\nFotografi",
		"Samtycke", "Tas bort när samtycket återkallas", "Fotoföretag", "Den registrerade", "Nej", "Bildbanken", "Åsa Öberg"},
	head,
	{"Modersmålsundervisning", "Organisera undervisning i modersmål.", "Elever", "Namn\nModersmål\nKlass",
		"Allmänt intresse", "Gallras vid läsårets slut", "Modersmålslärare", "Vårdnadshavare", "Nej", "Procapita", "Örjan Ström"},
	{"Kränkande behandling", "Utreda och åtgärda anmälningar om kränkande behandling.", "Elever\nPersonal",
		"Namn\nHändelsebeskrivning\nÅtgärder", "Rättslig förpliktelse", "Bevaras i 5 år", "Huvudmannen\nSkolinspektionen",
		"Personal\nElever", "Nej", "DF Respons", "Märta Åkesson"},
	{"Anställning av lärare", "Rekrytera och anställa personal.", "Sökande\nAnställda", "Namn\nKontaktuppgifter\nMeritförteckning",
		"Avtal", "Gallras 2 år efter avslutad rekrytering", "Fackliga organisationer", "Den registrerade", "Nej", "Varbi", "Åsa Öberg"},
	{"Digitala lärverktyg", "Ge elever tillgång till digitala läromedel.", "Elever\nLärare", "Namn\nAnvändarnamn\nE-postadress",
		"Allmänt intresse", "Tas bort när eleven slutar", "Leverantören av lärplattformen", "Skolans elevregister",
		"Ja, USA (standardavtalsklausuler)", "Google Workspace", "Örjan Ström"},
}

// table returns the whole grid: title, blank, header, rows. pad fills title
// and blank rows with empty cells to the table's width, as Excel's CSV
// export does.
func table(pad bool) [][]string {
	t := [][]string{title, nil, head}
	t = append(t, rows...)
	if pad {
		for i, r := range t {
			if len(r) < len(head) {
				p := make([]string, len(head))
				copy(p, r)
				t[i] = p
			}
		}
	}
	return t
}

func csvBytes(delim rune, crlf, pad bool) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = delim, crlf
	for _, r := range table(pad) {
		if r == nil {
			r = []string{""}
		}
		if err := w.Write(r); err != nil {
			log.Fatal(err)
		}
	}
	w.Flush()
	return b.Bytes()
}

func encode(e encoding.Encoding, b []byte) []byte {
	out, err := e.NewEncoder().Bytes(b)
	if err != nil {
		log.Fatal(err)
	}
	return out
}

// doubleEncode returns UTF-8 bytes read as Windows-1252 and saved as UTF-8
// again: "å" becomes "Ã¥".
func doubleEncode(b []byte) []byte {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		log.Fatal(err)
	}
	return out
}

func write(name string, b []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	dialects := []struct {
		name  string
		delim rune
		ext   string
	}{{"semicolon", ';', ".csv"}, {"comma", ',', ".csv"}, {"tab", '\t', ".tsv"}}
	for _, d := range dialects {
		crlf := d.delim != ','
		utf8 := csvBytes(d.delim, crlf, d.delim == ';')
		write("register_utf8_"+d.name+d.ext, utf8)
		write("register_utf8bom_"+d.name+d.ext, append([]byte{0xEF, 0xBB, 0xBF}, utf8...))
		write("register_utf16le_"+d.name+d.ext, encode(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), utf8))
		write("register_cp1252_"+d.name+d.ext, encode(charmap.Windows1252, utf8))
		write("register_cp850_"+d.name+d.ext, encode(charmap.CodePage850, utf8))
		write("register_macroman_"+d.name+d.ext, encode(charmap.Macintosh, utf8))
		write("register_double_"+d.name+d.ext, doubleEncode(utf8))
	}
	writeXLSX("register.xlsx")
	writeMerged("merged.xlsx")
	if soffice, err := exec.LookPath("soffice"); err == nil {
		for _, to := range []string{"xls", "ods"} {
			tmp, _ := os.MkdirTemp("", "gen-")
			cmd := exec.Command(soffice, "-env:UserInstallation=file://"+tmp+"/profile", "--headless",
				"--convert-to", to, "--outdir", dir, filepath.Join(dir, "register.xlsx"))
			if out, err := cmd.CombinedOutput(); err != nil {
				log.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
			}
			os.RemoveAll(tmp)
		}
	} else {
		log.Print("soffice not found: register.xls and register.ods not written")
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func cellName(c, r int) string {
	n, err := excelize.CoordinatesToCellName(c, r)
	must(err)
	return n
}

// writeXLSX writes the register as a workbook: an instructions sheet
// without a register first, then the register with its title row.
func writeXLSX(name string) {
	f := excelize.NewFile()
	defer f.Close()
	must(f.SetSheetName("Sheet1", "Instruktioner"))
	must(f.SetCellValue("Instruktioner", "A1", "Fyll i en rad per behandling."))
	_, err := f.NewSheet("Register")
	must(err)
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	must(err)
	for i, r := range table(false) {
		for c, v := range r {
			if v != "" {
				must(f.SetCellValue("Register", cellName(c+1, i+1), v))
			}
		}
	}
	must(f.SetCellStyle("Register", "A3", cellName(len(head), len(rows)+3), wrap))
	must(f.SaveAs(filepath.Join(dir, name)))
}

// writeMerged writes a workbook whose header is on row 4 under a title,
// with a board column merged over all entries, an activity cell merged
// over two rows (the second row adds items), and an unknown column.
func writeMerged(name string) {
	f := excelize.NewFile()
	defer f.Close()
	s := "Behandlingar"
	must(f.SetSheetName("Sheet1", s))
	set := func(cell string, v any) { must(f.SetCellValue(s, cell, v)) }
	set("A1", "Registerförteckning enligt artikel 30 dataskyddsförordningen")
	set("A2", "Kultur- och fritidsnämnden, Luleå kommun. Fastställd 2023-05-17.")
	must(f.MergeCell(s, "A1", "H1"))
	hdr := []string{"Nämnd", "Namn på behandling", "Syfte", "Registrerade", "Kategorier av personuppgifter",
		"Rättslig grund", "Gallringsfrist", "Riskbedömning"}
	for c, v := range hdr {
		set(cellName(c+1, 4), v)
	}
	data := [][]any{
		{"Kultur- och fritidsnämnden", "Bibliotekslån", "Hantera lån och reservationer.", "Låntagare",
			"Namn\nLånekortsnummer", "Allmänt intresse", "Tas bort 3 år efter senaste lån", "Låg"},
		{nil, nil, nil, "Vårdnadshavare", "Kontaktuppgifter", nil, nil, nil},
		{nil, "Föreningsbidrag", "Handlägga ansökningar om bidrag till föreningar.", "Föreningsföreträdare",
			"Namn\nE-postadress\nBankkontonummer", "Myndighetsutövning", "Gallras efter 5 år", "Medel"},
		{nil, "Simskola", "Anmälan och närvaro i simskolan.", "Barn\nVårdnadshavare", "Namn\nÅlder\nAllergier",
			"Samtycke", "Gallras vid terminens slut", "Hög"},
	}
	for i, r := range data {
		for c, v := range r {
			if v != nil {
				set(cellName(c+1, 5+i), v)
			}
		}
	}
	must(f.MergeCell(s, "A5", "A8")) // the board spans every entry
	must(f.MergeCell(s, "B5", "B6")) // Bibliotekslån spans two rows
	must(f.MergeCell(s, "C5", "C6"))
	must(f.MergeCell(s, "F5", "F6"))
	must(f.MergeCell(s, "G5", "G6"))
	must(f.MergeCell(s, "H5", "H6"))
	must(f.SaveAs(filepath.Join(dir, name)))
	fmt.Println("wrote", name)
}
