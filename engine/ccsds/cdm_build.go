package ccsds

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// cdm targets: where a keyword is stored.
const (
	tgtHeader = iota
	tgtRel
	tgtObj1
	tgtObj2
)

// cdmBuilder assembles a CDM from keyword/value pairs, whichever syntax they
// came from, and checks what both syntaxes share: duplicates, value formats,
// units and mandatory keywords.
type cdmBuilder struct {
	c     CDM
	v2    bool
	seen  [4]map[string]bool
	has   [2][9][9]bool // covariance entries given with a value
	start [4]int        // line where each target's first keyword is
}

func newCDMBuilder() *cdmBuilder {
	b := &cdmBuilder{}
	for i := range b.seen {
		b.seen[i] = map[string]bool{}
	}
	return b
}

func (b *cdmBuilder) setVersion(v string, p pos) error {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return p.errf(ErrEmptyValue, "CCSDS_CDM_VERS", "version is empty")
	case strings.HasPrefix(v, "1."):
	case strings.HasPrefix(v, "2."):
		b.v2 = true
	default:
		return p.errf(ErrBadValue, "CCSDS_CDM_VERS", "unsupported CDM version %q (want 1.0 or 2.0)", clip(v))
	}
	if _, ok := parseNumber(v); !ok {
		return p.errf(ErrBadValue, "CCSDS_CDM_VERS", "version %q is not a number", clip(v))
	}
	b.c.Header.Version = intern(v)
	return nil
}

func (b *cdmBuilder) object(tgt int) *CDMObject {
	if tgt >= tgtObj1 {
		return &b.c.Objects[tgt-tgtObj1]
	}
	return nil
}

// comments returns the comment list of a section.
func (b *cdmBuilder) comments(tgt int, sec cdmSec) *[]string {
	switch tgt {
	case tgtHeader:
		return &b.c.Header.Comments
	case tgtRel:
		return &b.c.Relative.Comments
	}
	o := b.object(tgt)
	switch sec {
	case cdmSecOD:
		return &o.ODComments
	case cdmSecAdd:
		return &o.AdditionalComments
	case cdmSecState:
		return &o.StateComments
	case cdmSecCov, cdmSecUser:
		return &o.CovarianceComments
	}
	return &o.MetadataComments
}

// classify finds a keyword's definition, or the section of a kept extra
// keyword (def nil). ok is false for an unknown keyword.
func (b *cdmBuilder) classify(tgt int, key string) (def *cdmKey, sec cdmSec, ok bool) {
	if k, found := cdmKeyByName[key]; found {
		if cdmAmbiguous[key] && tgt >= tgtObj1 && b.seen[tgt]["CX_X"] {
			return nil, cdmSecCov, true // alternate (XYZ) covariance block of CDM 2.0
		}
		return k, k.sec, true
	}
	s, found := extraSection(key)
	if !found || (!b.v2 && s != cdmSecUser) {
		return nil, 0, false
	}
	return nil, s, true
}

// set stores one keyword. raw is the full value text (used for free text),
// value the text with any trailing [units] removed. isNil marks an XML
// element with nil="true" (or an empty value).
func (b *cdmBuilder) set(tgt int, def *cdmKey, key, raw, value, units string, isNil bool, p pos) error {
	if b.start[tgt] == 0 {
		b.start[tgt] = p.line
	}
	if b.seen[tgt][key] {
		return p.errf(ErrDuplicateKeyword, key, "given twice in the %s", b.where(tgt, cdmSecMeta))
	}
	b.seen[tgt][key] = true
	if def == nil { // kept verbatim
		o := b.object(tgt)
		f := Field{Keyword: intern(key), Value: intern(strings.TrimSpace(value)), Units: intern(units)}
		switch tgt {
		case tgtHeader:
			b.c.Header.Extra = append(b.c.Header.Extra, f)
		case tgtRel:
			b.c.Relative.Extra = append(b.c.Relative.Extra, f)
		default:
			o.Extra = append(o.Extra, f)
		}
		return nil
	}
	value = strings.TrimSpace(value)
	if isNil || strings.TrimSpace(raw) == "" {
		if def.req {
			return p.errf(ErrEmptyValue, key, "mandatory value is empty (value for key %s has not been initialized)", key)
		}
		return nil
	}
	ref := def.ref(&b.c, b.object(tgt))
	if !def.req && strings.EqualFold(value, "NaN") {
		// CARA writes NaN for an unknown optional value: kept as NaN where the
		// field is a float, read as absent where it is an integer.
		switch r := ref.(type) {
		case **float64:
			*r = Float(math.NaN())
			return nil
		case **int:
			return nil
		}
	}
	if units != "" && def.units != "" && unitsRescaled(units, def.units) {
		return p.errf(ErrBadUnits, key, "units [%s], expected [%s]", clip(units), def.units)
	}
	switch r := ref.(type) {
	case *string:
		*r = intern(strings.TrimSpace(raw))
		return nil
	case *time.Time:
		t, ok := parseTime(value)
		if !ok {
			return p.errf(ErrBadValue, key, "%q is not a valid CCSDS time (YYYY-MM-DDThh:mm:ss[.fff] or YYYY-DDDThh:mm:ss[.fff])", clip(value))
		}
		*r = t
		return nil
	case **int:
		v, ok := parseInteger(value)
		if !ok {
			return p.errf(ErrBadValue, key, "%q is not an integer", clip(value))
		}
		*r = &v
		return nil
	}
	f, ok := parseNumber(value)
	if !ok {
		return p.errf(ErrBadValue, key, "%q is not a number", clip(value))
	}
	switch r := ref.(type) {
	case *float64:
		*r = f
	case **float64:
		*r = &f
	case vecRef:
		if *r.p == nil {
			*r.p = &[3]float64{math.NaN(), math.NaN(), math.NaN()}
		}
		(*r.p)[r.i] = f
	case covRef:
		r.o.CovRTN[r.i][r.j] = f
		b.has[tgt-tgtObj1][r.i][r.j] = true
	}
	return nil
}

