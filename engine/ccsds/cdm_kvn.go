package ccsds

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"time"
)

// ParseCDM reads one CDM in KVN or XML syntax, telling them apart by the
// first non-blank character.
func ParseCDM(r io.Reader) (*CDM, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	if looksXML(data) {
		return parseCDMXML(data)
	}
	return parseCDMKVN(string(data))
}

// ParseCDMKVN reads one CDM in KVN syntax.
func ParseCDMKVN(r io.Reader) (*CDM, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return parseCDMKVN(string(data))
}

func parseCDMKVN(text string) (*CDM, error) {
	b := newCDMBuilder()
	tgt, sec := tgtHeader, cdmSecHeader
	var pending []string
	first := true
	err := scanKVN(text, func(l *kvnLine) error {
		if l.comment {
			pending = append(pending, intern(l.value))
			return nil
		}
		p := pos{line: l.line, col: l.col}
		if l.marker {
			return p.errf(ErrSyntax, l.key, "block markers are not part of the CDM syntax")
		}
		if first {
			if l.key != "CCSDS_CDM_VERS" {
				return p.errf(ErrMissingKeyword, "CCSDS_CDM_VERS", "a CDM must start with CCSDS_CDM_VERS, found %s", l.key)
			}
			if err := b.setVersion(l.value, p); err != nil {
				return err
			}
			first = false
			return nil
		}
		if l.key == "CCSDS_CDM_VERS" {
			return p.errf(ErrDuplicateKeyword, l.key, "a CDM holds one message; CCSDS_CDM_VERS given twice")
		}
		if l.key == "OBJECT" {
			switch {
			case l.value == "OBJECT1" && tgt < tgtObj1:
				tgt = tgtObj1
			case l.value == "OBJECT2" && tgt == tgtObj1:
				tgt = tgtObj2
			case l.value == "OBJECT1" || l.value == "OBJECT2":
				return p.errf(ErrMisplacedKeyword, l.key, "%s out of order", l.value)
			default:
				return p.errf(ErrBadValue, l.key, "%q is neither OBJECT1 nor OBJECT2", clip(l.value))
			}
		}
		def, s, ok := b.classify(tgt, l.key)
		if !ok {
			return p.errf(ErrUnknownKeyword, l.key, "not a CDM %s keyword", b.c.Header.Version)
		}
		switch {
		case s == cdmSecHeader && tgt != tgtHeader, s == cdmSecRel && tgt > tgtRel:
			return p.errf(ErrMisplacedKeyword, l.key, "%s keyword found in the %s", s, b.where(tgt, sec))
		case s == cdmSecRel:
			tgt = tgtRel
		case s >= cdmSecMeta && tgt < tgtObj1:
			return p.errf(ErrMisplacedKeyword, l.key, "object keyword before OBJECT = OBJECT1")
		}
		sec = s
		if len(pending) > 0 {
			cl := b.comments(tgt, sec)
			*cl = append(*cl, pending...)
			pending = pending[:0]
		}
		return b.set(tgt, def, l.key, l.raw, l.value, l.units, false, p)
	})
	if err != nil {
		return nil, err
	}
	if first {
		return nil, pos{line: 1}.errf(ErrMissingKeyword, "CCSDS_CDM_VERS", "empty message")
	}
	if len(pending) > 0 {
		cl := b.comments(tgt, sec)
		*cl = append(*cl, pending...)
	}
	return b.finish()
}

// WriteCDMKVN writes c in KVN syntax. Absent optional values are left out;
// ORBIT_CENTER, OBJECT and CCSDS_CDM_VERS get their defaults (EARTH,
// OBJECT1/OBJECT2, 1.0) when empty. KVN has no markers between an object's
// data subsections, so the comments of a subsection that holds no value are
// read back as the next subsection's.
func WriteCDMKVN(w io.Writer, c *CDM) error {
	if err := checkCDMWritable(c); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	kw := kvnWriter{w: bw, width: 36}
	ver := c.Header.Version
	if ver == "" {
		ver = "1.0"
	}
	kw.kv("CCSDS_CDM_VERS", ver, "")
	kw.comments(c.Header.Comments)
	for _, k := range cdmHeaderKeys {
		kw.key(k, c, nil)
	}
	kw.extras(c.Header.Extra)
	kw.comments(c.Relative.Comments)
	for _, k := range cdmRelKeys {
		kw.key(k, c, nil)
	}
	kw.extras(c.Relative.Extra)
	for i := range c.Objects {
		o := &c.Objects[i]
		for _, sec := range []cdmSec{cdmSecMeta, cdmSecOD, cdmSecAdd, cdmSecState, cdmSecCov, cdmSecUser} {
			kw.comments(*objComments(o, sec))
			for _, k := range cdmObjKeys {
				if k.sec != sec {
					continue
				}
				switch k.name {
				case "OBJECT":
					kw.kv("OBJECT", orDefault(o.Object, fmt.Sprintf("OBJECT%d", i+1)), "")
					continue
				case "ORBIT_CENTER":
					kw.kv("ORBIT_CENTER", orDefault(o.OrbitCenter, "EARTH"), "")
					continue
				}
				kw.key(k, c, o)
			}
			for _, f := range o.Extra {
				if s, _ := extraSection(f.Keyword); s == sec {
					kw.kv(f.Keyword, f.Value, f.Units)
				}
			}
		}
	}
	if kw.err != nil {
		return kw.err
	}
	return bw.Flush()
}

