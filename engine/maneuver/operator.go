package maneuver

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/cmplx"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/timescale"
)

// OperatorManeuver is one record of an operator's manoeuvre history file.
type OperatorManeuver struct {
	Start time.Time // UTC
	// Burns are the thruster firings of the record, each with its Δv; nil
	// where the file gives none (TOPEX's IDS file, the CMA Fengyun files).
	Burns []Burn
	// Plane is what a file without Δv says about the burn direction: the CMA
	// files name east-west (in-plane) and north-south (out-of-plane)
	// station keeping. GeometryUnknown elsewhere.
	Plane Geometry
}

// Burn is one thruster firing.
type Burn struct {
	Epoch    time.Time // UTC, the middle of the firing
	Duration time.Duration
	// DeltaVRTN is the impulse in m/s along radial, along-track
	// (transverse) and cross-track (orbit normal).
	DeltaVRTN [3]float64
}

// Geometry says how a manoeuvre record changes the orbit.
type Geometry int

// Geometries.
const (
	GeometryUnknown Geometry = iota // the record gives no direction
	// GeometryInPlane: radial and along-track Δv only (semi-major axis,
	// eccentricity).
	GeometryInPlane
	// GeometryOutOfPlane: cross-track Δv only (inclination, node).
	GeometryOutOfPlane
	// GeometryMixed: both.
	GeometryMixed
	// GeometryCancelling: a sequence of burns whose effects on the mean
	// elements cancel (NetChange): opposite along-track burns a whole
	// number of revolutions apart, or cross-track pairs two revolutions
	// apart with opposite signs. Element sets cannot show it.
	GeometryCancelling
)

var geometryNames = [...]string{"unknown", "in-plane", "out-of-plane", "mixed", "cancelling"}

// String names the geometry.
func (g Geometry) String() string {
	if g < 0 || int(g) >= len(geometryNames) {
		return "invalid"
	}
	return geometryNames[g]
}

// NetChange is what a record's burns do to a near-circular orbit, to first
// order (Gauss's variational equations, impulses at arguments of latitude
// u_k = u_1 + n·(t_k − t_1)): the semi-major-axis change
// Δa = (2a/v)·ΣΔv_T, the eccentricity-vector change
// |Σ(2Δv_T − iΔv_R)·e^{iu_k}|/v, and the rotation of the orbit plane
// |ΣΔv_N·e^{iu_k}|/v. Each also comes as a fraction of what the same burns
// would do with their effects aligned (their gross size): near 0 where the
// burns undo each other.
type NetChange struct {
	DeltaSMAMetres, DeltaEcc, PlaneChangeDeg float64
	SMAFraction, EccFraction, PlaneFraction  float64 // NaN where the gross size is 0
}

// Net returns the record's NetChange on an orbit of semi-major axis aKm
// and mean motion nRevPerDay. ok is false for a record without burns.
func (m OperatorManeuver) Net(aKm, nRevPerDay float64) (NetChange, bool) {
	if len(m.Burns) == 0 || !(aKm > 0) || !(nRevPerDay > 0) {
		return NetChange{}, false
	}
	vMS := math.Sqrt(muKm3S2/aKm) * 1000
	nRadS := nRevPerDay * 2 * math.Pi / secPerDay
	var sumT, grossT, grossE, grossN float64
	var sumE, sumN complex128
	t1 := m.Burns[0].Epoch
	for _, b := range m.Burns {
		u := nRadS * b.Epoch.Sub(t1).Seconds()
		rot := cmplx.Rect(1, u)
		r, tr, n := b.DeltaVRTN[0], b.DeltaVRTN[1], b.DeltaVRTN[2]
		sumT += tr
		grossT += math.Abs(tr)
		e := complex(2*tr, -r)
		sumE += e * rot
		grossE += cmplx.Abs(e)
		sumN += complex(n, 0) * rot
		grossN += math.Abs(n)
	}
	frac := func(net, gross float64) float64 {
		if !(gross > 0) {
			return math.NaN()
		}
		return net / gross
	}
	c := NetChange{
		DeltaSMAMetres: 2 * aKm * 1000 * sumT / vMS,
		DeltaEcc:       cmplx.Abs(sumE) / vMS,
		PlaneChangeDeg: cmplx.Abs(sumN) / vMS * 180 / math.Pi,
	}
	c.SMAFraction = frac(math.Abs(sumT), grossT)
	c.EccFraction = frac(cmplx.Abs(sumE), grossE)
	c.PlaneFraction = frac(cmplx.Abs(sumN), grossN)
	return c, true
}

