package ccsds

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ParseCDMXML reads one CDM in XML syntax (<cdm>, or an <ndm> holding one).
func ParseCDMXML(r io.Reader) (*CDM, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return parseCDMXML(data)
}

func parseCDMXML(data []byte) (*CDM, error) {
	root, err := parseXMLTree(data)
	if err != nil {
		return nil, err
	}
	if root.name == "ndm" {
		var cdms []*xnode
		for _, k := range root.kids {
			if k.name == "cdm" {
				cdms = append(cdms, k)
			}
		}
		if len(cdms) != 1 {
			return nil, root.pos().errf(ErrUnsupportedFormat, "ndm", "<ndm> holds %d <cdm> messages, want exactly 1", len(cdms))
		}
		root = cdms[0]
	}
	if root.name != "cdm" {
		return nil, root.pos().errf(ErrUnsupportedFormat, root.name, "root element <%s> is not <cdm>", root.name)
	}
	b := newCDMBuilder()
	ver, ok := root.attr("version")
	if !ok {
		return nil, root.pos().errf(ErrMissingKeyword, "CCSDS_CDM_VERS", "<cdm> has no version attribute")
	}
	if err := b.setVersion(ver, root.pos()); err != nil {
		return nil, err
	}
	var header, body *xnode
	for _, k := range root.kids {
		switch {
		case k.name == "header" && header == nil && body == nil:
			header = k
		case k.name == "body" && body == nil && header != nil:
			body = k
		default:
			return nil, k.pos().errf(ErrMisplacedKeyword, k.name, "unexpected element <%s> in <cdm>", k.name)
		}
	}
	if header == nil {
		return nil, root.pos().errf(ErrMissingKeyword, "header", "<cdm> has no <header>")
	}
	if body == nil {
		return nil, root.pos().errf(ErrMissingKeyword, "body", "<cdm> has no <body>")
	}
	if err := b.xmlSection(header, tgtHeader, cdmSecHeader); err != nil {
		return nil, err
	}
	var rel *xnode
	segs := 0
	for _, k := range body.kids {
		switch {
		case k.name == "relativeMetadataData" && rel == nil && segs == 0:
			rel = k
			if err := b.xmlSection(k, tgtRel, cdmSecRel); err != nil {
				return nil, err
			}
		case k.name == "segment" && rel != nil && segs < 2:
			if err := b.xmlSegment(k, tgtObj1+segs); err != nil {
				return nil, err
			}
			segs++
		default:
			return nil, k.pos().errf(ErrMisplacedKeyword, k.name, "unexpected element <%s> in <body>", k.name)
		}
	}
	if rel == nil {
		return nil, body.pos().errf(ErrMissingKeyword, "relativeMetadataData", "<body> has no <relativeMetadataData>")
	}
	return b.finish()
}

func (b *cdmBuilder) xmlSegment(seg *xnode, tgt int) error {
	var meta, data *xnode
	for _, k := range seg.kids {
		switch {
		case k.name == "metadata" && meta == nil && data == nil:
			meta = k
		case k.name == "data" && data == nil && meta != nil:
			data = k
		default:
			return k.pos().errf(ErrMisplacedKeyword, k.name, "unexpected element <%s> in <segment>", k.name)
		}
	}
	if meta == nil {
		return seg.pos().errf(ErrMissingKeyword, "metadata", "<segment> has no <metadata>")
	}
	want := fmt.Sprintf("OBJECT%d", tgt-tgtObj1+1)
	for _, k := range meta.kids {
		if k.name == "OBJECT" && k.text != want {
			return k.pos().errf(ErrBadValue, "OBJECT", "segment %d is %q, want %s", tgt-tgtObj1+1, clip(k.text), want)
		}
	}
	if err := b.xmlSection(meta, tgt, cdmSecMeta); err != nil {
		return err
	}
	if data == nil {
		return seg.pos().errf(ErrMissingKeyword, "data", "<segment> of %s has no <data>", want)
	}
	for _, k := range data.kids {
		var sec cdmSec
		switch k.name {
		case "COMMENT":
			b.c.Objects[tgt-tgtObj1].ODComments = append(b.c.Objects[tgt-tgtObj1].ODComments, intern(k.text))
			continue
		case "odParameters":
			sec = cdmSecOD
		case "additionalParameters":
			sec = cdmSecAdd
		case "stateVector":
			sec = cdmSecState
		case "covarianceMatrix":
			sec = cdmSecCov
		case "userDefinedParameters":
			sec = cdmSecUser
		default:
			return k.pos().errf(ErrMisplacedKeyword, k.name, "unexpected element <%s> in <data>", k.name)
		}
		if err := b.xmlSection(k, tgt, sec); err != nil {
			return err
		}
	}
	return nil
}

// xmlSection reads the keyword elements of one section element.
func (b *cdmBuilder) xmlSection(n *xnode, tgt int, sec cdmSec) error {
	for _, k := range n.kids {
		if k.name == "COMMENT" {
			if err := xmlLeaf(k); err != nil {
				return err
			}
			cl := b.comments(tgt, sec)
			*cl = append(*cl, intern(k.text))
			continue
		}
		if sec == cdmSecRel && k.name == "relativeStateVector" {
			if err := b.xmlSection(k, tgt, sec); err != nil {
				return err
			}
			continue
		}
		key := k.name
		if sec == cdmSecUser && !strings.HasPrefix(key, "USER_DEFINED_") {
			p, ok := k.attr("parameter")
			if k.name != "USER_DEFINED" || !ok || strings.TrimSpace(p) == "" {
				return k.pos().errf(ErrMisplacedKeyword, k.name, "expected <USER_DEFINED parameter=\"…\"> in <%s>", n.name)
			}
			key = "USER_DEFINED_" + strings.TrimSpace(p)
		}
		if err := xmlLeaf(k); err != nil {
			return err
		}
		def, s, ok := b.classify(tgt, key)
		if !ok {
			return k.pos().errf(ErrUnknownKeyword, key, "not a CDM %s keyword", b.c.Header.Version)
		}
		if s != sec {
			return k.pos().errf(ErrMisplacedKeyword, key, "%s keyword found in <%s>", s, n.name)
		}
		units, _ := k.attr("units")
		if err := b.set(tgt, def, key, k.text, k.text, units, k.isNil(), k.pos()); err != nil {
			return err
		}
	}
	return nil
}

