package ccsds

import (
	"bufio"
	"strings"
)

// kvnLine is one significant line of a KVN message.
type kvnLine struct {
	line    int    // 1-based
	comment bool   // COMMENT line; text in value
	key     string // keyword (not for comments)
	raw     string // everything right of '=', trimmed (units included)
	value   string // raw without a trailing [units]
	units   string // text inside a trailing [units], "" when none
	col     int    // 1-based column where raw starts
	marker  bool   // a block marker line such as META_START (key holds it)
}

// kvnMarkers are the bare block-delimiting lines of the ODM KVN syntax.
var kvnMarkers = map[string]bool{
	"META_START": true, "META_STOP": true, "DATA_START": true, "DATA_STOP": true,
	"COVARIANCE_START": true, "COVARIANCE_STOP": true,
}

// scanKVN calls fn for each significant line of text; blank lines are
// skipped. It reports lines that are neither a COMMENT, a block marker nor
// KEY = value.
func scanKVN(text string, fn func(l *kvnLine) error) error {
	text = strings.TrimPrefix(text, "\ufeff")
	n := 0
	var l kvnLine
	for len(text) > 0 {
		var ln string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			ln, text = text[:i], text[i+1:]
		} else {
			ln, text = text, ""
		}
		n++
		var ok bool
		var err error
		l, ok, err = lexLine(ln, n)
		if err != nil {
			return err
		}
		if ok {
			if err := fn(&l); err != nil {
				return err
			}
		}
	}
	return nil
}

func lexLine(ln string, n int) (kvnLine, bool, error) {
	ln = strings.TrimRight(ln, " \t\r\v\f")
	start := len(ln) - len(strings.TrimLeft(ln, " \t"))
	s := ln[start:]
	if s == "" {
		return kvnLine{}, false, nil
	}
	if strings.HasPrefix(s, "COMMENT") && (len(s) == 7 || s[7] == ' ' || s[7] == '\t' || s[7] == '=') {
		c := strings.TrimSpace(s[7:])
		if strings.HasPrefix(c, "=") { // "COMMENT = text" as some producers write it
			c = strings.TrimSpace(c[1:])
		}
		return kvnLine{line: n, comment: true, value: c, col: start + 1}, true, nil
	}
	eq := strings.IndexByte(s, '=')
	if eq < 0 && kvnMarkers[s] {
		return kvnLine{line: n, key: s, marker: true, col: start + 1}, true, nil
	}
	if eq < 0 {
		return kvnLine{}, false, pos{line: n, col: start + 1}.errf(ErrSyntax, "", "expected KEYWORD = value, found %q", clip(s))
	}
	key := strings.TrimRight(s[:eq], " \t")
	if !isKeyword(key) {
		return kvnLine{}, false, pos{line: n, col: start + 1}.errf(ErrSyntax, "", "malformed keyword %q", clip(key))
	}
	rest := s[eq+1:]
	lead := len(rest) - len(strings.TrimLeft(rest, " \t"))
	raw := rest[lead:]
	l := kvnLine{line: n, key: key, raw: raw, value: raw, col: start + eq + 1 + lead + 1}
	if strings.HasSuffix(raw, "]") {
		if i := strings.LastIndexByte(raw, '['); i >= 0 && !strings.ContainsAny(raw[i+1:len(raw)-1], " \t[") {
			l.units = raw[i+1 : len(raw)-1]
			l.value = strings.TrimRight(raw[:i], " \t")
		}
	}
	return l, true, nil
}

func isKeyword(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// kvnWriter writes aligned KEY = value [units] lines, keeping the first error.
type kvnWriter struct {
	w     *bufio.Writer
	width int
	err   error
}

func (k *kvnWriter) kv(key, value, units string) {
	if k.err != nil {
		return
	}
	value = oneLine(value)
	var b strings.Builder
	b.WriteString(key)
	for n := len(key); n < k.width; n++ {
		b.WriteByte(' ')
	}
	b.WriteString(" = ")
	b.WriteString(value)
	if units != "" {
		b.WriteString(" [")
		b.WriteString(units)
		b.WriteByte(']')
	}
	b.WriteByte('\n')
	_, k.err = k.w.WriteString(b.String())
}

func (k *kvnWriter) comments(cs []string) {
	for _, c := range cs {
		if k.err != nil {
			return
		}
		_, k.err = k.w.WriteString(strings.TrimRight("COMMENT "+oneLine(c), " ") + "\n")
	}
}

func (k *kvnWriter) extras(fs []Field) {
	for _, f := range fs {
		k.kv(f.Keyword, f.Value, f.Units)
	}
}

// oneLine keeps a value on its line.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	}
	return s
}

func (k *kvnWriter) blank() {
	if k.err == nil {
		k.err = k.w.WriteByte('\n')
	}
}
