package ccsds

import (
	"bufio"
	"io"
	"strings"
)

// ParseOMMXML reads OMMs in XML syntax: an <omm> root, or an <ndm> root
// holding any number of <omm> (CelesTrak's bulk format).
func ParseOMMXML(r io.Reader) ([]OMM, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return parseOMMXML(data)
}

func parseOMMXML(data []byte) ([]OMM, error) {
	root, err := parseXMLTree(data)
	if err != nil {
		return nil, err
	}
	switch root.name {
	case "omm":
		o, err := ommFromXML(root)
		if err != nil {
			return nil, err
		}
		return []OMM{o}, nil
	case "ndm":
		out := make([]OMM, 0, len(root.kids))
		for _, k := range root.kids {
			switch k.name {
			case "omm":
				o, err := ommFromXML(k)
				if err != nil {
					return nil, err
				}
				out = append(out, o)
			case "COMMENT", "MESSAGE_ID":
			default:
				return nil, k.pos().errf(ErrUnsupportedFormat, k.name, "<%s> in <ndm>: only <omm> messages are read", k.name)
			}
		}
		return out, nil
	}
	return nil, root.pos().errf(ErrUnsupportedFormat, root.name, "root element <%s> is neither <omm> nor <ndm>", root.name)
}

// xmlChildren checks that n's children appear in the given order, each at
// most once (COMMENT excepted), and returns them by name.
func xmlChildren(n *xnode, order ...string) (xmlKids, error) {
	var got xmlKids
	got.order = order
	last := -1
	for _, k := range n.kids {
		if k.name == "COMMENT" {
			continue
		}
		idx := -1
		for i, name := range order {
			if name == k.name {
				idx = i
			}
		}
		switch {
		case idx < 0:
			return got, k.pos().errf(ErrMisplacedKeyword, k.name, "unexpected element <%s> in <%s>", k.name, n.name)
		case got.nodes[idx] != nil:
			return got, k.pos().errf(ErrMisplacedKeyword, k.name, "element <%s> appears twice in <%s>", k.name, n.name)
		case idx < last:
			return got, k.pos().errf(ErrMisplacedKeyword, k.name, "element <%s> out of order in <%s>", k.name, n.name)
		}
		last = idx
		got.nodes[idx] = k
	}
	return got, nil
}

// xmlKids are the children xmlChildren found, by name.
type xmlKids struct {
	order []string
	nodes [8]*xnode
}

func (x *xmlKids) get(name string) *xnode {
	for i, o := range x.order {
		if o == name {
			return x.nodes[i]
		}
	}
	return nil
}

func ommFromXML(n *xnode) (OMM, error) {
	b := &ommBuilder{start: n.pos()}
	ver, ok := n.attr("version")
	if !ok {
		return OMM{}, n.pos().errf(ErrMissingKeyword, "CCSDS_OMM_VERS", "<omm> has no version attribute")
	}
	if err := b.setVersion(ver, n.pos()); err != nil {
		return OMM{}, err
	}
	top, err := xmlChildren(n, "header", "body")
	if err != nil {
		return OMM{}, err
	}
	if top.get("header") == nil || top.get("body") == nil {
		return OMM{}, n.pos().errf(ErrMissingKeyword, "header", "<omm> needs <header> and <body>")
	}
	if err := b.xmlBlock(top.get("header"), ommSecHeader); err != nil {
		return OMM{}, err
	}
	body, err := xmlChildren(top.get("body"), "segment")
	if err != nil {
		return OMM{}, err
	}
	seg := body.get("segment")
	if seg == nil {
		return OMM{}, top.get("body").pos().errf(ErrMissingKeyword, "segment", "<body> has no <segment>")
	}
	parts, err := xmlChildren(seg, "metadata", "data")
	if err != nil {
		return OMM{}, err
	}
	if parts.get("metadata") == nil || parts.get("data") == nil {
		return OMM{}, seg.pos().errf(ErrMissingKeyword, "metadata", "<segment> needs <metadata> and <data>")
	}
	if err := b.xmlBlock(parts.get("metadata"), ommSecMeta); err != nil {
		return OMM{}, err
	}
	data := parts.get("data")
	blocks, err := xmlChildren(data, "meanElements", "spacecraftParameters", "tleParameters", "covarianceMatrix", "userDefinedParameters")
	if err != nil {
		return OMM{}, err
	}
	for _, k := range data.kids {
		if k.name == "COMMENT" {
			if err := xmlLeaf(k); err != nil {
				return OMM{}, err
			}
			b.o.MeanElements.Comments = append(b.o.MeanElements.Comments, intern(k.text))
		}
	}
	if blocks.get("meanElements") == nil {
		return OMM{}, data.pos().errf(ErrMissingKeyword, "meanElements", "<data> has no <meanElements>")
	}
	for _, k := range data.kids {
		if sec, ok := ommSecXML[k.name]; ok {
			if err := b.xmlBlock(k, sec); err != nil {
				return OMM{}, err
			}
		}
	}
	return b.finish(false)
}