// WriteCDMXML writes c in XML syntax (CCSDS NDM/XML, <cdm> root). CDM 2.0
// keywords kept in Extra are written back in their section, in order.
func WriteCDMXML(w io.Writer, c *CDM) error {
	if err := checkCDMWritable(c); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	x := xmlWriter{w: bw}
	ver := c.Header.Version
	if ver == "" {
		ver = "1.0"
	}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.open(0, `cdm id="CCSDS_CDM_VERS" version="`+xmlAttr(ver)+`"`)
	x.open(1, "header")
	x.comments(2, c.Header.Comments)
	for _, k := range cdmHeaderKeys {
		x.key(2, k, c, nil)
	}
	x.extras(2, c.Header.Extra, cdmSecHeader, true)
	x.close(1, "header")
	x.open(1, "body")
	x.open(2, "relativeMetadataData")
	x.comments(3, c.Relative.Comments)
	for _, k := range cdmRelKeys {
		switch k.name {
		case "RELATIVE_POSITION_R":
			if c.Relative.RelativePositionRTNM == nil && c.Relative.RelativeVelocityRTNMS == nil {
				continue
			}
			x.open(3, "relativeStateVector")
		case "START_SCREEN_PERIOD":
			if c.Relative.RelativePositionRTNM != nil || c.Relative.RelativeVelocityRTNMS != nil {
				x.close(3, "relativeStateVector")
			}
		}
		depth := 3
		if strings.HasPrefix(k.name, "RELATIVE_POSITION_") || strings.HasPrefix(k.name, "RELATIVE_VELOCITY_") {
			depth = 4
		}
		x.key(depth, k, c, nil)
	}
	x.extras(3, c.Relative.Extra, cdmSecRel, true)
	x.close(2, "relativeMetadataData")
	for i := range c.Objects {
		o := &c.Objects[i]
		x.open(2, "segment")
		x.open(3, "metadata")
		x.comments(4, o.MetadataComments)
		for _, k := range cdmObjKeys {
			if k.sec != cdmSecMeta {
				continue
			}
			switch k.name {
			case "OBJECT":
				x.leaf(4, "OBJECT", orDefault(o.Object, fmt.Sprintf("OBJECT%d", i+1)), "")
			case "ORBIT_CENTER":
				x.leaf(4, "ORBIT_CENTER", orDefault(o.OrbitCenter, "EARTH"), "")
			default:
				x.key(4, k, c, o)
			}
		}
		x.extras(4, o.Extra, cdmSecMeta, false)
		x.close(3, "metadata")
		x.open(3, "data")
		for _, s := range []struct {
			sec  cdmSec
			name string
		}{{cdmSecOD, "odParameters"}, {cdmSecAdd, "additionalParameters"}, {cdmSecState, "stateVector"}, {cdmSecCov, "covarianceMatrix"}} {
			if s.sec != cdmSecState && s.sec != cdmSecCov && !objSectionUsed(c, o, s.sec) {
				continue
			}
			x.open(4, s.name)
			x.comments(5, *objComments(o, s.sec))
			for _, k := range cdmObjKeys {
				if k.sec == s.sec {
					x.key(5, k, c, o)
				}
			}
			x.extras(5, o.Extra, s.sec, false)
			x.close(4, s.name)
		}
		if objSectionUsed(c, o, cdmSecUser) {
			x.open(4, "userDefinedParameters")
			for _, f := range o.Extra {
				if s, _ := extraSection(f.Keyword); s == cdmSecUser {
					x.raw(strings.Repeat("  ", 5) + `<USER_DEFINED parameter="` + xmlAttr(strings.TrimPrefix(f.Keyword, "USER_DEFINED_")) + `">` + xmlText(f.Value) + "</USER_DEFINED>\n")
				}
			}
			x.close(4, "userDefinedParameters")
		}
		x.close(3, "data")
		x.close(2, "segment")
	}
	x.close(1, "body")
	x.close(0, "cdm")
	if x.err != nil {
		return x.err
	}
	return bw.Flush()
}

func objSectionUsed(c *CDM, o *CDMObject, sec cdmSec) bool {
	if len(*objComments(o, sec)) > 0 {
		return true
	}
	for _, f := range o.Extra {
		if s, _ := extraSection(f.Keyword); s == sec {
			return true
		}
	}
	for _, k := range cdmObjKeys {
		if k.sec == sec {
			if _, ok := keyText(k, c, o); ok {
				return true
			}
		}
	}
	return false
}

func (x *xmlWriter) key(depth int, k *cdmKey, c *CDM, o *CDMObject) {
	if s, ok := keyText(k, c, o); ok {
		x.leaf(depth, k.name, s, k.units)
	}
}

// extras writes the kept keywords of section sec (all of them when all).
func (x *xmlWriter) extras(depth int, fs []Field, sec cdmSec, all bool) {
	for _, f := range fs {
		if s, _ := extraSection(f.Keyword); !all && s != sec {
			continue
		}
		x.leaf(depth, f.Keyword, f.Value, f.Units)
	}
}
