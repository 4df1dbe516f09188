package ccsds

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// CelesTrak (and Space-Track) publish OMMs as JSON arrays of flat objects
// and as CSV tables whose header row names the keywords. Neither carries
// comments. Missing metadata takes CelesTrak's implied values (CENTER_NAME
// EARTH, REF_FRAME TEME, TIME_SYSTEM UTC, MEAN_ELEMENT_THEORY SGP4, version
// 2.0); null or blank values are absent; keys that are not OMM keywords
// (Space-Track's DECAY_DATE, TLE_LINE1, …) are ignored.

// ParseOMMJSON reads a JSON array of flat OMM objects (a single object is
// accepted too). Values may be JSON numbers or strings; keys are the OMM
// keywords, case-sensitive.
func ParseOMMJSON(r io.Reader) ([]OMM, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return parseOMMJSON(data)
}

// parseOMMJSON is a small scanner for the flat-object subset of JSON that
// CelesTrak and Space-Track use; it is several times faster than
// encoding/json here, keeps key order and knows line numbers.
func parseOMMJSON(data []byte) ([]OMM, error) {
	s := jsonScan{s: string(data), line: 1}
	s.s = strings.TrimPrefix(s.s, "\ufeff")
	s.ws()
	single := s.peek() == '{'
	if !single {
		if s.peek() != '[' {
			return nil, s.errf(ErrUnsupportedFormat, "", "JSON: expected an array of OMM objects")
		}
		s.i++
		s.ws()
	}
	out := make([]OMM, 0, strings.Count(s.s, "{"))
	if !single && s.peek() == ']' {
		s.i++
	} else {
		b := new(ommBuilder)
		for n := 1; ; n++ {
			o, err := s.object(b, n)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
			s.ws()
			if single {
				break
			}
			c := s.peek()
			s.i++
			if c == ']' {
				break
			}
			if c != ',' {
				s.i--
				return nil, s.errf(ErrSyntax, "", "JSON: expected , or ] after object %d", n)
			}
			s.ws()
		}
	}
	s.ws()
	if s.i < len(s.s) {
		return nil, s.errf(ErrSyntax, "", "JSON: unexpected text after the data")
	}
	return out, nil
}

type jsonScan struct {
	s    string
	i    int
	line int
	bol  int // offset where the current line begins
}

func (s *jsonScan) peek() byte {
	if s.i < len(s.s) {
		return s.s[s.i]
	}
	return 0
}

func (s *jsonScan) ws() {
	for s.i < len(s.s) {
		switch s.s[s.i] {
		case '\n':
			s.line++
			s.bol = s.i + 1
		case ' ', '\t', '\r':
		default:
			return
		}
		s.i++
	}
}

func (s *jsonScan) pos(record int) pos {
	return pos{line: s.line, col: s.i - s.bol + 1, record: record}
}

func (s *jsonScan) errf(sentinel error, keyword, format string, args ...any) error {
	return s.pos(0).errf(sentinel, keyword, format, args...)
}

// object reads one flat object into an OMM.
func (s *jsonScan) object(b *ommBuilder, record int) (OMM, error) {
	if s.peek() != '{' {
		return OMM{}, s.errf(ErrSyntax, "", "JSON: expected an object")
	}
	*b = ommBuilder{blank: true, start: s.pos(record)}
	s.i++
	s.ws()
	if s.peek() == '}' {
		s.i++
		return b.finish(true)
	}
	for {
		s.ws()
		key, _, err := s.str()
		if err != nil {
			return OMM{}, err
		}
		s.ws()
		if s.peek() != ':' {
			return OMM{}, s.errf(ErrSyntax, key, "JSON: expected : after the key")
		}
		s.i++
		s.ws()
		p := s.pos(record)
		val, kind, err := s.value()
		if err != nil {
			return OMM{}, err
		}
		k := ommKeyByName[key]
		if k != nil || key == "CCSDS_OMM_VERS" || key == "COMMENT" || strings.HasPrefix(key, "USER_DEFINED_") {
			switch kind {
			case 'b':
				return OMM{}, p.errf(ErrBadValue, key, "boolean %s where a number or text is expected", val)
			case '{':
				return OMM{}, p.errf(ErrBadValue, key, "object or array where a number or text is expected")
			}
		}
		switch {
		case k != nil:
			if err := b.set(k, val, val, "", kind == 'n', p); err != nil {
				return OMM{}, err
			}
		case key == "CCSDS_OMM_VERS" && val != "":
			if err := b.setVersion(val, p); err != nil {
				return OMM{}, err
			}
		case key == "COMMENT" && val != "":
			b.o.Header.Comments = append(b.o.Header.Comments, strings.Clone(val))
		case len(key) > len("USER_DEFINED_") && strings.HasPrefix(key, "USER_DEFINED_") && val != "":
			if err := b.setUser(strings.TrimPrefix(key, "USER_DEFINED_"), val, p); err != nil {
				return OMM{}, err
			}
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
			continue
		case '}':
			s.i++
			return b.finish(true)
		}
		return OMM{}, s.errf(ErrSyntax, "", "JSON: expected , or } in object %d", record)
	}
}

