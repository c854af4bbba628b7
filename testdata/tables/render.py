#!/usr/bin/env python3
"""Renders the register tables of gold/*.json as documents for LibreOffice.

Called by make-fixtures.sh: render.py OUTDIR. Writes reg_a.fodt (Writer flat ODT,
landscape, column order A with the long header wordings, a title above the
table) and reg_b.fods (Calc flat ODS, landscape, column order B with the
short wordings, the header row repeated on every page, ruling lines, a page
header and a "Sida N av M" footer). Long words carry soft hyphens so that
LibreOffice may break them at a line end with a hyphen."""
import html
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1]

COLS_A = [
    ("activity", "Behandlingsaktivitet"),
    ("purpose", "Ändamål med behandlingen"),
    ("data_subjects", "Kategorier av registrerade"),
    ("personal_data", "Kategorier av personuppgifter"),
    ("legal_basis_text", "Rättslig grund"),
    ("retention", "Lagringstid"),
    ("recipients", "Mottagare av uppgifterna"),
    ("third_country", "Överföring till tredje land"),
]
COLS_B = [
    ("activity", "Behandling"),
    ("purpose", "Syfte"),
    ("legal_basis_text", "Laglig grund"),
    ("personal_data", "Personuppgifter"),
    ("data_subjects", "Registrerade"),
    ("sources", "Källa"),
    ("retention", "Gallringsfrist"),
    ("recipients", "Mottagare av uppgifterna"),
]

# Soft hyphens in long compounds: where LibreOffice may break them.
SHY = {
    "personuppgiftsincidenter": "personuppgifts\u00adincidenter",
    "Integritetsskyddsmyndigheten": "Integritets\u00adskydds\u00admyndigheten",
    "dokumenthanteringsplanen": "dokument\u00adhanterings\u00adplanen",
    "sammanträdeshantering": "sammanträdes\u00adhantering",
    "kommunikationsmaterial": "kommunikations\u00admaterial",
    "Skolskjutsentreprenör": "Skolskjuts\u00adentreprenör",
    "Modersmålsundervisning": "Modersmåls\u00adundervisning",
    "e-tjänsteplattform": "e-tjänste\u00adplattform",
}


def cell(rec, key):
    v = rec.get(key, "")
    if isinstance(v, list):
        v = ", ".join(v)
    for w, s in SHY.items():
        v = v.replace(w, s)
    return v


def load(name):
    with open(os.path.join(HERE, "gold", name + ".json"), encoding="utf-8") as f:
        return json.load(f)


FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:text-properties style:font-name="DejaVu Sans" fo:font-size="7.5pt" fo:language="sv" fo:country="SE"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
</office:styles>
<office:automatic-styles>
 <style:style style:name="Tbl" style:family="table">
  <style:table-properties style:width="26.4cm" table:align="left" style:may-break-between-rows="true"/>
 </style:style>
 %(colstyles)s
 <style:style style:name="Row" style:family="table-row"><style:table-row-properties fo:keep-together="auto"/></style:style>
 <style:style style:name="Cell" style:family="table-cell">
  <style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #000000"/>
 </style:style>
 <style:style style:name="H" style:family="paragraph"><style:text-properties fo:font-weight="bold" fo:font-size="8pt"/></style:style>
 <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.2cm"/><style:text-properties fo:font-weight="bold" fo:font-size="14pt"/></style:style>
 <style:style style:name="Intro" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.3cm"/></style:style>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.3cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:footer><text:p>Exempelby kommun, Kommunstyrelsen<text:tab/>Sida <text:page-number>1</text:page-number></text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