// minorComponent is the share of a record's Δv below which the in-plane
// or the cross-track part does not count for its Geometry.
const minorComponent = 0.1

// cancellingFraction: a record whose every effect is below this fraction
// of its gross size is GeometryCancelling.
const cancellingFraction = 0.2

// Geometry classifies the record on an orbit of semi-major axis aKm and
// mean motion nRevPerDay (needed for the phases between burns).
func (m OperatorManeuver) Geometry(aKm, nRevPerDay float64) Geometry {
	if len(m.Burns) == 0 {
		return m.Plane
	}
	// A component counts where it is more than minorComponent of the
	// record's Δv (the CryoSat-2 files give along-track burns a radial or
	// cross-track part of a few per cent).
	var rt, cross float64
	for _, b := range m.Burns {
		rt += math.Hypot(b.DeltaVRTN[0], b.DeltaVRTN[1])
		cross += math.Abs(b.DeltaVRTN[2])
	}
	inPlane, outOfPlane := rt > minorComponent*(rt+cross), cross > minorComponent*(rt+cross)
	if nc, ok := m.Net(aKm, nRevPerDay); ok && len(m.Burns) > 1 {
		// Only the parts that count for the geometry are judged.
		small := func(counts bool, f float64) bool { return !counts || math.IsNaN(f) || f < cancellingFraction }
		if small(inPlane, nc.SMAFraction) && small(inPlane, nc.EccFraction) && small(outOfPlane, nc.PlaneFraction) {
			return GeometryCancelling
		}
	}
	switch {
	case inPlane && outOfPlane:
		return GeometryMixed
	case inPlane:
		return GeometryInPlane
	case outOfPlane:
		return GeometryOutOfPlane
	}
	return GeometryUnknown
}

// ParseOperatorManeuvers reads the operators' manoeuvre history files that
// the benchmark ships in raw_manoeuvre_files/ and returns each manoeuvre's
// start time in UTC, sorted (ParseOperatorRecords has the burns too).
//
// The benchmark's manoeuvres_<Name>.yaml lists were derived from these
// files, but every IDS-derived time there is exactly one day later than the
// file says (the day of year was added to 1 January), and the Fengyun times
// are the CST wall-clock times written as UTC.
func ParseOperatorManeuvers(r io.Reader) ([]time.Time, error) {
	recs, err := ParseOperatorRecords(r)
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, len(recs))
	for i, m := range recs {
		out[i] = m.Start
	}
	return out, nil
}

