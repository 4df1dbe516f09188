package ccsds

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// xnode is an element of a parsed XML document.
type xnode struct {
	name    string // local name
	rawName string // name as written (fast path only)
	attrs   []xml.Attr
	text    string // character data directly inside, trimmed
	kids    []*xnode
	line    int
	col     int
}

func (n *xnode) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// isNil reports xsi:nil="true" (or nil="true").
func (n *xnode) isNil() bool {
	v, ok := n.attr("nil")
	return ok && strings.TrimSpace(v) == "true"
}

func (n *xnode) pos() pos { return pos{line: n.line, col: n.col} }

const maxXMLDepth = 32

// parseXMLTree reads a whole XML document into memory.
func parseXMLTree(data []byte) (*xnode, error) {
	if root, ok := fastXMLTree(string(data)); ok {
		return root, nil
	}
	return slowXMLTree(data)
}

// slowXMLTree reads a document with encoding/xml.
func slowXMLTree(data []byte) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var stack []*xnode
	var texts []*strings.Builder
	var root *xnode
	for {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, pos{line: se.Line}.errf(ErrSyntax, "", "XML: %s", se.Msg)
			}
			return nil, pos{line: line}.errf(ErrSyntax, "", "XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return nil, pos{line: line, col: col}.errf(ErrSyntax, t.Name.Local, "XML nested too deeply")
			}
			n := &xnode{name: t.Name.Local, attrs: t.Attr, line: line, col: col}
			if len(stack) == 0 {
				if root != nil {
					return nil, n.pos().errf(ErrSyntax, n.name, "second XML root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
			texts = append(texts, &strings.Builder{})
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.text = strings.TrimSpace(texts[len(texts)-1].String())
			stack = stack[:len(stack)-1]
			texts = texts[:len(texts)-1]
		case xml.CharData:
			if len(texts) > 0 {
				texts[len(texts)-1].Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, pos{line: line, col: col}.errf(ErrSyntax, "", "text outside the XML root element")
			}
		}
	}
	if root == nil {
		return nil, pos{line: 1}.errf(ErrSyntax, "", "no XML root element")
	}
	return root, nil
}

// xmlLeaf checks that n holds text only.
func xmlLeaf(n *xnode) error {
	if len(n.kids) > 0 {
		return n.kids[0].pos().errf(ErrSyntax, n.name, "element <%s> inside <%s>, which takes a value only", n.kids[0].name, n.name)
	}
	return nil
}

// xmlWriter writes indented elements, keeping the first error.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xmlWriter) open(depth int, tag string) {
	x.raw(strings.Repeat("  ", depth) + "<" + tag + ">\n")
}

func (x *xmlWriter) close(depth int, name string) {
	x.raw(strings.Repeat("  ", depth) + "</" + name + ">\n")
}

func (x *xmlWriter) leaf(depth int, name, value, units string) {
	var b strings.Builder
	b.WriteString(strings.Repeat("  ", depth))
	b.WriteString("<" + name)
	if units != "" {
		b.WriteString(` units="` + xmlAttr(units) + `"`)
	}
	b.WriteString(">" + xmlText(value) + "</" + name + ">\n")
	x.raw(b.String())
}

func (x *xmlWriter) comments(depth int, cs []string) {
	for _, c := range cs {
		x.leaf(depth, "COMMENT", c, "")
	}
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func xmlAttr(s string) string { return xmlText(s) }
