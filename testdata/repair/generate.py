#!/usr/bin/env python3
"""Generates the repair corpus in testdata/repair/ from clean Swedish text.

Clean sources: ../seeds/003_*.txt and ../seeds/004_*.txt (real municipal
pages) and clean/register.txt (a register written for these tests).

Outputs (committed, so tests need neither Chromium nor Tesseract):

  mojibake/<name>.<variant>.txt  each clean text, UTF-8 bytes read as
      cp1252 (sloppy: the five undefined bytes kept as C1 controls),
      latin1, cp1252 twice ("double"), mac_roman, cp850 and cp437.
      Made with Python's own codecs, not with the Go tables under test.
  ocr/<page>.txt        Tesseract `-l eng` output of a rendered page.
  ocr/<page>.clean.txt  the clean text that was rendered on that page.
  ocr/<page>.html       the page as rendered (narrow columns, soft hyphens).

Run from the repository root:  python3 testdata/repair/generate.py [--no-ocr]
Needs: python3, chromium, pdftoppm (poppler-utils), tesseract-ocr (eng).
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "seeds")


def sources():
    out = {}
    for n in ("003", "004"):
        path = glob.glob(os.path.join(SEEDS, n + "_*.txt"))[0]
        out["seed" + n] = open(path, encoding="utf-8").read()
    out["register"] = open(os.path.join(HERE, "clean", "register.txt"), encoding="utf-8").read()
    return out


def sloppy1252(b):
    return "".join(chr(c) if c in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([c]).decode("cp1252") for c in b)


def variants(text):
    u = text.encode("utf-8")
    once = sloppy1252(u)
    return {
        "cp1252": once,
        "latin1": u.decode("latin-1"),
        "double": sloppy1252(once.encode("utf-8")),
        "macroman": u.decode("mac_roman"),
        "cp850": u.decode("cp850"),
        "cp437": u.decode("cp437"),
    }


def write(path, s):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(s)


def make_mojibake(src):
    d = os.path.join(HERE, "mojibake")
    os.makedirs(d, exist_ok=True)
    for name, text in src.items():
        for v, s in variants(text).items():
            write(os.path.join(d, "%s.%s.txt" % (name, v)), s)


VOWELS = "aeiouyåäöAEIOUYÅÄÖ"


def soft_hyphenate(word):
    """Soft hyphens in long words, after a vowel near the middle, so that
    narrow columns split them as a typesetter would."""
    if len(word) < 11 or not word.isalpha():
        return word
    mid = len(word) // 2
    for d in range(0, mid - 3):
        for k in (mid + d, mid - d):
            if 3 <= k <= len(word) - 3 and word[k - 1] in VOWELS and word[k] not in VOWELS:
                return word[:k] + "\u00ad" + word[k:]
    return word


def html_page(paragraphs, columns, font):
    body = []
    for p in paragraphs:
        words = re.split(r"(\s+)", p)
        h = "".join(soft_hyphenate(w) for w in words)
        h = h.replace("&", "&amp;").replace("<", "&lt;")
        body.append("<p>%s</p>" % h)
    return """<!doctype html><html lang="sv"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 12mm; }
body { font-family: %s; font-size: 10.5pt; column-count: %d; column-gap: 7mm; hyphens: manual; }
p { margin: 0 0 0.6em 0; }
</style></head><body>%s</body></html>""" % (font, columns, "\n".join(body))


def paragraphs(text):
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def make_ocr(src):
    d = os.path.join(HERE, "ocr")
    os.makedirs(d, exist_ok=True)
    seed004 = paragraphs(src["seed004"])
    pages = {
        # name: (paragraphs, columns, font)
        "register-3col": (paragraphs(src["register"]), 3, "'DejaVu Sans', sans-serif"),
        "seed003-3col": (paragraphs(src["seed003"]), 3, "'DejaVu Serif', serif"),
        "seed004-2col": (seed004[: len(seed004) // 4], 2, "'Liberation Sans', sans-serif"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, (paras, cols, font) in pages.items():
            html = html_page(paras, cols, font)
            hp = os.path.join(d, name + ".html")
            write(hp, html)
            write(os.path.join(d, name + ".clean.txt"), "\n".join(paras) + "\n")
            pdf = os.path.join(tmp, name + ".pdf")
            subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + hp],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # First page only: the fixtures stay small (OCR costs ~4 CPU-s a page).
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", pdf,
                            os.path.join(tmp, name)], check=True)
            png = sorted(glob.glob(os.path.join(tmp, name + "*.png")))[0]
            out = subprocess.run(["tesseract", png, "-", "-l", "eng", "--psm", "3"],
                                 check=True, capture_output=True).stdout.decode("utf-8")
            write(os.path.join(d, name + ".txt"), out)
            print("ocr", name, len(out), "bytes", file=sys.stderr)


def main():
    src = sources()
    make_mojibake(src)
    if "--no-ocr" not in sys.argv:
        make_ocr(src)


if __name__ == "__main__":
    main()
