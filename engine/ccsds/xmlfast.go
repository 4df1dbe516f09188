package ccsds

import (
	"encoding/xml"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fastXMLTree builds the same tree as parseXMLTree for the plain XML that
// NDM producers write (elements, attributes, text, the five predefined
// entities and character references, comments, CDATA, an <?xml?>
// declaration), several times faster than encoding/xml. Whenever it meets
// anything else, or anything malformed, it gives up (ok false) and the
// caller uses encoding/xml, which also produces the error messages. A
// differential fuzz test holds the two to the same result.
func fastXMLTree(s string) (root *xnode, ok bool) {
	if !utf8.ValidString(s) {
		return nil, false
	}
	p := fastXML{s: s, line: 1}
	slab := make([]xnode, 0, strings.Count(s, "<")-strings.Count(s, "</")) // every element, in one allocation
	var stack []*xnode
	var texts []textAcc
	for p.i < len(s) {
		// Character data up to the next '<'.
		j := strings.IndexByte(s[p.i:], '<')
		if j < 0 {
			j = len(s) - p.i
		}
		if j > 0 {
			chunk := s[p.i : p.i+j]
			if len(stack) == 0 {
				if strings.TrimLeft(chunk, " \t\r\n") != "" {
					return nil, false
				}
			} else {
				t, ok := p.text(chunk)
				if !ok {
					return nil, false
				}
				texts[len(texts)-1].add(t)
			}
			p.advance(j)
			continue
		}
		line, col := p.line, p.i-p.bol+1
		rest := s[p.i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 || !p.chars(rest[4:4+end]) {
				return nil, false
			}
			p.advance(4 + end + 3)
		case strings.HasPrefix(rest, "<![CDATA["):
			end := strings.Index(rest[9:], "]]>")
			if end < 0 || len(stack) == 0 {
				return nil, false
			}
			data := rest[9 : 9+end]
			if !p.chars(data) {
				return nil, false
			}
			texts[len(texts)-1].add(crlf(data))
			p.advance(9 + end + 3)
		case strings.HasPrefix(rest, "<?"):
			end := strings.Index(rest[2:], "?>")
			if end < 0 || !p.procInst(rest[2:2+end]) {
				return nil, false
			}
			p.advance(2 + end + 2)
		case strings.HasPrefix(rest, "</"):
			if len(stack) == 0 {
				return nil, false
			}
			name, n := xmlName(rest[2:])
			k := 2 + n
			for k < len(rest) && isXMLSpace(rest[k]) {
				k++
			}
			top := stack[len(stack)-1]
			if n == 0 || k >= len(rest) || rest[k] != '>' || name != top.rawName {
				return nil, false
			}
			top.text = texts[len(texts)-1].String()
			texts[len(texts)-1] = textAcc{}
			stack, texts = stack[:len(stack)-1], texts[:len(texts)-1]
			p.advance(k + 1)
		case strings.HasPrefix(rest, "<!"):
			return nil, false // DOCTYPE and other declarations
		default:
			name, n := xmlName(rest[1:])
			local, okName := localName(name)
			if n == 0 || !okName || len(stack) >= maxXMLDepth || (len(stack) == 0 && root != nil) {
				return nil, false
			}
			slab = append(slab, xnode{name: local, rawName: name, line: line, col: col})
			node := &slab[len(slab)-1]
			k := 1 + n
			selfClose := false
			for {
				sp := k
				for k < len(rest) && isXMLSpace(rest[k]) {
					k++
				}
				if k >= len(rest) {
					return nil, false
				}
				if rest[k] == '>' {
					k++
					break
				}
				if strings.HasPrefix(rest[k:], "/>") {
					k += 2
					selfClose = true
					break
				}
				if sp == k { // attributes need white space before them
					return nil, false
				}
				an, m := xmlName(rest[k:])
				alocal, okA := localName(an)
				if m == 0 || !okA {
					return nil, false
				}
				k += m
				for k < len(rest) && isXMLSpace(rest[k]) {
					k++
				}
				if k >= len(rest) || rest[k] != '=' {
					return nil, false
				}
				k++
				for k < len(rest) && isXMLSpace(rest[k]) {
					k++
				}
				if k >= len(rest) || (rest[k] != '"' && rest[k] != '\'') {
					return nil, false
				}
				q := rest[k]
				end := strings.IndexByte(rest[k+1:], q)
				if end < 0 {
					return nil, false
				}
				raw := rest[k+1 : k+1+end]
				if strings.IndexByte(raw, '<') >= 0 {
					return nil, false
				}
				val, okV := p.text(raw)
				if !okV {
					return nil, false
				}
				space := ""
				if i := strings.IndexByte(an, ':'); i > 0 && i < len(an)-1 {
					space = an[:i]
				}
				node.attrs = append(node.attrs, xml.Attr{Name: xml.Name{Space: space, Local: alocal}, Value: val})
				k += end + 2
			}
			if len(stack) == 0 {
				root = node
			} else {
				parent := stack[len(stack)-1]
				parent.kids = append(parent.kids, node)
			}
			p.advance(k)
			if !selfClose {
				stack = append(stack, node)
				texts = append(texts, textAcc{})
			}
		}
	}
	if root == nil || len(stack) > 0 {
		return nil, false
	}
	return root, true
}

type fastXML struct {
	s    string
	i    int
	line int
	bol  int // offset where the current line starts
}

// advance moves over n bytes, counting lines.
func (p *fastXML) advance(n int) {
	seg := p.s[p.i : p.i+n]
	if c := strings.Count(seg, "\n"); c > 0 {
		p.line += c
		p.bol = p.i + strings.LastIndexByte(seg, '\n') + 1
	}
	p.i += n
}

// chars reports whether s holds only characters XML allows.
func (p *fastXML) chars(s string) bool {
	for _, r := range s {
		if !xmlChar(r) {
			return false
		}
	}
	return true
}

// textAcc gathers an element's character data, copying only when it comes
// in more than one piece. The result is trimmed, so white space before the
// first and after the last non-blank piece is dropped as it comes.
type textAcc struct {
	first string           // first non-blank piece
	gap   string           // blank pieces since the last non-blank one
	b     *strings.Builder // everything from first on, once there are two non-blank pieces
}

func (t *textAcc) add(s string) {
	if strings.TrimLeft(s, " \t\r\n") == "" {
		if t.first != "" {
			t.gap += s
		}
		return
	}
	switch {
	case t.first == "":
		t.first = s
		return
	case t.b == nil:
		t.b = &strings.Builder{}
		t.b.WriteString(t.first)
	}
	t.b.WriteString(t.gap)
	t.b.WriteString(s)
	t.gap = ""
}

func (t *textAcc) String() string {
	if t.b != nil {
		return strings.TrimSpace(t.b.String())
	}
	return strings.TrimSpace(t.first)
}

// text decodes character data (entities, line ends); false for anything
// encoding/xml would refuse.
func (p *fastXML) text(s string) (string, bool) {
	if strings.Contains(s, "]]>") {
		return "", false
	}
	if strings.IndexByte(s, '&') < 0 {
		if !p.chars(s) {
			return "", false
		}
		return crlf(s), true
	}
	var b strings.Builder
	for len(s) > 0 {
		amp := strings.IndexByte(s, '&')
		if amp < 0 {
			amp = len(s)
		}
		plain := s[:amp]
		if !p.chars(plain) {
			return "", false
		}
		b.WriteString(crlf(plain))
		s = s[amp:]
		if s == "" {
			break
		}
		semi := strings.IndexByte(s, ';')
		if semi < 0 {
			return "", false
		}
		ent := s[1:semi]
		switch ent {
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "amp":
			b.WriteByte('&')
		case "apos":
			b.WriteByte('\'')
		case "quot":
			b.WriteByte('"')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return "", false
			}
			var n uint64
			var err error
			if ent[1] == 'x' {
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			} else {
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			}
			if err != nil || ent[1] == '+' || ent[1] == '-' || len(ent) > 2 && ent[1] == 'x' && (ent[2] == '+' || ent[2] == '-') || !xmlChar(rune(n)) {
				return "", false
			}
			b.WriteRune(rune(n))
		}
		s = s[semi+1:]
	}
	return b.String(), true
}

