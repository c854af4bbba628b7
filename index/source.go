package index

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// The stored copy of a record (field record_json) is its JSON compressed
// with DEFLATE and a preset dictionary of the record's keys, prefixed by
// sourceDeflate. bleve's own compression of stored fields (snappy, per
// document) leaves JSON at about half its size; this leaves it at about a
// quarter, which keeps the whole index near the size of the raw JSON.
const sourceDeflate = 'D'

// sourceDict primes the compressor with the JSON keys of a record.
var sourceDict = []byte(`{"id":"","kind":"activity","municipality":" kommun","organ":"nämnden","activity":"","purpose":"","data_subjects":["","personal_data":["namn","kontaktuppgifter","personnummer","sensitive_data":["legal_basis":["allmänt intresse","rättslig förpliktelse","samtycke","avtal","legal_basis_text":"","legal_basis_ref":"","retention":"","recipients":["","sources":["","third_country":"","system":"","provenance":{"file":"","format":"","page":,"line":,"extractor":"","confidence":},"quality":{"warnings":[{"code":"Q","name":"","severity":"info","message":""}]}}`)

var flaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriterDict(nil, flate.BestSpeed, sourceDict)
	return w
}}

// encodeSource returns the stored form of r.
func encodeSource(r *record.Record) (string, error) {
	js, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("index: record %s: encode: %w", r.ID, err)
	}
	var buf bytes.Buffer
	buf.Grow(len(js)/2 + 16)
	buf.WriteByte(sourceDeflate)
	w := flaters.Get().(*flate.Writer)
	defer flaters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(js); err != nil {
		return "", fmt.Errorf("index: record %s: compress: %w", r.ID, err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("index: record %s: compress: %w", r.ID, err)
	}
	return buf.String(), nil
}

// decodeSource decodes a stored record: compressed, or plain JSON (indexes
// written before compression).
func decodeSource(src []byte, r *record.Record) error {
	if len(src) > 0 && src[0] == sourceDeflate {
		rd := flate.NewReaderDict(bytes.NewReader(src[1:]), sourceDict)
		defer rd.Close()
		js, err := io.ReadAll(rd)
		if err != nil {
			return fmt.Errorf("decompress stored record: %w", err)
		}
		src = js
	}
	if err := json.Unmarshal(src, r); err != nil {
		return fmt.Errorf("decode stored record: %w", err)
	}
	return nil
}