// ParseOperatorRecords reads an operator manoeuvre file, sorted by start.
// Two layouts are understood, line by line:
//
//   - IDS/DORIS "*man.txt" (ids-doris.org, man.readme): "CODE YYYY DDD HH MM
//     YYYY DDD HH MM [MCC|MCO] PTYPE N" and N burns of "YYYY DDD HH MM
//     SS.mss duration ΔV1 ΔV2 ΔV3" followed by six acceleration terms, DDD
//     the day of year with 1 January = 001, times in TAI (converted to UTC
//     here). PTYPE gives the order of the Δv components: 005 (SPOT) T, R,
//     L; 006 (ENVISAT, CryoSat-2, and the HY-2 and Sentinel files) radial,
//     along-track, cross-track; 007 (Jason) Q, S, W, the same. Other types
//     keep their burns' times with no Δv; lines that end after the end time
//     (TOPEX) have no burns.
//   - CMA Fengyun "manFY*.txt.fy": KIND COSPAR "YYYY-MM-DDTHH:MM:SS CST" ...;
//     CST is China Standard Time, UTC+8; KIND GEO-EW-STATION-KEEPING is
//     in-plane, GEO-NS-STATION-KEEPING out-of-plane.
func ParseOperatorRecords(r io.Reader) ([]OperatorManeuver, error) {
	var out []OperatorManeuver
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var m OperatorManeuver
		var err error
		if strings.HasPrefix(f[0], "GEO-") || (len(f) > 2 && strings.HasPrefix(f[2], `"`)) {
			m, err = parseCMARecord(f)
		} else {
			m, err = parseIDSRecord(f)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrTruthFormat, line, err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("maneuver: reading operator manoeuvres: %w", err)
	}
	slices.SortStableFunc(out, func(a, b OperatorManeuver) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// idsBurnFields is the number of fields of one burn in an IDS record.
const idsBurnFields = 15

func parseIDSRecord(f []string) (OperatorManeuver, error) {
	var m OperatorManeuver
	if len(f) < 9 {
		return m, fmt.Errorf("IDS line has %d fields, want at least 9", len(f))
	}
	start, err := parseIDSTime(f[1:5], "", "start")
	if err != nil {
		return m, err
	}
	m.Start = start
	k := 9
	if k < len(f) && (f[k] == "MCC" || f[k] == "MCO") {
		k++
	}
	if k >= len(f) {
		return m, nil // start and end only (TOPEX)
	}
	if k+1 >= len(f) {
		return m, fmt.Errorf("IDS line: parameter type %q without a number of burns", f[k])
	}
	ptype := f[k]
	nb, err := strconv.Atoi(f[k+1])
	if err != nil || nb < 0 || nb > 100 {
		return m, fmt.Errorf("IDS number of burns %q: want 0 to 100", f[k+1])
	}
	k += 2
	if want := k + nb*idsBurnFields; len(f) < want {
		return m, fmt.Errorf("IDS line has %d fields, want %d for %d burns", len(f), want, nb)
	}
	for i := range nb {
		b := f[k+i*idsBurnFields : k+(i+1)*idsBurnFields]
		ep, err := parseIDSTime(b[0:4], b[4], fmt.Sprintf("burn %d", i+1))
		if err != nil {
			return m, err
		}
		var v [4]float64
		for j := range v {
			x, err := strconv.ParseFloat(b[5+j], 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e6 {
				return m, fmt.Errorf("IDS burn %d field %d %q: not a finite number", i+1, 6+j, b[5+j])
			}
			v[j] = x
		}
		burn := Burn{Epoch: ep, Duration: time.Duration(v[0] * float64(time.Second))}
		switch ptype {
		case "005": // T, R, L
			burn.DeltaVRTN = [3]float64{v[2], v[1], v[3]}
		case "006", "007": // R, T, N and Q, S, W
			burn.DeltaVRTN = [3]float64{v[1], v[2], v[3]}
		default:
			// Undocumented order: the firing's time is kept, its Δv is not.
			continue
		}
		m.Burns = append(m.Burns, burn)
	}
	return m, nil
}

// parseIDSTime reads "YYYY DDD HH MM" (and seconds, if sec is not empty)
// as TAI and returns UTC.
func parseIDSTime(f []string, sec, what string) (time.Time, error) {
	var v [4]int
	for i := range v {
		n, err := strconv.Atoi(f[i])
		if err != nil {
			return time.Time{}, fmt.Errorf("IDS %s field %d %q: not a number", what, 1+i, f[i])
		}
		v[i] = n
	}
	y, doy, hh, mm := v[0], v[1], v[2], v[3]
	if y < 1950 || y > 2200 || doy < 1 || doy > 366 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return time.Time{}, fmt.Errorf("IDS %s %d %03d %02d:%02d out of range", what, y, doy, hh, mm)
	}
	s := 0.0
	if sec != "" {
		x, err := strconv.ParseFloat(sec, 64)
		if err != nil || !(x >= 0 && x < 61) {
			return time.Time{}, fmt.Errorf("IDS %s seconds %q: want 0 to 60.999", what, sec)
		}
		s = x
	}
	tai := time.Date(y, 1, doy, hh, mm, 0, 0, time.UTC).Add(time.Duration(s * float64(time.Second)))
	// TAIMinusUTC wants a UTC instant; the second pass corrects the one
	// after a leap second.
	utc := tai.Add(-timescale.TAIMinusUTC(tai))
	return tai.Add(-timescale.TAIMinusUTC(utc)), nil
}

// chinaStandardTime is UTC+8, the zone of the CMA manoeuvre files.
var chinaStandardTime = time.FixedZone("CST", 8*3600)

func parseCMARecord(f []string) (OperatorManeuver, error) {
	var m OperatorManeuver
	if len(f) < 4 {
		return m, fmt.Errorf("CMA line has %d fields, want at least 4", len(f))
	}
	s := strings.Trim(f[2], `"`)
	s = strings.ReplaceAll(s, "/", "-")
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, chinaStandardTime)
	if err != nil {
		return m, fmt.Errorf("CMA start %q: %v", s, err)
	}
	m.Start = t.UTC()
	switch f[0] {
	case "GEO-EW-STATION-KEEPING":
		m.Plane = GeometryInPlane
	case "GEO-NS-STATION-KEEPING":
		m.Plane = GeometryOutOfPlane
	}
	return m, nil
}