func objComments(o *CDMObject, sec cdmSec) *[]string {
	switch sec {
	case cdmSecMeta:
		return &o.MetadataComments
	case cdmSecOD:
		return &o.ODComments
	case cdmSecAdd:
		return &o.AdditionalComments
	case cdmSecState:
		return &o.StateComments
	case cdmSecCov:
		return &o.CovarianceComments
	}
	return new([]string)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// checkCDMWritable refuses messages that could not be read back: an empty
// mandatory text or time, infinities anywhere, NaN in a mandatory value (NaN in an optional number is
// written as NaN, the CARA convention; a NaN vector component or covariance
// entry is left out).
func checkCDMWritable(c *CDM) error {
	bad := func(k *cdmKey, where string, v float64) error {
		return fmt.Errorf("%w: %s %s: %v cannot be written", ErrBadValue, where, k.name, v)
	}
	check := func(k *cdmKey, o *CDMObject, where string) error {
		switch r := k.ref(c, o).(type) {
		case *string:
			if k.req && *r == "" && k.name != "OBJECT" {
				return fmt.Errorf("%w: %s %s is empty", ErrMissingKeyword, where, k.name)
			}
		case *time.Time:
			if k.req && r.IsZero() {
				return fmt.Errorf("%w: %s %s is not set", ErrMissingKeyword, where, k.name)
			}
		case *float64:
			if math.IsNaN(*r) || math.IsInf(*r, 0) {
				return bad(k, where, *r)
			}
		case **float64:
			if *r != nil && math.IsInf(**r, 0) {
				return bad(k, where, **r)
			}
		case vecRef:
			if *r.p != nil && math.IsInf((*r.p)[r.i], 0) {
				return bad(k, where, (*r.p)[r.i])
			}
		case covRef:
			if v := r.o.CovRTN[r.i][r.j]; math.IsInf(v, 0) || (r.i < 6 && math.IsNaN(v)) {
				return bad(k, where, v)
			}
		}
		return nil
	}
	for _, k := range cdmHeaderKeys {
		if err := check(k, nil, "header"); err != nil {
			return err
		}
	}
	for _, k := range cdmRelKeys {
		if err := check(k, nil, "relative metadata/data"); err != nil {
			return err
		}
	}
	for i := range c.Objects {
		if s := c.Objects[i].CovSize; s != 0 && (s < 6 || s > 9) {
			return fmt.Errorf("%w: OBJECT%d CovSize %d not in 6..9", ErrBadValue, i+1, s)
		}
		for _, k := range cdmObjKeys {
			if err := check(k, &c.Objects[i], fmt.Sprintf("OBJECT%d", i+1)); err != nil {
				return err
			}
		}
	}
	return nil
}

// keyText renders a keyword's value; ok is false when it is absent.
func keyText(k *cdmKey, c *CDM, o *CDMObject) (string, bool) {
	switch r := k.ref(c, o).(type) {
	case *string:
		return *r, *r != "" || k.req
	case *time.Time:
		return formatTime(*r), !r.IsZero() || k.req
	case *float64:
		return formatFloat(*r), true
	case **float64:
		if *r == nil {
			return "", false
		}
		return formatFloat(**r), true
	case **int:
		if *r == nil {
			return "", false
		}
		return fmt.Sprint(**r), true
	case vecRef:
		if *r.p == nil || math.IsNaN((*r.p)[r.i]) {
			return "", false
		}
		return formatFloat((*r.p)[r.i]), true
	case covRef:
		size := r.o.CovSize
		if size == 0 {
			size = 6
		}
		v := r.o.CovRTN[r.i][r.j]
		if r.i >= size || math.IsNaN(v) {
			return "", false
		}
		return formatFloat(v), true
	}
	return "", false
}

func (k *kvnWriter) key(d *cdmKey, c *CDM, o *CDMObject) {
	if s, ok := keyText(d, c, o); ok {
		k.kv(d.name, s, d.units)
	}
}
