package ocr

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// PageImage is the image of one PDF page, ready for OCR.
type PageImage struct {
	PNG []byte  // the image, PNG
	DPI float64 // its resolution on the page: pixels per 72 points
	// OCRDPI is the resolution Tesseract is told: DPI, or for an embedded
	// image placed at an implausible resolution (below 150, as a scan
	// wrapped with a default 72 or 96 dpi page size), GuessDPI of its
	// pixel size.
	OCRDPI float64
	Origin string // "embedded image" or "rendered at N dpi"
}

// PDFPageImage returns the image of page n (1-based) of the PDF file at
// path: the page's one embedded image when the page is a single image
// covering it (a scan; pdfimages), else the page rendered at RenderDPI
// (pdftoppm -r 300, greyscale). It needs poppler-utils. An embedded image
// or a rendering larger than maxPixels (0: DefaultMaxPixels) is refused
// with ErrTooLarge; a huge page is rendered at a lower resolution, down to
// 100 dpi.
func PDFPageImage(ctx context.Context, path string, n int, maxPixels int64) (*PageImage, error) {
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	if n < 1 {
		return nil, fmt.Errorf("PDF page %d: pages are numbered from 1", n)
	}
	pw, ph, rot, err := pdfPageSize(ctx, path, n)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "registerlyft-ocr-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	if img, ok, err := embeddedImage(ctx, path, n, pw, ph, rot, maxPixels, tmp); err != nil {
		return nil, err
	} else if ok {
		return img, nil
	}

	dpi := float64(RenderDPI)
	if px := pw * ph * (dpi / 72) * (dpi / 72); px > float64(maxPixels) {
		dpi = math.Floor(72 * math.Sqrt(float64(maxPixels)/(pw*ph)))
		if dpi < 100 {
			return nil, fmt.Errorf("%w: PDF page %d is %.0f×%.0f points, too large to render at 100 dpi within %.0f megapixels",
				ErrTooLarge, n, pw, ph, float64(maxPixels)/1e6)
		}
	}
	prefix := filepath.Join(tmp, "page")
	num := strconv.Itoa(n)
	cmd := exec.CommandContext(ctx, "pdftoppm", "-r", strconv.Itoa(int(dpi)), "-f", num, "-l", num, "-gray", "-png", "-singlefile", path, prefix)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%w: pdftoppm page %d: %v: %s", ErrUndecodable, n, err, firstLineOf(out))
	}
	b, err := os.ReadFile(prefix + ".png")
	if err != nil {
		return nil, fmt.Errorf("%w: pdftoppm page %d wrote no image: %v", ErrUndecodable, n, err)
	}
	return &PageImage{PNG: b, DPI: dpi, OCRDPI: dpi, Origin: fmt.Sprintf("rendered at %d dpi", int(dpi))}, nil
}

// PDFPage recognises page n of the PDF file at path: PDFPageImage, then
// OCR. The result's page is numbered n, its words in the page's points (for
// an embedded image: the image's pixels at its resolution on the page, which
// covers the page), except for an image placed below 150 dpi: a scan in a
// page of the wrong size, whose words are in the points of the paper at the
// guessed resolution (DPIGuessed true, DPI that guess).
func (p *Pool) PDFPage(ctx context.Context, path string, n int) (*Result, error) {
	img, err := PDFPageImage(ctx, path, n, p.cfg.MaxPixels)
	if err != nil {
		return nil, err
	}
	info, err := Inspect(img.PNG)
	if err != nil {
		return nil, err
	}
	if err := info.Pages[0].Check(p.cfg.MaxPixels); err != nil {
		return nil, err
	}
	// An image placed at an implausible resolution is a scan wrapped in a
	// page of the wrong size (72 or 96 dpi): its words are given in the
	// points of the scanned paper (OCRDPI), so that table reconstruction
	// sees real type sizes and gaps.
	r, err := p.page(ctx, n, img.PNG, img.OCRDPI, img.OCRDPI)
	if err != nil {
		return nil, err
	}
	r.DPIGuessed = img.OCRDPI != img.DPI
	r.Origin = img.Origin
	return r, nil
}

