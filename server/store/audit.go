package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"
)

// AuditHash is the chain hash of e given the previous entry's hash:
// SHA-256 over prev, seq, time (Unix ns) and each text field, each
// length-prefixed so that no two different entries hash alike.
func AuditHash(prev []byte, e AuditEntry) []byte {
	h := sha256.New()
	var b [8]byte
	field := func(p []byte) {
		binary.BigEndian.PutUint64(b[:], uint64(len(p)))
		h.Write(b[:])
		h.Write(p)
	}
	field(prev)
	binary.BigEndian.PutUint64(b[:], uint64(e.Seq))
	h.Write(b[:])
	binary.BigEndian.PutUint64(b[:], uint64(e.At.UTC().UnixNano()))
	h.Write(b[:])
	field([]byte(e.Actor))
	field([]byte(e.Action))
	field([]byte(e.Target))
	field([]byte(e.Detail))
	return h.Sum(nil)
}

// VerifyAudit checks that entries (in Seq order, starting at Seq 1) form an
// unbroken chain; it names the first entry that does not.
func VerifyAudit(entries []AuditEntry) error {
	var prev []byte
	for i, e := range entries {
		if e.Seq != int64(i+1) {
			return fmt.Errorf("store: audit entry %d has sequence %d (gap or reorder)", i+1, e.Seq)
		}
		if !bytes.Equal(e.PrevHash, prev) {
			return fmt.Errorf("store: audit entry %d: previous hash does not match entry %d", e.Seq, e.Seq-1)
		}
		if !bytes.Equal(AuditHash(prev, e), e.Hash) {
			return fmt.Errorf("store: audit entry %d: hash does not match its content (altered)", e.Seq)
		}
		prev = e.Hash
	}
	return nil
}

// UnixMilli is t in Unix milliseconds as stored in SQL (0 for the zero time).
func UnixMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FromUnixMilli is the inverse of UnixMilli (0 is the zero time).
func FromUnixMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
