package ocr

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// Image formats Inspect knows.
const (
	FormatPNG  = "png"
	FormatJPEG = "jpeg"
	FormatTIFF = "tiff"
)

// maxTIFFPages bounds the pages of one TIFF file (and IFD loops).
const maxTIFFPages = 10000

// ImageInfo is what an image file's headers say, read without decoding any
// pixels.
type ImageInfo struct {
	Format string
	Pages  []PageInfo // one for PNG and JPEG, every page of a TIFF
}

// PageInfo is one page (image) of an image file.
type PageInfo struct {
	Width, Height int     // pixels
	DPI           float64 // resolution the file declares; 0 when none
	ifd           int64   // TIFF: offset of the page's IFD
}

// Inspect reads the headers of a PNG, JPEG or TIFF file: its format, pages,
// their sizes in pixels and the resolution each declares. It decodes no
// pixels, so it is safe on decompression bombs; a file whose headers cannot
// be read gives an error wrapping ErrUndecodable.
func Inspect(data []byte) (info ImageInfo, err error) {
	defer func() {
		if p := recover(); p != nil { // an index out of range on a broken header
			err = fmt.Errorf("%w: broken header (%v)", ErrUndecodable, p)
		}
	}()
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		p, err := inspectPNG(data)
		return ImageInfo{Format: FormatPNG, Pages: []PageInfo{p}}, err
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		p, err := inspectJPEG(data)
		return ImageInfo{Format: FormatJPEG, Pages: []PageInfo{p}}, err
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		pages, err := inspectTIFF(data)
		return ImageInfo{Format: FormatTIFF, Pages: pages}, err
	}
	return ImageInfo{}, fmt.Errorf("%w: not a PNG, JPEG or TIFF file", ErrUndecodable)
}

// Check refuses a page that is too small to hold text or larger than
// maxPixels (0: DefaultMaxPixels).
func (p PageInfo) Check(maxPixels int64) error {
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	if p.Width < MinSide || p.Height < MinSide {
		return fmt.Errorf("%w: %d×%d pixels, a page needs at least %d×%d", ErrTooSmall, p.Width, p.Height, MinSide, MinSide)
	}
	if px := int64(p.Width) * int64(p.Height); px > maxPixels {
		return fmt.Errorf("%w: %d×%d pixels (%.0f megapixels), the limit is %.0f megapixels (a decompression bomb?)",
			ErrTooLarge, p.Width, p.Height, float64(px)/1e6, float64(maxPixels)/1e6)
	}
	return nil
}

// GuessDPI returns the resolution to read an image of w×h pixels at when
// the file declares none (or an implausible one): the resolution at which
// it is an A4 or Letter page if its shape is one, else 300.
func GuessDPI(w, h int) float64 {
	long, short := float64(max(w, h)), float64(min(w, h))
	if short > 0 {
		if ratio := long / short; ratio > 1.25 && ratio < 1.5 {
			dpi := long / 11.69 // A4's long side in inches (Letter: 11)
			for _, std := range []float64{150, 200, 240, 300, 400, 600} {
				if math.Abs(dpi-std)/std < 0.08 {
					return std
				}
			}
			if dpi >= 100 && dpi <= 600 {
				return math.Round(dpi)
			}
		}
	}
	return 300
}

// plausibleDPI reports whether a declared resolution can be believed.
func plausibleDPI(d float64) bool { return d >= 70 && d <= 2400 }

func inspectPNG(b []byte) (PageInfo, error) {
	var p PageInfo
	i := 8
	for i+8 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		body := i + 8
		if n < 0 || body+n > len(b) {
			if p.Width > 0 {
				return p, nil // truncated later on: the decoder will say so
			}
			return p, fmt.Errorf("%w: PNG chunk %q runs past the end of the file", ErrUndecodable, typ)
		}
		switch typ {
		case "IHDR":
			if n < 13 {
				return p, fmt.Errorf("%w: PNG IHDR chunk too short", ErrUndecodable)
			}
			p.Width = int(binary.BigEndian.Uint32(b[body:]) & 0x7FFFFFFF)
			p.Height = int(binary.BigEndian.Uint32(b[body+4:]) & 0x7FFFFFFF)
		case "pHYs":
			if n >= 9 && b[body+8] == 1 { // unit: metre
				p.DPI = math.Round(float64(binary.BigEndian.Uint32(b[body+4:])) * 0.0254) // pixels per metre
			}
		case "IDAT", "IEND":
			if p.Width == 0 {
				return p, fmt.Errorf("%w: PNG without IHDR", ErrUndecodable)
			}
			return p, nil
		}
		i = body + n + 4 // data and CRC
	}
	if p.Width == 0 {
		return p, fmt.Errorf("%w: PNG without IHDR", ErrUndecodable)
	}
	return p, nil
}