// str reads a JSON string and returns its contents.
func (s *jsonScan) str() (string, bool, error) {
	if s.peek() != '"' {
		return "", false, s.errf(ErrSyntax, "", "JSON: expected a string")
	}
	start := s.i
	s.i++
	escaped := false
	for s.i < len(s.s) {
		c := s.s[s.i]
		switch {
		case c == '"':
			s.i++
			if !escaped {
				return s.s[start+1 : s.i-1], false, nil
			}
			var out string
			if err := json.Unmarshal([]byte(s.s[start:s.i]), &out); err != nil {
				s.i = start
				return "", false, s.errf(ErrSyntax, "", "JSON: bad string: %v", err)
			}
			return out, true, nil
		case c == '\\':
			escaped = true
			s.i += 2
			continue
		case c < 0x20:
			return "", false, s.errf(ErrSyntax, "", "JSON: control character in a string")
		}
		s.i++
	}
	return "", false, s.errf(ErrSyntax, "", "JSON: unterminated string")
}

// value reads a scalar (or skips a nested value) and returns its text and
// kind: 's' string, '0' number, 'n' null, 'b' boolean, '{' nested.
func (s *jsonScan) value() (string, byte, error) {
	switch c := s.peek(); {
	case c == '"':
		v, _, err := s.str()
		return v, 's', err
	case c == '-' || c >= '0' && c <= '9':
		start := s.i
		for s.i < len(s.s) && strings.IndexByte("+-.eE0123456789", s.s[s.i]) >= 0 {
			s.i++
		}
		v := s.s[start:s.i]
		if !isNumber(v) || strings.HasPrefix(v, "+") {
			s.i = start
			return "", 0, s.errf(ErrSyntax, "", "JSON: bad number %q", clip(v))
		}
		return v, '0', nil
	case strings.HasPrefix(s.s[s.i:], "null"):
		s.i += 4
		return "", 'n', nil
	case strings.HasPrefix(s.s[s.i:], "true"):
		s.i += 4
		return "true", 'b', nil
	case strings.HasPrefix(s.s[s.i:], "false"):
		s.i += 5
		return "false", 'b', nil
	case c == '{' || c == '[':
		return "", '{', s.skipNested()
	}
	return "", 0, s.errf(ErrSyntax, "", "JSON: expected a value")
}

// skipNested skips a nested object or array (values of keys this package
// does not read).
func (s *jsonScan) skipNested() error {
	depth := 0
	for s.i < len(s.s) {
		switch s.s[s.i] {
		case '"':
			if _, _, err := s.str(); err != nil {
				return err
			}
			continue
		case '{', '[':
			depth++
			if depth > maxXMLDepth {
				return s.errf(ErrSyntax, "", "JSON nested too deeply")
			}
		case '}', ']':
			depth--
			if depth == 0 {
				s.i++
				return nil
			}
		case '\n':
			s.line++
			s.bol = s.i + 1
		}
		s.i++
	}
	return s.errf(ErrSyntax, "", "JSON: unterminated object or array")
}