// xmlBlock reads the keyword elements of one OMM block.
func (b *ommBuilder) xmlBlock(n *xnode, sec ommSec) error {
	if sec == ommSecSpacecraft {
		b.o.spacecraft()
	}
	for _, k := range n.kids {
		if err := xmlLeaf(k); err != nil {
			return err
		}
		if k.name == "COMMENT" {
			cl := b.comments(sec)
			*cl = append(*cl, intern(k.text))
			continue
		}
		if sec == ommSecUser {
			name, ok := k.attr("parameter")
			if k.name == "USER_DEFINED" && ok && strings.TrimSpace(name) != "" {
				if err := b.setUser(strings.TrimSpace(name), k.text, k.pos()); err != nil {
					return err
				}
				continue
			}
		}
		key, s, ok := ommClassify(k.name)
		if !ok {
			return k.pos().errf(ErrUnknownKeyword, k.name, "not an OMM keyword")
		}
		if s != sec {
			return k.pos().errf(ErrMisplacedKeyword, k.name, "%s keyword in <%s>", s, n.name)
		}
		if key == nil {
			if err := b.setUser(strings.TrimPrefix(k.name, "USER_DEFINED_"), k.text, k.pos()); err != nil {
				return err
			}
			continue
		}
		units, _ := k.attr("units")
		if err := b.set(key, k.text, k.text, units, k.isNil(), k.pos()); err != nil {
			return err
		}
	}
	return nil
}

var ommSecTags = [...]string{"header", "metadata", "meanElements", "spacecraftParameters", "tleParameters", "covarianceMatrix", "userDefinedParameters"}

// WriteOMMXML writes the messages in XML syntax: a single <omm> for one
// message, an <ndm> of <omm> for several (as CelesTrak does). Empty values
// are handled as by WriteOMMKVN.
func WriteOMMXML(w io.Writer, msgs []OMM) error {
	if err := checkOMMWritable(msgs); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	x := xmlWriter{w: bw}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	d := 0
	if len(msgs) != 1 {
		x.open(0, "ndm")
		d = 1
	}
	for i := range msgs {
		o := &msgs[i]
		items := ommItems(o, false)
		x.open(d, `omm id="CCSDS_OMM_VERS" version="`+xmlAttr(ommVersion(o))+`"`)
		for sec := ommSecHeader; sec <= ommSecUser; sec++ {
			cs := ommComments(o, sec)
			n := 0
			for _, it := range items {
				if it.sec == sec {
					n++
				}
			}
			switch sec {
			case ommSecMeta:
				x.open(d+1, "body")
				x.open(d+2, "segment")
			case ommSecMean:
				x.open(d+3, "data")
			}
			if n > 0 || len(cs) > 0 || sec <= ommSecMean || sec == ommSecSpacecraft && o.Spacecraft != nil ||
				sec == ommSecTLE && o.TLE != nil || sec == ommSecCov && o.Covariance != nil {
				depth := d + 1
				switch {
				case sec == ommSecMeta:
					depth = d + 3
				case sec > ommSecMeta:
					depth = d + 4
				}
				x.open(depth, ommSecTags[sec])
				x.comments(depth+1, cs)
				for _, it := range items {
					if it.sec != sec {
						continue
					}
					if sec == ommSecUser {
						x.raw(strings.Repeat("  ", depth+1) + `<USER_DEFINED parameter="` + xmlAttr(strings.TrimPrefix(it.key, "USER_DEFINED_")) + `">` + xmlText(it.text) + "</USER_DEFINED>\n")
						continue
					}
					x.leaf(depth+1, it.key, it.text, it.unit)
				}
				x.close(depth, ommSecTags[sec])
			}
		}
		x.close(d+3, "data")
		x.close(d+2, "segment")
		x.close(d+1, "body")
		x.close(d, "omm")
	}
	if len(msgs) != 1 {
		x.close(0, "ndm")
	}
	if x.err != nil {
		return x.err
	}
	return bw.Flush()
}
