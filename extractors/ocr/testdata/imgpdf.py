#!/usr/bin/env python3
"""imgpdf.py JPEG DPI OUT.pdf [HIDDEN]: wraps a greyscale JPEG as a one-page,
image-only PDF (what a scanner writes), the page sized to the image at DPI.

With HIDDEN, the page also gets an invisible text layer (text rendering mode
3, as OCR software lays under a scan) holding the words of HIDDEN, one line
after another: a scan with a bad hidden OCR layer when HIDDEN is garbage.
JPEG may also be a PDF written by this script: its image is taken again."""
import struct, sys

def jpeg_size(b):
    i = 2
    while i < len(b):
        if b[i] != 0xFF:
            raise SystemExit("not a JPEG marker")
        m = b[i + 1]
        n = struct.unpack(">H", b[i + 2:i + 4])[0]
        if m in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", b[i + 5:i + 9])
            return w, h, b[i + 9]
        i += 2 + n
    raise SystemExit("no SOF marker")

jpg = open(sys.argv[1], "rb").read()
if jpg.startswith(b"%PDF"):
    start = jpg.index(b"stream\n", jpg.index(b"/DCTDecode")) + len(b"stream\n")
    jpg = jpg[start:jpg.index(b"\xff\xd9", start) + 2]
dpi = float(sys.argv[2])
w, h, comps = jpeg_size(jpg)
pw, ph = w * 72 / dpi, h * 72 / dpi
cs = "/DeviceGray" if comps == 1 else "/DeviceRGB"
content = b"q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q" % (pw, ph)
font = b""
if len(sys.argv) > 4:
    text = b"BT 3 Tr /F1 10 Tf 14 TL 20 %.3f Td" % (ph - 30)
    for line in open(sys.argv[4], "rb").read().splitlines():
        esc = line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        text += b" (%s) Tj T*" % esc
    content += b"\n" + text + b" ET"
    font = b" /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.3f %.3f] /Resources << /XObject << /Im0 4 0 R >>%s >> /Contents 5 0 R >>" % (pw, ph, font),
    b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, cs.encode(), len(jpg)) + jpg + b"\nendstream",
    b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
]
out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(sys.argv[3], "wb").write(out)