// ParseOMMCSV reads a CSV table whose header row names OMM keywords.
func ParseOMMCSV(r io.Reader) ([]OMM, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0
	head, err := cr.Read()
	if err == io.EOF {
		return nil, pos{line: 1}.errf(ErrSyntax, "", "CSV: empty input")
	}
	if err != nil {
		return nil, csvError(err)
	}
	cols := make([]*ommKey, len(head))
	users := make([]string, len(head))
	version, comment := -1, -1
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch {
		case h == "CCSDS_OMM_VERS":
			version = i
		case h == "COMMENT":
			comment = i
		case strings.HasPrefix(h, "USER_DEFINED_") && len(h) > len("USER_DEFINED_"):
			users[i] = strings.TrimPrefix(h, "USER_DEFINED_")
		default:
			cols[i] = ommKeyByName[h] // unknown columns are ignored
		}
	}
	if !hasKey(cols, "EPOCH") {
		return nil, pos{line: 1}.errf(ErrMissingKeyword, "EPOCH", "CSV header row has no EPOCH column: %q", clip(strings.Join(head, ",")))
	}
	var out []OMM
	b := new(ommBuilder)
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		*b = ommBuilder{blank: true, start: pos{line: line, record: n}}
		for i, v := range rec {
			col := 0
			if i < len(cols) {
				_, col = cr.FieldPos(i)
			}
			p := pos{line: line, col: col, record: n}
			switch {
			case i == version && v != "":
				if err := b.setVersion(v, p); err != nil {
					return nil, err
				}
			case i == comment && v != "":
				b.o.Header.Comments = []string{v}
			case cols[i] != nil:
				if err := b.set(cols[i], v, v, "", false, p); err != nil {
					return nil, err
				}
			case users[i] != "" && v != "":
				if err := b.setUser(users[i], v, p); err != nil {
					return nil, err
				}
			}
		}
		o, err := b.finish(true)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func hasKey(cols []*ommKey, name string) bool {
	for _, k := range cols {
		if k != nil && k.name == name {
			return true
		}
	}
	return false
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pos{line: pe.Line, col: pe.Column}.errf(ErrSyntax, "", "CSV: %v", pe.Err)
	}
	return pos{}.errf(ErrSyntax, "", "CSV: %v", err)
}

// WriteOMMJSON writes the messages as a JSON array of flat objects in the
// CelesTrak/Space-Track style: numbers as JSON numbers, everything else as
// strings. Comments are not written (only a first header comment, as
// "COMMENT", the way Space-Track does).
func WriteOMMJSON(w io.Writer, msgs []OMM) error {
	if err := checkOMMWritable(msgs); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteByte('[')
	var buf []byte
	for i := range msgs {
		o := &msgs[i]
		if i > 0 {
			bw.WriteByte(',')
		}
		buf = append(buf[:0], "\n{"...)
		buf = appendJSONPair(buf, "CCSDS_OMM_VERS", ommVersion(o), false, true)
		if len(o.Header.Comments) > 0 {
			buf = appendJSONPair(buf, "COMMENT", o.Header.Comments[0], false, false)
		}
		for _, it := range ommItems(o, true) {
			buf = appendJSONPair(buf, it.key, it.text, it.num, false)
		}
		buf = append(buf, '}')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	bw.WriteString("\n]\n")
	return bw.Flush()
}

func appendJSONPair(b []byte, key, value string, num, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = strconv.AppendQuote(append(b, ' '), key)
	b = append(b, ':')
	if num {
		return append(b, value...)
	}
	enc, _ := json.Marshal(value)
	return append(b, enc...)
}

// WriteOMMCSV writes the messages as a CSV table. The header row holds every
// keyword that any message uses, in canonical order; absent values are
// blank. Comments are not written (only a first header comment, as COMMENT).
func WriteOMMCSV(w io.Writer, msgs []OMM) error {
	if err := checkOMMWritable(msgs); err != nil {
		return err
	}
	type row map[string]string
	rows := make([]row, len(msgs))
	used := map[string]bool{"CCSDS_OMM_VERS": true}
	var users []string
	for i := range msgs {
		o := &msgs[i]
		r := row{"CCSDS_OMM_VERS": ommVersion(o)}
		if len(o.Header.Comments) > 0 {
			r["COMMENT"] = o.Header.Comments[0]
			used["COMMENT"] = true
		}
		for _, it := range ommItems(o, true) {
			r[it.key] = it.text
			if !used[it.key] && it.sec == ommSecUser {
				users = append(users, it.key)
			}
			used[it.key] = true
		}
		rows[i] = r
	}
	head := []string{"CCSDS_OMM_VERS"}
	if used["COMMENT"] {
		head = append(head, "COMMENT")
	}
	for _, k := range ommKeys {
		if used[k.name] {
			head = append(head, k.name)
		}
	}
	head = append(head, users...)
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(head))
	for _, r := range rows {
		for i, h := range head {
			rec[i] = r[h]
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