<text:p text:style-name="Title">Registerförteckning för Kommunstyrelsen i Exempelby kommun</text:p>
<text:p text:style-name="Intro">Förteckning över behandlingar av personuppgifter enligt artikel 30 i dataskyddsförordningen. Fastställd 2024-03-12.</text:p>
<table:table table:name="Register" table:style-name="Tbl">
"""


def reg_a():
    rows = load("reg_a")
    widths = [3.6, 4.1, 3.2, 3.7, 3.3, 3.4, 3.1, 2.0]  # cm, sum 26.4
    colstyles = "\n ".join(
        '<style:style style:name="C%d" style:family="table-column"><style:table-column-properties style:column-width="%.1fcm"/></style:style>' % (i, w)
        for i, w in enumerate(widths))
    out = [FODT_HEAD % {"colstyles": colstyles}]
    for i in range(len(COLS_A)):
        out.append('<table:table-column table:style-name="C%d"/>' % i)
    out.append('<table:table-header-rows><table:table-row table:style-name="Row">')
    for _, t in COLS_A:
        out.append('<table:table-cell table:style-name="Cell" office:value-type="string"><text:p text:style-name="H">%s</text:p></table:table-cell>' % fods_text(t))
    out.append("</table:table-row></table:table-header-rows>")
    for r in rows:
        out.append('<table:table-row table:style-name="Row">')
        for k, _ in COLS_A:
            out.append('<table:table-cell table:style-name="Cell" office:value-type="string"><text:p>%s</text:p></table:table-cell>' % fods_text(cell(r, k)))
        out.append("</table:table-row>")
    out.append("</table:table></office:text></office:body></office:document>\n")
    with open(os.path.join(OUT, "reg_a.fodt"), "w", encoding="utf-8") as f:
        f.write("\n".join(out))


FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:font-face-decls>
 <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="table-cell">
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="9pt"/>
 </style:default-style>
</office:styles>
<office:automatic-styles>
 %(colstyles)s
 <style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:use-optimal-row-height="true"/></style:style>
 <style:style style:name="ta1" style:family="table" style:master-page-name="Landscape"><style:table-properties table:display="true"/></style:style>
 <style:style style:name="hd" style:family="table-cell">
  <style:table-cell-properties fo:wrap-option="wrap" fo:border="0.5pt solid #000000" style:vertical-align="top" fo:background-color="#dddddd" fo:padding="0.05cm"/>
  <style:text-properties fo:font-weight="bold" fo:font-size="9pt"/>
 </style:style>
 <style:style style:name="bd" style:family="table-cell">
  <style:table-cell-properties fo:wrap-option="wrap" fo:border="0.5pt solid #000000" style:vertical-align="top" fo:padding="0.05cm"/>
  <style:text-properties fo:font-size="10pt"/>
 </style:style>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm" style:print="grid charts drawings objects zero-values"/>
  <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.3cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.3cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Landscape" style:page-layout-name="pm1">
  <style:header><text:p>Barn- och utbildningsnämnden – registerförteckning 2024</text:p></style:header>
  <style:footer><text:p>Sida <text:page-number>1</text:page-number> av <text:page-count>1</text:page-count></text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:spreadsheet>
<table:table table:name="Register" table:style-name="ta1" table:print-ranges="Register.A1:Register.%(last)s">
"""


def fods_text(s):
    return html.escape(s, quote=False)


def reg_b():
    rows = load("reg_b")
    widths = [3.1, 4.6, 3.4, 3.5, 2.9, 2.9, 2.9, 3.1]  # cm, sum 26.4
    colstyles = "\n ".join(
        '<style:style style:name="co%d" style:family="table-column"><style:table-column-properties style:column-width="%.1fcm"/></style:style>' % (i, w)
        for i, w in enumerate(widths))
    last = "%s%d" % (chr(ord("A") + len(COLS_B) - 1), len(rows) + 1)
    out = [FODS_HEAD % {"colstyles": colstyles, "last": last}]
    for i in range(len(COLS_B)):
        out.append('<table:table-column table:style-name="co%d"/>' % i)
    out.append('<table:table-header-rows><table:table-row table:style-name="ro1">')
    for _, t in COLS_B:
        out.append('<table:table-cell table:style-name="hd" office:value-type="string"><text:p>%s</text:p></table:table-cell>' % fods_text(t))
    out.append("</table:table-row></table:table-header-rows>")
    for r in rows:
        out.append('<table:table-row table:style-name="ro1">')
        for k, _ in COLS_B:
            out.append('<table:table-cell table:style-name="bd" office:value-type="string"><text:p>%s</text:p></table:table-cell>' % fods_text(cell(r, k)))
        out.append("</table:table-row>")
    out.append("</table:table></office:spreadsheet></office:body></office:document>\n")
    with open(os.path.join(OUT, "reg_b.fods"), "w", encoding="utf-8") as f:
        f.write("\n".join(out))


reg_a()
reg_b()
