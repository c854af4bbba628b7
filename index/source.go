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
// with DEFLATE (flate.BestSpeed), prefixed by sourceDeflate: about 0.53 of
// the JSON on the benchmark's records, where bleve's own compression of
// stored fields (snappy, per document) leaves 0.75, which would put the
// index above 1.5 times the raw JSON. The preset dictionary of the
// record's keys is ignored by the compressor at BestSpeed (the stream never
// refers to it) and kept for the reader; a level that uses it (2, about
// 0.42) costs a third more time per record.
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
