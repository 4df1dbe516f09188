package ccsds

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// ParseOMMKVN reads one or more OMMs in KVN syntax; each message starts
// with CCSDS_OMM_VERS.
func ParseOMMKVN(r io.Reader) ([]OMM, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return parseOMMKVN(string(data))
}

func parseOMMKVN(text string) ([]OMM, error) {
	var out []OMM
	var b *ommBuilder
	sec := ommSecHeader
	var pending []string
	flush := func() error {
		if b == nil {
			return nil
		}
		if len(pending) > 0 {
			cl := b.comments(sec)
			*cl = append(*cl, pending...)
			pending = pending[:0]
		}
		o, err := b.finish(false)
		if err != nil {
			return err
		}
		out = append(out, o)
		return nil
	}
	err := scanKVN(text, func(l *kvnLine) error {
		if l.comment {
			pending = append(pending, intern(l.value))
			return nil
		}
		p := pos{line: l.line, col: l.col}
		if l.key == "CCSDS_OMM_VERS" {
			if err := flush(); err != nil {
				return err
			}
			b, sec = &ommBuilder{start: p}, ommSecHeader
			return b.setVersion(l.value, p)
		}
		if b == nil {
			return p.errf(ErrMissingKeyword, "CCSDS_OMM_VERS", "an OMM must start with CCSDS_OMM_VERS, found %s", l.key)
		}
		if l.marker {
			return nil // META_START and friends carry no information here
		}
		k, s, ok := ommClassify(l.key)
		if !ok {
			return p.errf(ErrUnknownKeyword, l.key, "not an OMM keyword")
		}
		if s < sec {
			return p.errf(ErrMisplacedKeyword, l.key, "%s keyword after the %s", s, sec)
		}
		sec = s
		if len(pending) > 0 {
			cl := b.comments(sec)
			*cl = append(*cl, pending...)
			pending = pending[:0]
		}
		if k == nil {
			return b.setUser(strings.TrimPrefix(l.key, "USER_DEFINED_"), l.raw, p)
		}
		return b.set(k, l.raw, l.value, l.units, false, p)
	})
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, pos{line: 1}.errf(ErrMissingKeyword, "CCSDS_OMM_VERS", "no OMM in the input")
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// ommItem is one keyword of an OMM ready for writing.
type ommItem struct {
	key  string
	sec  ommSec
	text string
	num  bool   // a JSON number
	unit string // units for KVN/XML
}

// checkOMMWritable refuses what no OMM syntax can carry or read back:
// non-finite numbers and empty mandatory metadata other than the object's
// name and designator (written as UNKNOWN).
func checkOMMWritable(msgs []OMM) error {
	for i := range msgs {
		o := &msgs[i]
		for _, m := range []struct{ key, v string }{{"CENTER_NAME", o.Metadata.CenterName}, {"REF_FRAME", o.Metadata.RefFrame},
			{"TIME_SYSTEM", o.Metadata.TimeSystem}, {"MEAN_ELEMENT_THEORY", o.Metadata.MeanElementTheory}} {
			if strings.TrimSpace(m.v) == "" {
				return fmt.Errorf("%w: message %d (%s): %s is empty", ErrMissingKeyword, i+1, o.Metadata.ObjectName, m.key)
			}
		}
		if o.MeanElements.MeanMotionRevPerDay == 0 && o.MeanElements.SemiMajorAxisKm == 0 {
			return fmt.Errorf("%w: message %d (%s): neither MEAN_MOTION nor SEMI_MAJOR_AXIS is set", ErrMissingKeyword, i+1, o.Metadata.ObjectName)
		}
		for _, k := range ommKeys {
			if (k.sec == ommSecSpacecraft && o.Spacecraft == nil) || (k.sec == ommSecTLE && o.TLE == nil) || (k.sec == ommSecCov && o.Covariance == nil) {
				continue
			}
			var v float64
			switch r := k.ref(o).(type) {
			case *float64:
				v = *r
			case **float64:
				if *r != nil {
					v = **r
				}
			case cov6Ref:
				v = r.c[r.i][r.j]
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: message %d (%s) %s: %v cannot be written", ErrBadValue, i+1, o.Metadata.ObjectName, k.name, v)
			}
		}
	}
	return nil
}

// ommItems lists o's keywords in canonical order, absent ones left out.
// flat is for JSON and CSV, which may omit OBJECT_NAME and OBJECT_ID.
func ommItems(o *OMM, flat bool) []ommItem {
	items := make([]ommItem, 0, 40)
	for _, k := range ommKeys {
		switch k.sec {
		case ommSecSpacecraft:
			if o.Spacecraft == nil {
				continue
			}
		case ommSecTLE:
			if o.TLE == nil {
				continue
			}
		case ommSecCov:
			if o.Covariance == nil {
				continue
			}
		}
		var text string
		num := false
		switch r := k.ref(o).(type) {
		case *string:
			text = *r
			if text == "" && (k.name == "OBJECT_NAME" || k.name == "OBJECT_ID") && !flat {
				text = "UNKNOWN" // the ODM's value for an unknown name or designator
			}
			if text == "" && !(k.req && k.sec == ommSecHeader) {
				continue
			}
		case *time.Time:
			switch {
			case !r.IsZero():
				text = formatTime(*r)
			case !k.req:
				continue
			case k.name != "CREATION_DATE":
				text = formatTime(*r)
			}
		case *int:
			text, num = itoa(*r), true
		case *float64:
			if *r == 0 && (k.name == "SEMI_MAJOR_AXIS" || k.name == "MEAN_MOTION" || k.name == "GM") {
				continue
			}
			text, num = formatFloat(*r), true
		case **float64:
			if *r == nil {
				continue
			}
			text, num = formatFloat(**r), true
		case cov6Ref:
			text, num = formatFloat(r.c[r.i][r.j]), true
		}
		items = append(items, ommItem{key: k.name, sec: k.sec, text: text, num: num, unit: k.units})
	}
	for _, u := range o.UserDefined {
		items = append(items, ommItem{key: "USER_DEFINED_" + u.Name, sec: ommSecUser, text: u.Value})
	}
	return items
}

func ommVersion(o *OMM) string {
	if o.Header.Version != "" {
		return o.Header.Version
	}
	if o.TLE != nil && (o.TLE.BTermM2Kg != nil || o.TLE.AGOMM2Kg != nil) {
		return "3.0"
	}
	return "2.0"
}

// ommComments returns the comments of block sec (nil for an absent block).
func ommComments(o *OMM, sec ommSec) []string {
	switch sec {
	case ommSecHeader:
		return o.Header.Comments
	case ommSecMeta:
		return o.Metadata.Comments
	case ommSecMean:
		return o.MeanElements.Comments
	case ommSecSpacecraft:
		if o.Spacecraft != nil {
			return o.Spacecraft.Comments
		}
	case ommSecTLE:
		if o.TLE != nil {
			return o.TLE.Comments
		}
	case ommSecCov:
		if o.Covariance != nil {
			return o.Covariance.Comments
		}
	case ommSecUser:
		return o.UserDefinedComments
	}
	return nil
}

// WriteOMMKVN writes the messages in KVN syntax, one after the other. Units
// are not written (they are optional in KVN). An empty OBJECT_NAME or
// OBJECT_ID is written as UNKNOWN; an empty CREATION_DATE or ORIGINATOR is
// written empty (as CelesTrak does); other empty mandatory metadata, a
// missing mean motion and non-finite numbers are refused.
func WriteOMMKVN(w io.Writer, msgs []OMM) error {
	if err := checkOMMWritable(msgs); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	kw := kvnWriter{w: bw, width: 20}
	for i := range msgs {
		o := &msgs[i]
		if i > 0 {
			kw.blank()
		}
		kw.kv("CCSDS_OMM_VERS", ommVersion(o), "")
		items := ommItems(o, false)
		for sec := ommSecHeader; sec <= ommSecUser; sec++ {
			cs := ommComments(o, sec)
			n := 0
			for _, it := range items {
				if it.sec == sec {
					n++
				}
			}
			if n == 0 && len(cs) == 0 {
				continue
			}
			if sec > ommSecHeader {
				kw.blank()
			}
			kw.comments(cs)
			for _, it := range items {
				if it.sec == sec {
					kw.kv(it.key, it.text, "")
				}
			}
		}
	}
	if kw.err != nil {
		return kw.err
	}
	return bw.Flush()
}

// ommClassify finds a keyword; k is nil for USER_DEFINED_x.
func ommClassify(key string) (k *ommKey, sec ommSec, ok bool) {
	if k = ommKeyByName[key]; k != nil {
		return k, k.sec, true
	}
	if len(key) > len("USER_DEFINED_") && strings.HasPrefix(key, "USER_DEFINED_") {
		return nil, ommSecUser, true
	}
	return nil, 0, false
}
