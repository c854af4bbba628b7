package sniff

import (
	"archive/zip"
	"bytes"
	"testing"
)

func zipWith(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestKind(t *testing.T) {
	docx := zipWith(t, "[Content_Types].xml", "word/document.xml")
	xlsx := zipWith(t, "[Content_Types].xml", "xl/workbook.xml")
	tests := []struct {
		name string
		file string
		data []byte
		want string
	}{
		{"empty", "a.txt", nil, Empty},
		{"blank", "a.txt", []byte(" \n\t\n"), Empty},
		{"pdf", "x.bin", []byte("%PDF-1.7\n%âãÏÓ\n"), PDF},
		{"pdf named txt", "x.txt", []byte("%PDF-1.4\n"), PDF},
		{"png", "a", []byte("\x89PNG\r\n\x1a\n\x00\x00"), PNG},
		{"jpeg", "a", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, JPEG},
		{"tiff", "a", []byte("II*\x00\x08\x00"), TIFF},
		{"docx named pdf", "a.pdf", docx, DOCX},
		{"docx without its main part", "a.docx", zipWith(t, "[Content_Types].xml", "word/styles.xml"), DOCX},
		{"truncated docx", "a.docx", docx[:len(docx)-30], DOCX},
		{"truncated other zip", "a.zip", zipWith(t, "a.txt", "b.txt")[:40], Binary},
		{"other zip", "a.zip", zipWith(t, "a.txt"), Zip},
		{"xlsx", "a.xlsx", xlsx, XLSX},
		{"html", "page.txt", []byte("<!DOCTYPE html><html><body>Hej</body></html>"), HTML},
		{"html bom", "page", []byte("\xef\xbb\xbf\n<html lang=sv><head>"), HTML},
		{"text", "a.txt", []byte("Syfte/ändamål: hantera ärenden.\n"), Text},
		{"cp1252 text", "a.txt", []byte("Syfte/\xe4ndam\xe5l: hantera \xe4renden.\r\n"), Text},
		{"utf16le bom", "a.txt", []byte("\xff\xfeS\x00y\x00"), Text},
		{"utf16le no bom", "a.txt", []byte("S\x00y\x00f\x00t\x00e\x00:\x00 \x00x\x00"), Text},
		{"csv", "reg.csv", []byte("Behandling;Syfte\nA;B\n"), CSV},
		{"semicolon table named txt", "export.txt", []byte("Register\nBehandling;Syfte;Laglig grund\nA;B;C\nD;E;F\nG;H;I\n"), CSV},
		{"tab table without extension", "EXPORT", []byte("Behandling\tSyfte\tKälla\r\nA\tB\tC\r\nD\tE\tF\r\nG\tH\tI\r\n"), CSV},
		{"prose with semicolons", "notice.txt", []byte("Syfte: a; b; c.\nVi behandlar namn; adress.\nLaglig grund: avtal.\nKälla: du själv; arbetsgivare; Skatteverket.\nKontakt: dso@x.se\n"), Text},
		{"too few lines", "a.txt", []byte("a;b;c\nd;e;f\n"), Text},
		{"binary", "a.txt", []byte{0x01, 0x02, 0x00, 0x9f, 0x10, 0x00, 0x07}, Binary},
		{"elf", "prog", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), Binary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Kind(tt.file, tt.data, tt.data); got != tt.want {
				t.Errorf("Kind(%q, %q) = %q, want %q", tt.file, tt.data, got, tt.want)
			}
		})
	}
}

func FuzzKind(f *testing.F) {
	f.Add("a.txt", []byte("hej"))
	f.Add("a.zip", []byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, name string, b []byte) {
		Kind(name, b, b)
	})
}