// pdfPageSize reads page n's size in points and rotation with pdfinfo.
func pdfPageSize(ctx context.Context, path string, n int) (w, h float64, rot int, err error) {
	num := strconv.Itoa(n)
	out, err := exec.CommandContext(ctx, "pdfinfo", "-f", num, "-l", num, path).CombinedOutput()
	if err != nil {
		return 0, 0, 0, fmt.Errorf("%w: pdfinfo: %v: %s", ErrUndecodable, err, firstLineOf(out))
	}
	found := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		// "Page    3 size: 595.276 x 841.89 pts (A4)", "Page    3 rot:  0"
		if len(f) >= 4 && f[0] == "Page" && f[1] == num {
			switch f[2] {
			case "size:":
				if len(f) >= 6 {
					w, _ = strconv.ParseFloat(f[3], 64)
					h, _ = strconv.ParseFloat(f[5], 64)
					found = w > 0 && h > 0
				}
			case "rot:":
				rot, _ = strconv.Atoi(f[3])
			}
		}
	}
	if !found {
		return 0, 0, 0, fmt.Errorf("%w: PDF has no page %d", ErrUndecodable, n)
	}
	return w, h, rot, nil
}

// embeddedImage extracts page n's image when the page is one image that
// covers it, unrotated, at one resolution in both directions.
func embeddedImage(ctx context.Context, path string, n int, pw, ph float64, rot int, maxPixels int64, tmp string) (*PageImage, bool, error) {
	if rot%360 != 0 {
		return nil, false, nil
	}
	num := strconv.Itoa(n)
	out, err := exec.CommandContext(ctx, "pdfimages", "-list", "-f", num, "-l", num, path).CombinedOutput()
	if err != nil {
		return nil, false, nil // render instead
	}
	// page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
	var imgs [][]string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 14 && f[0] == num && f[2] != "smask" && f[2] != "stencil" {
			imgs = append(imgs, f)
		}
	}
	if len(imgs) != 1 {
		return nil, false, nil
	}
	f := imgs[0]
	iw, _ := strconv.Atoi(f[3])
	ih, _ := strconv.Atoi(f[4])
	xppi, _ := strconv.ParseFloat(f[12], 64)
	yppi, _ := strconv.ParseFloat(f[13], 64)
	if iw <= 0 || ih <= 0 || xppi < 50 || yppi < 50 || math.Abs(xppi-yppi)/xppi > 0.02 {
		return nil, false, nil
	}
	if math.Abs(float64(iw)*72/xppi-pw)/pw > 0.03 || math.Abs(float64(ih)*72/yppi-ph)/ph > 0.03 {
		return nil, false, nil // does not cover the page
	}
	if int64(iw)*int64(ih) > maxPixels {
		return nil, false, fmt.Errorf("%w: PDF page %d's image is %d×%d pixels, the limit is %.0f megapixels", ErrTooLarge, n, iw, ih, float64(maxPixels)/1e6)
	}
	prefix := filepath.Join(tmp, "img")
	if out, err := exec.CommandContext(ctx, "pdfimages", "-f", num, "-l", num, "-png", path, prefix).CombinedOutput(); err != nil {
		return nil, false, fmt.Errorf("%w: pdfimages page %d: %v: %s", ErrUndecodable, n, err, firstLineOf(out))
	}
	matches, _ := filepath.Glob(prefix + "-*.png")
	if len(matches) == 0 {
		return nil, false, nil
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		return nil, false, err
	}
	dpi := (xppi + yppi) / 2
	ocrDPI := math.Round(dpi)
	if ocrDPI < 150 {
		ocrDPI = GuessDPI(iw, ih)
	}
	return &PageImage{PNG: b, DPI: dpi, OCRDPI: ocrDPI, Origin: "embedded image"}, true, nil
}

func firstLineOf(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}
