package pipeline

import (
	"errors"
	"fmt"
)

// Quarantine reasons: short, stable phrases a person can sort the list by.
// The error's Detail says more.
const (
	ReasonEmpty        = "empty file"
	ReasonBinary       = "binary file, not a document"
	ReasonUnreadable   = "unreadable file"
	ReasonUnsupported  = "unsupported format"
	ReasonTooLarge     = "file too large"
	ReasonUndecodable  = "text could not be decoded"
	ReasonNoLayout     = "no register layout recognised"
	ReasonNoRecords    = "no records found"
	ReasonExtractError = "extraction failed"
	ReasonCorrupt      = "corrupt file"
	ReasonEncrypted    = "encrypted file"
	ReasonInternal     = "internal error"
)

// QuarantineError is a stage's verdict that an input gives no records.
type QuarantineError struct {
	Reason string // one of the Reason* phrases
	Detail string // what exactly, for a person
	Err    error  // underlying error, if any
}

func (e *QuarantineError) Error() string {
	if e.Detail == "" {
		return e.Reason
	}
	return e.Reason + ": " + e.Detail
}

func (e *QuarantineError) Unwrap() error { return e.Err }

func quarantine(reason, format string, args ...any) error {
	return &QuarantineError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// asQuarantine turns any stage error into a QuarantineError.
func asQuarantine(err error) *QuarantineError {
	var q *QuarantineError
	if errors.As(err, &q) {
		return q
	}
	return &QuarantineError{Reason: ReasonExtractError, Detail: err.Error(), Err: err}
}
