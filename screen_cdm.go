package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/collision"
	"github.com/astroshield/astroshield/engine/conjunction"
	"github.com/astroshield/astroshield/engine/frames"
	"github.com/astroshield/astroshield/engine/gp"
)

// writeScreenCDMs writes one CCSDS CDM 1.0 KVN file per event into dir.
// States are given in ITRF (CDM 1.0 has no TEME); covariances are the
// default TLE-age model, marked COVARIANCE_METHOD = DEFAULT with a comment.
func writeScreenCDMs(dir string, events []screenedEvent, res *conjunction.Result, sets []gp.ElementSet) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	byNorad := make(map[int]*gp.ElementSet, len(sets))
	for i := range sets {
		byNorad[sets[i].CatalogNumber] = &sets[i]
	}
	created := time.Now().UTC().Truncate(time.Millisecond)
	for _, e := range events {
		c := screeningCDM(e, res, byNorad, created)
		path := cdmFileName(dir, e)
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := ccsds.WriteCDMKVN(f, c); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

func screeningCDM(e screenedEvent, res *conjunction.Result, byNorad map[int]*gp.ElementSet, created time.Time) *ccsds.CDM {
	relPosRIC := [3]float64{e.RadialKm * 1000, e.InTrackKm * 1000, e.CrossTrackKm * 1000}
	relVelRIC := ricOf(e.State1, sub3(e.State2.VTEMEKmS, e.State1.VTEMEKmS))
	for i := range relVelRIC {
		relVelRIC[i] *= 1000
	}
	c := &ccsds.CDM{
		Header: ccsds.CDMHeader{
			Version:      "1.0",
			CreationDate: created,
			Originator:   "ASTROSHIELD",
			MessageID:    fmt.Sprintf("ASTROSHIELD_%d_%d_%s", e.Norad1, e.Norad2, e.TCA.UTC().Format("20060102T150405.000")),
		},
		Relative: ccsds.CDMRelative{
			Comments:                   []string{"Screening by AstroShield on SGP4 states from GP element sets"},
			TCA:                        e.TCA.UTC(),
			MissDistanceM:              e.MissDistanceKm * 1000,
			RelativeSpeedMS:            ccsds.Float(e.RelativeSpeedKmS * 1000),
			RelativePositionRTNM:       &relPosRIC,
			RelativeVelocityRTNMS:      &relVelRIC,
			StartScreenPeriod:          res.Start,
			StopScreenPeriod:           res.End,
			ScreenEntryTime:            e.ThresholdEnter.UTC(),
			ScreenExitTime:             e.ThresholdExit.UTC(),
			CollisionProbability:       ccsds.Float(e.Pc.Pc),
			CollisionProbabilityMethod: "FOSTER-1992",
		},
	}
	for k, side := range []struct {
		norad int
		name  string
		st    conjunction.State
		age   time.Duration
	}{{e.Norad1, e.Name1, e.State1, e.ElementAge1}, {e.Norad2, e.Name2, e.State2, e.ElementAge2}} {
		rITRF, vITRF := frames.TEMEToECEF(e.TCA, side.st.RTEMEKm, side.st.VTEMEKmS, frames.EOP{})
		o := ccsds.CDMObject{
			Object:           fmt.Sprintf("OBJECT%d", k+1),
			ObjectDesignator: strconv.Itoa(side.norad),
			CatalogName:      "SATCAT",
			ObjectName:       side.name,
			ObjectType:       "UNKNOWN",
			EphemerisName:    "NONE",
			CovarianceMethod: "DEFAULT",
			Maneuverable:     "N/A",
			RefFrame:         "ITRF",
			GravityModel:     "SGP4 (WGS-72)",
			PositionKm:       rITRF,
			VelocityKmS:      vITRF,
			CovarianceComments: []string{fmt.Sprintf(
				"Default position covariance from element-set age %.1f h (no OD covariance for GP data)", side.age.Hours())},
			CovSize: 6,
		}
		if es := byNorad[side.norad]; es != nil && es.IntlDesignator != "" {
			o.InternationalDesignator = ccsds.COSPARDesignator(es.IntlDesignator)
		}
		if o.InternationalDesignator == "" {
			o.InternationalDesignator = "UNKNOWN"
		}
		if o.ObjectName == "" {
			o.ObjectName = "UNKNOWN"
		}
		o.SetCovRTN6(collision.DefaultCovarianceTLERTN6(side.age, side.st.RTEMEKm, side.st.VTEMEKmS))
		c.Objects[k] = o
	}
	c.Relative.Comments = append(c.Relative.Comments, fmt.Sprintf("HBR = %g [m]", e.Pc.HardBodyRadiusM))
	return c
}

// ricOf expresses an inertial vector in the radial/in-track/cross-track
// frame of state s.
func ricOf(s conjunction.State, x [3]float64) [3]float64 {
	r, v := s.RTEMEKm, s.VTEMEKmS
	R := unit3(r)
	C := unit3(cross3(r, v))
	I := cross3(C, R)
	return [3]float64{dot3(x, R), dot3(x, I), dot3(x, C)}
}

func sub3(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func dot3(a, b [3]float64) float64    { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func cross3(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
func unit3(a [3]float64) [3]float64 {
	n := math.Sqrt(dot3(a, a))
	if n == 0 {
		return a
	}
	return [3]float64{a[0] / n, a[1] / n, a[2] / n}
}
