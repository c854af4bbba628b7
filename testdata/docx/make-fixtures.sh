#!/usr/bin/env bash
# make-fixtures.sh regenerates the DOCX fixtures of testdata/docx the real
# way: Writer documents saved as DOCX by LibreOffice, as a municipality's
# office suite saves them. The results are committed, so the tests need
# none of these tools.
#
# Needs (Debian): libreoffice-writer (or libreoffice-writer-nogui),
# python3-uno (for the password-protected file), python3.
#
#   reg_a.docx          the register table of ../tables/gold/reg_a.json
#                       (../tables/render.py: reg_a.fodt) saved as DOCX
#   notice.docx         render.py: notice.fodt (seed 004 sections, headings)
#   notice_gold.json    render.py: the seed's gold records of those sections
#   notice_tables.docx  render.py: notice_tables.fodt (the same sections as
#                       label | text tables; gold notice_gold.json)
#   merged.docx         render.py: merged.fodt (merged title rows, cells
#                       merged down; gold ../tables-csv/merged_gold.json)
#   bad/encrypted.docx  notice.docx saved with a password (encrypt.py)
#   bad/empty.docx      render.py: empty.fodt saved as DOCX
#   bad/truncated.docx  the first 4000 bytes of reg_a.docx
#   bad/nodocument.docx reg_a.docx without its word/document.xml
set -euo pipefail
cd "$(dirname "$0")"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p bad

/usr/bin/python3 ../tables/render.py "$TMP" # reg_a.fodt (and reg_b.fods)
/usr/bin/python3 render.py "$TMP"           # notice.fodt, merged.fodt, empty.fodt, notice_gold.json
(cd "$TMP" && soffice --headless --norestore -env:UserInstallation=file://$TMP/lo \
	--convert-to docx reg_a.fodt notice.fodt notice_tables.fodt merged.fodt empty.fodt >/dev/null 2>&1)
cp "$TMP/reg_a.docx" "$TMP/notice.docx" "$TMP/notice_tables.docx" "$TMP/merged.docx" "$TMP/notice_gold.json" .
cp "$TMP/empty.docx" bad/empty.docx

/usr/bin/python3 encrypt.py "$TMP/lo-uno" notice.docx bad/encrypted.docx
head -c 4000 reg_a.docx > bad/truncated.docx
/usr/bin/python3 - reg_a.docx bad/nodocument.docx <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        if info.filename != "word/document.xml":
            dst.writestr(info, src.read(info.filename))
EOF

ls -l *.docx bad