func inspectJPEG(b []byte) (PageInfo, error) {
	var p PageInfo
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return p, fmt.Errorf("%w: JPEG marker expected at byte %d", ErrUndecodable, i)
		}
		m := b[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		if m == 0xD8 || m >= 0xD0 && m <= 0xD7 || m == 0x01 {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		body := i + 4
		if n < 2 || i+2+n > len(b) {
			return p, fmt.Errorf("%w: JPEG segment runs past the end of the file", ErrUndecodable)
		}
		switch {
		case m == 0xE0 && n >= 14 && string(b[body:body+5]) == "JFIF\x00":
			unit := b[body+7]
			x := float64(binary.BigEndian.Uint16(b[body+8:]))
			switch unit {
			case 1:
				p.DPI = x
			case 2:
				p.DPI = x * 2.54
			}
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			if n < 7 {
				return p, fmt.Errorf("%w: JPEG frame header too short", ErrUndecodable)
			}
			p.Height = int(binary.BigEndian.Uint16(b[body+1:]))
			p.Width = int(binary.BigEndian.Uint16(b[body+3:]))
			return p, nil
		case m == 0xDA || m == 0xD9:
			return p, fmt.Errorf("%w: JPEG without a frame header", ErrUndecodable)
		}
		i += 2 + n
	}
	return p, fmt.Errorf("%w: JPEG without a frame header", ErrUndecodable)
}

// TIFF tags read by inspectTIFF.
const (
	tagWidth   = 256
	tagHeight  = 257
	tagXRes    = 282
	tagResUnit = 296
)

func inspectTIFF(b []byte) ([]PageInfo, error) {
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	if len(b) < 8 {
		return nil, fmt.Errorf("%w: TIFF header truncated", ErrUndecodable)
	}
	off := int64(bo.Uint32(b[4:]))
	seen := map[int64]bool{}
	var pages []PageInfo
	for off != 0 {
		if seen[off] || len(pages) >= maxTIFFPages {
			break // a loop in the IFD chain, or absurdly many pages
		}
		seen[off] = true
		if off < 8 || off+2 > int64(len(b)) {
			if len(pages) > 0 {
				break // a broken link after good pages: keep those
			}
			return nil, fmt.Errorf("%w: TIFF directory offset %d outside the file", ErrUndecodable, off)
		}
		n := int64(bo.Uint16(b[off:]))
		end := off + 2 + 12*n
		if end+4 > int64(len(b)) {
			if len(pages) > 0 {
				break
			}
			return nil, fmt.Errorf("%w: TIFF directory at %d runs past the end of the file", ErrUndecodable, off)
		}
		p := PageInfo{ifd: off}
		var xres float64
		unit := 2 // inch, the default
		for e := off + 2; e < end; e += 12 {
			tag := bo.Uint16(b[e:])
			typ := bo.Uint16(b[e+2:])
			val := func() int {
				if typ == 3 { // SHORT
					return int(bo.Uint16(b[e+8:]))
				}
				return int(bo.Uint32(b[e+8:]) & 0x7FFFFFFF)
			}
			switch tag {
			case tagWidth:
				p.Width = val()
			case tagHeight:
				p.Height = val()
			case tagResUnit:
				unit = val()
			case tagXRes:
				if typ == 5 { // RATIONAL, stored out of line
					at := int64(bo.Uint32(b[e+8:]))
					if at >= 0 && at+8 <= int64(len(b)) {
						num, den := bo.Uint32(b[at:]), bo.Uint32(b[at+4:])
						if den != 0 {
							xres = float64(num) / float64(den)
						}
					}
				}
			}
		}
		switch unit {
		case 2:
			p.DPI = xres
		case 3:
			p.DPI = xres * 2.54
		}
		if p.Width <= 0 || p.Height <= 0 {
			return nil, fmt.Errorf("%w: TIFF page %d has no width or height", ErrUndecodable, len(pages)+1)
		}
		pages = append(pages, p)
		off = int64(bo.Uint32(b[end:]))
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: TIFF without pages", ErrUndecodable)
	}
	return pages, nil
}

// tiffPage returns the TIFF file reduced to its page of the given IFD: the
// same bytes with the header pointing at that IFD, so that a reader which
// reads the first page reads this one. All TIFF offsets are absolute, so
// nothing else moves.
func tiffPage(data []byte, p PageInfo) []byte {
	if p.ifd == 0 || len(data) < 8 || int64(binary.LittleEndian.Uint32(data[4:])) == p.ifd && data[0] == 'I' ||
		int64(binary.BigEndian.Uint32(data[4:])) == p.ifd && data[0] == 'M' {
		return data
	}
	out := bytes.Clone(data)
	if out[0] == 'M' {
		binary.BigEndian.PutUint32(out[4:], uint32(p.ifd))
	} else {
		binary.LittleEndian.PutUint32(out[4:], uint32(p.ifd))
	}
	return out
}
