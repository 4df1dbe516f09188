package tle

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/astroshield/astroshield/engine/gp"
)

// maxLineBytes bounds one line; longer lines are reported and skipped.
const maxLineBytes = 4096

// Reader reads element sets from a stream holding 2-line and 3-line records
// (the name line optionally prefixed "0 "), in any mix, with LF or CRLF line
// ends. Blank lines and lines starting with '#' are skipped. A line is line
// 1 or 2 when it starts "1 " or "2 "; any other line is a name line. Lines
// longer than 4096 bytes are reported and skipped.
//
// A malformed record yields a *ParseError; the next call to Next carries on
// with the following record, so one bad record does not stop a file.
type Reader struct {
	br  *bufio.Reader
	opt Options
	err error // sticky: io.EOF or the read error

	lineNo int       // lines read so far
	bufs   [4][]byte // rotating line buffers (name, 1, 2 and a pushed-back line)
	next   int

	pending     []byte // a line read ahead that starts the next record
	pendingNo   int
	havePending bool
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader, opt Options) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 16*1024), opt: opt}
}

type lineKind int

const (
	kindName lineKind = iota
	kindLine1
	kindLine2
)

func kindOf(line []byte) lineKind {
	if len(line) >= 2 && line[1] == ' ' {
		switch line[0] {
		case '1':
			return kindLine1
		case '2':
			return kindLine2
		}
	}
	return kindName
}

var errLineTooLong = fmt.Errorf("%w: longer than %d bytes", ErrLength, maxLineBytes)

// readLine returns the next raw line without its line end, in one of the
// rotating buffers.
func (r *Reader) readLine() ([]byte, int, error) {
	buf := r.bufs[r.next][:0]
	long := false
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(buf)+len(chunk) <= maxLineBytes+2 {
			buf = append(buf, chunk...)
		} else {
			long = true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && (err != io.EOF || (len(buf) == 0 && !long)) {
			return nil, 0, err
		}
		break
	}
	r.bufs[r.next] = buf // skipped lines reuse this slot; significant advances it
	r.lineNo++
	if long {
		return nil, r.lineNo, errLineTooLong
	}
	return trimRight(buf), r.lineNo, nil
}

// significant returns the next line that is neither blank nor a comment,
// honouring a pushed-back line.
func (r *Reader) significant() ([]byte, int, error) {
	if r.havePending {
		r.havePending = false
		return r.pending, r.pendingNo, nil
	}
	for {
		line, no, err := r.readLine()
		if err != nil {
			return nil, no, err
		}
		t := line
		for len(t) > 0 && (t[0] == ' ' || t[0] == '\t') {
			t = t[1:]
		}
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		r.next = (r.next + 1) % len(r.bufs)
		return line, no, nil
	}
}

func (r *Reader) pushBack(line []byte, no int) {
	r.pending, r.pendingNo, r.havePending = line, no, true
}

// Next returns the next element set, io.EOF after the last one, a
// *ParseError for a malformed record (call Next again to go on), or the
// underlying reader's error.
func (r *Reader) Next() (gp.ElementSet, error) {
	var zero gp.ElementSet
	if r.err != nil {
		return zero, r.err
	}
	line, no, err := r.significant()
	if err != nil {
		return zero, r.fail(err, no, 0)
	}
	var name []byte
	nameNo := 0
	switch kindOf(line) {
	case kindLine2:
		return zero, &ParseError{Line: no, RecordLine: 2, Column: 1, Field: "line number",
			Err: fmt.Errorf("%w: line 2 without a line 1 before it", ErrMissingLine)}
	case kindName:
		name, nameNo = line, no
		line, no, err = r.significant()
		if err != nil {
			if err == io.EOF {
				r.err = io.EOF
				return zero, &ParseError{Line: nameNo, RecordLine: 0,
					Err: fmt.Errorf("%w: file ends after a name line, want line 1", ErrMissingLine)}
			}
			return zero, r.fail(err, no, 1)
		}
		if kindOf(line) != kindLine1 {
			r.pushBack(line, no)
			return zero, &ParseError{Line: nameNo, RecordLine: 0,
				Err: fmt.Errorf("%w: name line not followed by line 1 (file line %d starts %q)", ErrMissingLine, no, prefix(line))}
		}
	}
	line1, no1 := line, no
	line2, no2, err := r.significant()
	if err != nil {
		if err == io.EOF {
			r.err = io.EOF
			return zero, &ParseError{Line: no1, RecordLine: 1,
				Err: fmt.Errorf("%w: file ends after line 1, want line 2", ErrMissingLine)}
		}
		return zero, r.fail(err, no2, 2)
	}
	if kindOf(line2) != kindLine2 {
		r.pushBack(line2, no2)
		return zero, &ParseError{Line: no2, RecordLine: 2, Column: 1, Field: "line number",
			Err: fmt.Errorf("%w: line 1 (file line %d) not followed by line 2, found %q", ErrMissingLine, no1, prefix(line2))}
	}
	e, intl, perr := parseLinesAt(line1, line2, r.opt, no1, no2)
	if perr != nil {
		return zero, perr
	}
	// one allocation per record: the name and the designator share a string
	name = cleanName(name)
	var sb strings.Builder
	sb.Grow(len(name) + len(intl))
	sb.Write(name)
	sb.Write(intl)
	s := sb.String()
	e.Name, e.IntlDesignator = s[:len(name)], s[len(name):]
	return e, nil
}

// fail turns a line-reading error into what Next returns: a too-long line is
// a ParseError (reading goes on); anything else is sticky.
func (r *Reader) fail(err error, no, rec int) error {
	if errors.Is(err, errLineTooLong) {
		return &ParseError{Line: no, RecordLine: rec, Err: err}
	}
	r.err = err
	return err
}

// prefix quotes the start of a line for an error message.
func prefix(line []byte) string {
	if len(line) > 20 {
		return string(line[:20]) + "..."
	}
	return string(line)
}

// ReadAll reads every element set from r. It returns the sets that parsed
// and, if any record failed, an errors.Join of every record's error (each a
// *ParseError) and of a read error, so callers can keep the good records.
func ReadAll(r io.Reader, opt Options) ([]gp.ElementSet, error) {
	rd := NewReader(r, opt)
	sets := make([]gp.ElementSet, 0, recordsHint(r))
	var errs []error
	for {
		e, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err)
			if rd.err != nil {
				break
			}
			continue
		}
		if len(sets) == cap(sets) { // double: fewer copies than append's 1.25x for big files
			sets = append(make([]gp.ElementSet, 0, max(64, 2*cap(sets))), sets...)
		}
		sets = append(sets, e)
	}
	return sets, errors.Join(errs...)
}

// recordsHint guesses how many records r holds from its size, when it tells
// (bytes.Reader, strings.Reader, os.File): a 2-line record is 140 bytes.
func recordsHint(r io.Reader) int {
	var size int64
	switch x := r.(type) {
	case interface{ Len() int }:
		size = int64(x.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if st, err := x.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
	}
	return int(min(size/140, 1<<20))
}