// procInst accepts a processing instruction; for the XML declaration it
// requires version 1.0 (if given) and UTF-8 (if an encoding is given).
func (p *fastXML) procInst(body string) bool {
	target, n := xmlName(body)
	if n == 0 || !p.chars(body) {
		return false
	}
	if target != "xml" {
		return strings.ToLower(target) != "xml"
	}
	if n < len(body) && !isXMLSpace(body[n]) {
		return false
	}
	content := body[n:]
	for _, kv := range []struct{ key, want string }{{"version", "1.0"}, {"encoding", "utf-8"}} {
		v, found, ok := declAttr(content, kv.key)
		if !ok || found && !strings.EqualFold(v, kv.want) || kv.key == "version" && found && v != kv.want {
			return false
		}
	}
	return true
}

// declAttr finds key="value" in an XML declaration.
func declAttr(s, key string) (value string, found, ok bool) {
	i := strings.Index(s, key)
	if i < 0 {
		return "", false, true
	}
	rest := strings.TrimLeft(s[i+len(key):], " \t\r\n")
	if rest == "" || rest[0] != '=' {
		return "", false, false
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return "", false, false
	}
	end := strings.IndexByte(rest[1:], rest[0])
	if end < 0 {
		return "", false, false
	}
	return rest[1 : 1+end], true, true
}

// xmlName reads an ASCII XML name at the start of s.
func xmlName(s string) (string, int) {
	n := 0
	for n < len(s) {
		c := s[n]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || n > 0 && (c >= '0' && c <= '9' || c == '.' || c == '-') {
			n++
			continue
		}
		if c >= 0x80 {
			return "", 0 // non-ASCII names: leave to encoding/xml
		}
		break
	}
	return s[:n], n
}

// localName applies encoding/xml's prefix rule.
func localName(name string) (string, bool) {
	switch strings.Count(name, ":") {
	case 0:
		return name, true
	case 1:
		space, local, _ := strings.Cut(name, ":")
		if space == "" || local == "" {
			return name, true
		}
		return local, true
	}
	return "", false
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// crlf rewrites \r\n and lone \r as \n, as XML requires.
func crlf(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
