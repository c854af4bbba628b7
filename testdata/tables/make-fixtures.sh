#!/usr/bin/env bash
# make-fixtures.sh regenerates the table fixtures of testdata/tables the real
# way, with the tools a municipality's documents pass through. The results
# are committed, so the tests need none of these tools.
#
# Needs (Debian): libreoffice-writer libreoffice-calc poppler-utils
# ghostscript imagemagick ocrmypdf tesseract-ocr-swe python3 python3-img2pdf.
#
#   gold/reg_a.json, gold/reg_b.json   hand-written records (the source)
#   render.py                          gold → reg_a.fodt (Writer), reg_b.fods (Calc)
#   pdf/reg_a.pdf, pdf/reg_b.pdf       LibreOffice PDFs (landscape, 2 pages each,
#                                      two column orders and header wordings)
#   words/*.pdf + words/*.txt          PDFs of five producers and what
#                                      `pdftotext` reads from each
#   scans/*.pdf                        image-only PDFs for OCR: 300 and 200 dpi
#                                      gray, 200 dpi black and white, slightly
#                                      rotated, with noise (gold as reg_a/reg_b)
#   bad/*.pdf                          inputs that must be quarantined
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p pdf words scans bad

# 1. Register tables → PDF with LibreOffice.
/usr/bin/python3 render.py "$TMP"
(cd "$TMP" && soffice --headless --norestore -env:UserInstallation=file://$TMP/lo \
	--convert-to pdf reg_a.fodt reg_b.fods >/dev/null 2>&1)
cp "$TMP/reg_a.pdf" "$TMP/reg_b.pdf" pdf/

# 2. Five producers of text layers.
cp pdf/reg_a.pdf words/libreoffice.pdf
pdftocairo -pdf pdf/reg_b.pdf words/cairo.pdf
gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pdfwrite -sOutputFile=words/ghostscript.pdf pdf/reg_a.pdf
/usr/bin/python3 mkpdf.py "$TMP"
cp "$TMP/std14.pdf" words/std14.pdf
# OCRmyPDF: page 1 of reg_b scanned at 150 dpi black and white, OCR'd with
# Swedish; its text layer is an invisible text Form XObject.
pdftoppm -f 1 -l 1 -r 150 -mono -tiff -tiffcompression ccittfax4 pdf/reg_b.pdf "$TMP/ocr"
/usr/bin/python3 -c 'import img2pdf,sys; open(sys.argv[2],"wb").write(img2pdf.convert(sys.argv[1]))' "$TMP"/ocr-1.tif "$TMP/ocr-in.pdf"
OMP_THREAD_LIMIT=1 ocrmypdf -q --force-ocr -l swe --output-type pdf --optimize 0 "$TMP/ocr-in.pdf" words/ocrmypdf.pdf
# pdftotext's word list (-bbox: words as found, no dehyphenation), one a line.
for f in words/*.pdf; do
	pdftotext -enc UTF-8 -bbox "$f" - | /usr/bin/python3 -c '
import html, re, sys
for m in re.finditer(r"<word [^>]*>([^<]*)</word>", sys.stdin.read()):
    print(html.unescape(m.group(1)))' > "${f%.pdf}.txt"
done

# 3. Scans for OCR: render, rotate slightly, add noise, wrap as image-only PDF.
scan() { # scan PDF DPI MODE OUT
	local pdf=$1 dpi=$2 mode=$3 out=$4 base="$TMP/scan-$(basename "$4" .pdf)"
	pdftoppm -r "$dpi" -gray -png "$pdf" "$base"
	local imgs=()
	for p in "$base"-*.png; do
		if [ "$mode" = bw ]; then
			convert "$p" -background white -rotate 0.4 +repage -attenuate 0.3 +noise Gaussian \
				-threshold 60% -type bilevel -units PixelsPerInch -density "$dpi" -compress Group4 "${p%.png}.tif"
			imgs+=("${p%.png}.tif")
		else
			convert "$p" -background white -rotate -0.6 +repage -attenuate 0.4 +noise Gaussian \
				-colorspace Gray -quality 45 -units PixelsPerInch -density "$dpi" "${p%.png}.jpg"
			imgs+=("${p%.png}.jpg")
		fi
	done
	/usr/bin/python3 -c 'import img2pdf,sys; open(sys.argv[1],"wb").write(img2pdf.convert(sys.argv[2:]))' "$out" "${imgs[@]}"
}
scan pdf/reg_a.pdf 300 gray scans/reg_a_300gray.pdf
scan pdf/reg_b.pdf 200 gray scans/reg_b_200gray.pdf
scan pdf/reg_b.pdf 200 bw scans/reg_b_200bw.pdf

# 4. Inputs that must end in quarantine.
cp "$TMP/lzw.pdf" "$TMP/zero_pages.pdf" "$TMP/malformed.pdf" bad/
head -c 9000 pdf/reg_a.pdf > bad/truncated.pdf
gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pdfwrite -sOwnerPassword=agare -sUserPassword=hemligt \
	-dEncryptionR=3 -dKeyLength=128 -sOutputFile=bad/encrypted.pdf words/std14.pdf

ls -l pdf words scans bad
