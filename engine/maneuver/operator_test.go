package maneuver

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// idsLine builds an IDS manoeuvre record from its header (up to the
// parameter type) and burns of "YYYY DDD HH MM SS.mss duration ΔV1 ΔV2
// ΔV3", padding each burn with the six acceleration terms.
func idsLine(header string, burns ...string) string {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString(" ")
	b.WriteString(strconv.Itoa(len(burns)))
	for _, x := range burns {
		b.WriteString(" " + x + " 0 0 0 0 0 0")
	}
	return b.String()
}

func TestParseOperatorRecords(t *testing.T) {
	in := strings.Join([]string{
		// Jason (007): Q, S, W; two burns.
		idsLine("JASO2 2019 253 20 51 2019 254 00 41     007", "2019 253 20 56 41.680 5.9e+02 0.0 0.0 1.6591", "2019 254 00 40 23.143 5.9e+02 0.0 0.0 -1.6590"),
		// SPOT (005): T, R, L, with the manoeuvre type column.
		idsLine("SPOT5 2010 100 10 00 2010 100 10 05 MCC 005", "2010 100 10 02 00.000 3.0 0.012 0.001 0.0"),
		// An undocumented order keeps no burn.
		idsLine("SPOT2 2001 010 10 00 2001 010 10 05 MCC 004", "2001 010 10 02 00.000 3.0 0.012 0.001 0.0"),
		"TOPEX 1992 001 18 22 1992 001 18 22",
		`GEO-NS-STATION-KEEPING 2008-066A "2015/12/22T00:00:00 CST" "2015/12/23T23:59:59 CST"`,
	}, "\n")
	recs, err := ParseOperatorRecords(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 {
		t.Fatalf("%d records, want 5", len(recs))
	}
	// Sorted by start: TOPEX 1992, SPOT2 2001, SPOT5 2010, CMA 2015, Jason 2019.
	if recs[0].Burns != nil || recs[1].Burns != nil {
		t.Errorf("TOPEX/undocumented order: burns %v %v, want none", recs[0].Burns, recs[1].Burns)
	}
	spot := recs[2].Burns
	if len(spot) != 1 || spot[0].DeltaVRTN != [3]float64{0.001, 0.012, 0} || spot[0].Duration != 3*time.Second {
		t.Errorf("SPOT burn %+v, want radial 0.001, along-track 0.012, 3 s", spot)
	}
	if recs[3].Plane != GeometryOutOfPlane || recs[3].Burns != nil {
		t.Errorf("CMA north-south record %+v, want out-of-plane without burns", recs[3])
	}
	ja := recs[4]
	if len(ja.Burns) != 2 || ja.Burns[1].DeltaVRTN[2] != -1.6590 {
		t.Fatalf("Jason burns %+v", ja.Burns)
	}
	// 2019: TAI − UTC = 37 s.
	if want := time.Date(2019, 9, 10, 20, 56, 4, 680e6, time.UTC); !ja.Burns[0].Epoch.Equal(want) {
		t.Errorf("first burn at %s, want %s", ja.Burns[0].Epoch, want)
	}
	// Just after the 2016-12-31 leap second: 2017-01-01 00:00:10 TAI is
	// 2016-12-31 23:59:34 UTC (TAI − UTC was 36 s until the leap second).
	r, err := ParseOperatorRecords(strings.NewReader(idsLine("X 2017 001 00 00 2017 001 00 01 006", "2017 001 00 00 10.000 1 0 0.001 0")))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2016, 12, 31, 23, 59, 34, 0, time.UTC); !r[0].Burns[0].Epoch.Equal(want) {
		t.Errorf("burn across the leap second at %s, want %s", r[0].Burns[0].Epoch, want)
	}
}

