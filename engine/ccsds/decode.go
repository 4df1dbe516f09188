package ccsds

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// DecodeOMM reads OMMs in any of the supported syntaxes, recognised from the
// content: XML (<omm> or <ndm>), CelesTrak/Space-Track JSON, KVN (starts
// with CCSDS_OMM_VERS or a COMMENT), or CSV (a header row of keywords).
func DecodeOMM(r io.Reader) ([]OMM, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	trim := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	if len(trim) == 0 {
		return nil, pos{line: 1}.errf(ErrUnsupportedFormat, "", "empty input")
	}
	switch trim[0] {
	case '<':
		return parseOMMXML(data)
	case '[', '{':
		return parseOMMJSON(data)
	}
	first := trim
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if bytes.IndexByte(first, '=') < 0 && bytes.IndexByte(first, ',') >= 0 {
		return ParseOMMCSV(bytes.NewReader(data))
	}
	if bytes.HasPrefix(first, []byte("CCSDS_OMM_VERS")) || bytes.HasPrefix(first, []byte("COMMENT")) {
		return parseOMMKVN(string(data))
	}
	return nil, pos{line: 1 + bytes.Count(data[:len(data)-len(trim)], []byte("\n"))}.errf(ErrUnsupportedFormat, "",
		"not an OMM in KVN (CCSDS_OMM_VERS = …), XML, JSON or CSV: %q", clip(string(first)))
}

// maxMessageBytes bounds what the readers load into memory.
const maxMessageBytes = 256 << 20

func readAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	if l, ok := r.(interface{ Len() int }); ok { // bytes.Reader, strings.Reader, bytes.Buffer
		buf.Grow(min(l.Len(), maxMessageBytes) + bytes.MinRead)
	} else if f, ok := r.(interface{ Stat() (os.FileInfo, error) }); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			buf.Grow(int(min(st.Size(), maxMessageBytes)) + bytes.MinRead)
		}
	}
	_, err := buf.ReadFrom(io.LimitReader(r, maxMessageBytes+1))
	data := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("ccsds: reading message: %w", err)
	}
	if len(data) > maxMessageBytes {
		return nil, fmt.Errorf("%w: message larger than %d bytes", ErrUnsupportedFormat, maxMessageBytes)
	}
	return data, nil
}

func looksXML(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '<'
}