func (b *cdmBuilder) where(tgt int, sec cdmSec) string {
	switch tgt {
	case tgtHeader:
		return "header"
	case tgtRel:
		return "relative metadata/data"
	case tgtObj1:
		return "OBJECT1 " + sec.String()
	}
	return "OBJECT2 " + sec.String()
}

// finish checks mandatory keywords and completes defaults.
func (b *cdmBuilder) finish() (*CDM, error) {
	p := pos{}
	if b.c.Header.Version == "" {
		return nil, p.errf(ErrMissingKeyword, "CCSDS_CDM_VERS", "message has no version")
	}
	check := func(tgt int, keys []*cdmKey) error {
		for _, k := range keys {
			if k.req && !b.seen[tgt][k.name] {
				msg := "not given in the " + b.where(tgt, k.sec)
				if b.start[tgt] > 0 {
					msg += fmt.Sprintf(" (the %s starts at line %d)", [...]string{"header", "relative metadata/data", "OBJECT1 section", "OBJECT2 section"}[tgt], b.start[tgt])
				}
				return p.errf(ErrMissingKeyword, k.name, "%s", msg)
			}
		}
		return nil
	}
	if err := check(tgtHeader, cdmHeaderKeys); err != nil {
		return nil, err
	}
	if err := check(tgtRel, cdmRelKeys); err != nil {
		return nil, err
	}
	for i := range 2 {
		tgt := tgtObj1 + i
		if !b.seen[tgt]["OBJECT"] {
			return nil, p.errf(ErrMissingKeyword, "OBJECT", "the message has no OBJECT%d section", i+1)
		}
		if err := check(tgt, cdmObjKeys); err != nil {
			return nil, err
		}
		o := &b.c.Objects[i]
		if o.OrbitCenter == "" {
			o.OrbitCenter = "EARTH"
		}
		size := 6
		for row := 6; row < 9; row++ {
			for j := 0; j <= row; j++ {
				if b.has[i][row][j] {
					size = row + 1
				}
			}
		}
		o.CovSize = size
		for r := range size {
			for j := 0; j <= r; j++ {
				if !b.has[i][r][j] {
					o.CovRTN[r][j] = math.NaN()
				}
				o.CovRTN[j][r] = o.CovRTN[r][j]
			}
		}
	}
	c := b.c
	return &c, nil
}

// unitsRescaled reports units that name the expected quantity at another
// scale (km for m, rad for deg, rev/s for rev/day, …): reading such a value
// in the standard units would be silently wrong by a factor, so it is
// refused. Other mismatches are tolerated as labels only: operational
// producers write e.g. [m] on a velocity or [m/sec] for [m/s], and values
// are always read in the units the standard prescribes.
func unitsRescaled(got, want string) bool {
	g, w := unitTokens(got, false), unitTokens(want, false)
	if g == w {
		return false
	}
	return unitTokens(got, true) == unitTokens(want, true)
}

// unitTokens canonicalises a unit string: lower case, no blanks, synonyms
// merged (sec→s, day→d); with dim, scale prefixes and alternative units of
// one dimension are merged too (km→m, rad→deg, d/min/h→s).
func unitTokens(u string, dim bool) string {
	u = strings.ToLower(strings.ReplaceAll(u, " ", ""))
	var b strings.Builder
	for i := 0; i < len(u); {
		j := i
		for j < len(u) && u[j] >= 'a' && u[j] <= 'z' {
			j++
		}
		if j == i {
			b.WriteByte(u[i])
			i++
			continue
		}
		tok := u[i:j]
		switch tok {
		case "sec":
			tok = "s"
		case "day", "days":
			tok = "d"
		}
		if dim {
			switch tok {
			case "km":
				tok = "m"
			case "rad":
				tok = "deg"
			case "d", "min", "h", "hr":
				tok = "s"
			}
		}
		b.WriteString(tok)
		i = j
	}
	return b.String()
}