func TestOperatorGeometry(t *testing.T) {
	const aKm = 7714.0
	n := math.Sqrt(muKm3S2/(aKm*aKm*aKm)) * secPerDay / (2 * math.Pi) // rev/day
	period := time.Duration(secPerDay / n * float64(time.Second))
	v := math.Sqrt(muKm3S2/aKm) * 1000
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	burn := func(dt time.Duration, r, tr, nn float64) Burn {
		return Burn{Epoch: t0.Add(dt), DeltaVRTN: [3]float64{r, tr, nn}}
	}
	tests := []struct {
		name    string
		m       OperatorManeuver
		want    Geometry
		daM     float64 // expected Δa, m
		planeDe float64 // expected plane change, deg
	}{
		{"one along-track burn", OperatorManeuver{Burns: []Burn{burn(0, 0, 0.01, 0)}}, GeometryInPlane, 2 * aKm * 1000 * 0.01 / v, 0},
		{"along-track with a small radial part", OperatorManeuver{Burns: []Burn{burn(0, 0.0005, 0.01, 0.0005)}}, GeometryInPlane, 2 * aKm * 1000 * 0.01 / v, math.NaN()},
		{"opposite along-track burns one revolution apart", OperatorManeuver{Burns: []Burn{burn(0, 0, 0.02, 0), burn(period, 0, -0.02, 0)}}, GeometryCancelling, 0, 0},
		{"opposite along-track burns half a revolution apart: an eccentricity change", OperatorManeuver{Burns: []Burn{burn(0, 0, 0.02, 0), burn(period/2, 0, -0.02, 0)}}, GeometryInPlane, 0, 0},
		{"opposite cross-track burns half a revolution apart add", OperatorManeuver{Burns: []Burn{burn(0, 0, 0, 1), burn(period/2, 0, 0, -1)}}, GeometryOutOfPlane, 0, 2 / v * 180 / math.Pi},
		{"opposite cross-track burns two revolutions apart cancel", OperatorManeuver{Burns: []Burn{burn(0, 0, 0, 1.6), burn(2*period, 0, 0, -1.6)}}, GeometryCancelling, 0, 0},
		{"mixed", OperatorManeuver{Burns: []Burn{burn(0, 0, 0.5, 0.5)}}, GeometryMixed, 2 * aKm * 1000 * 0.5 / v, 0.5 / v * 180 / math.Pi},
		{"no Δv: the file's plane", OperatorManeuver{Plane: GeometryInPlane}, GeometryInPlane, math.NaN(), math.NaN()},
		{"nothing known", OperatorManeuver{}, GeometryUnknown, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if g := tt.m.Geometry(aKm, n); g != tt.want {
				t.Errorf("geometry %s, want %s", g, tt.want)
			}
			nc, ok := tt.m.Net(aKm, n)
			if ok != (len(tt.m.Burns) > 0) {
				t.Fatalf("Net ok = %v with %d burns", ok, len(tt.m.Burns))
			}
			if !math.IsNaN(tt.daM) && math.Abs(nc.DeltaSMAMetres-tt.daM) > 1e-6*math.Max(1, math.Abs(tt.daM)) {
				t.Errorf("Δa %.6f m, want %.6f", nc.DeltaSMAMetres, tt.daM)
			}
			if !math.IsNaN(tt.planeDe) && math.Abs(nc.PlaneChangeDeg-tt.planeDe) > 1e-9 {
				t.Errorf("plane change %.9f°, want %.9f", nc.PlaneChangeDeg, tt.planeDe)
			}
		})
	}
	// Half a revolution apart, the opposite along-track burns double the
	// eccentricity change: 4·Δv/v.
	m := OperatorManeuver{Burns: []Burn{burn(0, 0, 0.02, 0), burn(period/2, 0, -0.02, 0)}}
	if nc, _ := m.Net(aKm, n); math.Abs(nc.DeltaEcc-4*0.02/v) > 1e-12 || math.Abs(nc.EccFraction-1) > 1e-9 {
		t.Errorf("Δe %.3g (fraction %.3f), want %.3g (1)", nc.DeltaEcc, nc.EccFraction, 4*0.02/v)
	}
}

func FuzzParseOperatorRecords(f *testing.F) {
	f.Add(idsLine("JASO2 2019 253 20 51 2019 254 00 41 007", "2019 253 20 56 41.680 5.9e+02 0.0 0.0 1.6591"))
	f.Add("TOPEX 1992 001 18 22 1992 001 18 22\n")
	f.Add(`GEO-EW-STATION-KEEPING 2006-053A "2015-04-10T15:30:00 CST" "2015-04-10T16:30:00 CST"`)
	f.Add(idsLine("SPOT5 2010 100 10 00 2010 100 10 05 MCO 005", "2010 100 10 02 00.000 3.0 0.012 0.001 0.0"))
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := ParseOperatorRecords(strings.NewReader(in))
		if err != nil {
			return
		}
		for i, m := range recs {
			if i > 0 && m.Start.Before(recs[i-1].Start) {
				t.Fatalf("records out of order")
			}
			for _, b := range m.Burns {
				for _, x := range b.DeltaVRTN {
					if math.IsNaN(x) || math.IsInf(x, 0) {
						t.Fatalf("non-finite Δv %v", b.DeltaVRTN)
					}
				}
			}
			_ = m.Geometry(7000, 14.5)
		}
	})
}
