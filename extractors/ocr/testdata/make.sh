#!/bin/sh
# make.sh renders the OCR test images of package ocr from Swedish register
# text, the real way: HTML → PDF with LibreOffice, PDF → images with
# pdftoppm, scan damage and TIFF/PDF wrapping with ImageMagick.
#
# Needs: libreoffice, poppler-utils, imagemagick, python3, fonts-dejavu.
# (ImageMagick may not write PDF under Debian's policy: imgpdf.py wraps the
# scan's JPEG as an image-only PDF instead.)
# Run it from anywhere; it writes next to itself. The results are committed,
# so the tests need none of these tools except Tesseract itself (and
# poppler-utils for the PDF tests).
#
#   lines.html  → lines.pdf (vector text, one small page)
#               → lines.png  (300 dpi, grey)
#               → nodpi.png  (200 dpi, grey, resolution removed)
#   table.html  → table.pdf  (vector text, a three-column register table)
#               → table.png  (300 dpi, grey)
#               → scan.pdf   (image-only PDF: table at 300 dpi, rotated 0.4°, noise)
#               → badlayer.pdf (scan.pdf under an invisible garbage text layer,
#                              hidden-garbage.txt)
#   pages.tif   two pages (lines, table) at 200 dpi, black and white, with
#               resolution
#   lines.txt, table.txt: the text the images were rendered from (gold)
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Render HTML to PDF in a private profile so a running LibreOffice does not interfere.
lo() {
	soffice -env:UserInstallation="file://$tmp/lo" --headless --convert-to pdf --outdir . "$1" >/dev/null 2>&1
}

lo lines.html
lo table.html

pdftoppm -r 300 -gray -png -singlefile lines.pdf lines
pdftoppm -r 300 -gray -png -singlefile table.pdf table
pdftoppm -r 200 -gray -png -singlefile lines.pdf "$tmp/lines200"
pdftoppm -r 200 -gray -png -singlefile table.pdf "$tmp/table200"

# No resolution in the file: strip pHYs.
convert "$tmp/lines200.png" -strip -define png:exclude-chunk=pHYs,date,time nodpi.png

# A scan: slight rotation, noise, re-thresholded, wrapped as an image-only PDF.
convert table.png -background white -rotate 0.4 +repage -attenuate 0.3 +noise Gaussian \
	-colorspace Gray -depth 8 -units PixelsPerInch -density 300 "$tmp/scan.png"
convert "$tmp/scan.png" -quality 80 "$tmp/scan.jpg"
python3 imgpdf.py "$tmp/scan.jpg" 300 scan.pdf
# The same scan under a bad hidden OCR layer (invisible garbage text): the
# reader must judge the layer unusable and OCR the page.
python3 imgpdf.py "$tmp/scan.jpg" 300 badlayer.pdf hidden-garbage.txt

# Two-page black-and-white TIFF at 200 dpi.
convert "$tmp/lines200.png" "$tmp/table200.png" -monochrome -units PixelsPerInch -density 200 \
	-compress Group4 pages.tif

ls -l lines.pdf lines.png nodpi.png table.pdf table.png scan.pdf badlayer.pdf pages.tif
