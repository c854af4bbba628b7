#!/usr/bin/env python3
"""Writes the hand-made PDFs of the fixtures: mkpdf.py OUTDIR.

std14.pdf     a page set in the standard-14 fonts Helvetica and
              Helvetica-Bold (not embedded, WinAnsiEncoding, å/ä/ö), using
              Tj, TJ with kerning, Tw, Tc, Tz, TL, T*, ', " and a Form
              XObject; words placed only by positioning, no space glyphs.
lzw.pdf       a page whose content stream has /Filter /LZWDecode.
zero_pages.pdf  a well-formed PDF with no pages.
malformed.pdf   a PDF header followed by garbage."""
import os
import sys
import zlib

OUT = sys.argv[1]


def write_pdf(path, objects):
    """objects: list of bytes, object i+1; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objects):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(os.path.join(OUT, path), "wb") as f:
        f.write(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def w(s):
    """A PDF string in WinAnsiEncoding."""
    b = s.encode("cp1252")
    return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def std14():
    c = b"\n".join([
        b"BT /F2 14 Tf 50 790 Td " + w("Registerförteckning för Miljönämnden") + b" Tj ET",
        b"BT /F1 10 Tf 14 TL 50 760 Td",
        w("Behandlingen av personuppgifter sker enligt dataskyddsförordningen.") + b" Tj T*",
        # words placed by TJ offsets only, no space glyphs
        b"[" + w("Ändamål") + b" -280 " + w("med") + b" -280 " + w("behandlingen") + b" -280 " + w("är") + b" -280 " + w("tillsyn.") + b"] TJ T*",
        # kerning inside words must not split them
        b"[" + w("T") + b" 80 " + w("ov") + b" 40 " + w("alla") + b" -300 " + w("Växjö") + b"] TJ T*",
        # word spacing and character spacing
        b"2 Tw 0.5 Tc " + w("Lagringstid: gallras efter två år.") + b" Tj 0 Tw 0 Tc",
        w("Mottagare: Länsstyrelsen och åklagare.") + b" '",
        b"3 0.2 " + w("Källa: den registrerade själv.") + b' " 0 Tw 0 Tc',
        b"T* 80 Tz " + w("Överföring till tredje land: nej.") + b" Tj 100 Tz",
        b"ET",
        b"BT /F1 10 Tf 50 600 Td 2 Ts " + w("Upphöjd") + b" Tj 0 Ts ET",
        b"q 1 0 0 1 50 560 cm /X1 Do Q",
        b"BT /F1 9 Tf 280 40 Td " + w("Sida 1 av 1") + b" Tj ET",
    ])
    form = b"BT /F1 10 Tf 0 0 Td " + w("Text i ett formulärobjekt: Personnummer, adress.") + b" Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /X1 7 0 R >> >> /Contents 4 0 R >>",
        stream(zlib.compress(c), b"/Filter /FlateDecode"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 500 20] /Resources << /Font << /F1 5 0 R >> >>"),
    ]
    write_pdf("std14.pdf", objs)


def lzw():
    c = b"BT /F1 12 Tf 72 720 Td (Inget kan l\xe4sas h\xe4r) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(c, b"/Filter /LZWDecode"),  # declared, not encoded: never decodable
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    write_pdf("lzw.pdf", objs)


def zero():
    write_pdf("zero_pages.pdf", [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ])


def malformed():
    with open(os.path.join(OUT, "malformed.pdf"), "wb") as f:
        f.write(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\nthis is not a PDF body\n%%EOF\n")


std14()
lzw()
zero()
malformed()
