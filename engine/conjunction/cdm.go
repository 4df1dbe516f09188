package conjunction

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/collision"
	"github.com/astroshield/astroshield/engine/frames"
)

// CDMInputs is what a screening CDM needs beyond the Event itself.
type CDMInputs struct {
	Created                time.Time // CREATION_DATE (truncated to ms)
	ScreenStart, ScreenEnd time.Time // the screened window
	// COSPAR1 and COSPAR2 are the objects' international designators as
	// element sets give them ("98067A"); "" writes UNKNOWN.
	COSPAR1, COSPAR2 string
	// Pc is written as COLLISION_PROBABILITY with PcMethod when it is a
	// number; NaN omits it with a comment saying why. PcMaxAlfano2005 (NaN:
	// none) goes into a comment. HardBodyRadiusM is recorded in a comment.
	Pc, PcMaxAlfano2005 float64
	PcMethod            string
	HardBodyRadiusM     float64
}

// CDM builds the CCSDS CDM 1.0 of a screening event: states in ITRF (CDM
// 1.0 has no TEME), relative position and velocity in object 1's RTN frame,
// and, because CDM 1.0 requires a covariance and GP element sets carry
// none, collision.DefaultCovarianceTLERTN6 for each object at its
// element-set age, marked COVARIANCE_METHOD = DEFAULT with a comment. The
// CLI's `screen --format cdm` and the desktop's CDM export both use it.
func (e Event) CDM(in CDMInputs) *ccsds.CDM {
	relPosRTNM := [3]float64{e.RadialKm * 1000, e.InTrackKm * 1000, e.CrossTrackKm * 1000}
	var relVelRTNMS [3]float64
	relVelRTNMS[0], relVelRTNMS[1], relVelRTNMS[2] = ric(e.State1.RTEMEKm, e.State1.VTEMEKmS, sub(e.State2.VTEMEKmS, e.State1.VTEMEKmS))
	for i := range relVelRTNMS {
		relVelRTNMS[i] *= 1000
	}
	c := &ccsds.CDM{
		Header: ccsds.CDMHeader{
			Version:      "1.0",
			CreationDate: in.Created.UTC().Truncate(time.Millisecond),
			Originator:   "ASTROSHIELD",
			MessageID:    fmt.Sprintf("ASTROSHIELD_%d_%d_%s", e.Norad1, e.Norad2, e.TCA.UTC().Format("20060102T150405.000")),
		},
		Relative: ccsds.CDMRelative{
			Comments:              []string{"Screening by AstroShield on SGP4 states from GP element sets"},
			TCA:                   e.TCA.UTC(),
			MissDistanceM:         e.MissDistanceKm * 1000,
			RelativeSpeedMS:       ccsds.Float(e.RelativeSpeedKmS * 1000),
			RelativePositionRTNM:  &relPosRTNM,
			RelativeVelocityRTNMS: &relVelRTNMS,
			StartScreenPeriod:     in.ScreenStart.UTC(),
			StopScreenPeriod:      in.ScreenEnd.UTC(),
			ScreenEntryTime:       e.ThresholdEnter.UTC(),
			ScreenExitTime:        e.ThresholdExit.UTC(),
		},
	}
	if !math.IsNaN(in.Pc) {
		c.Relative.CollisionProbability = ccsds.Float(in.Pc)
		c.Relative.CollisionProbabilityMethod = in.PcMethod
	} else {
		c.Relative.Comments = append(c.Relative.Comments, "COLLISION_PROBABILITY omitted: not computed for this event")
	}
	if !math.IsNaN(in.PcMaxAlfano2005) {
		c.Relative.Comments = append(c.Relative.Comments,
			fmt.Sprintf("Alfano (2005) maximum Pc over every covariance = %.6e", in.PcMaxAlfano2005))
	}
	c.Relative.Comments = append(c.Relative.Comments, fmt.Sprintf("HBR = %g [m]", in.HardBodyRadiusM))
	for k, side := range []struct {
		norad      int
		name, intl string
		st         State
		elementAge time.Duration
	}{{e.Norad1, e.Name1, in.COSPAR1, e.State1, e.ElementAge1}, {e.Norad2, e.Name2, in.COSPAR2, e.State2, e.ElementAge2}} {
		rITRF, vITRF := frames.TEMEToECEF(e.TCA, side.st.RTEMEKm, side.st.VTEMEKmS, frames.EOP{})
		o := ccsds.CDMObject{
			Object:                  fmt.Sprintf("OBJECT%d", k+1),
			ObjectDesignator:        strconv.Itoa(side.norad),
			CatalogName:             "SATCAT",
			ObjectName:              side.name,
			InternationalDesignator: "UNKNOWN",
			ObjectType:              "UNKNOWN",
			EphemerisName:           "NONE",
			CovarianceMethod:        "DEFAULT",
			Maneuverable:            "N/A",
			RefFrame:                "ITRF",
			GravityModel:            "SGP4 (WGS-72)",
			PositionKm:              rITRF,
			VelocityKmS:             vITRF,
			CovarianceComments: []string{fmt.Sprintf(
				"Default position covariance from element-set age %.1f h (no OD covariance for GP data)", side.elementAge.Hours())},
			CovSize: 6,
		}
		if side.intl != "" {
			if d := ccsds.COSPARDesignator(side.intl); d != "" {
				o.InternationalDesignator = d
			}
		}
		if o.ObjectName == "" {
			o.ObjectName = "UNKNOWN"
		}
		o.SetCovRTN6(collision.DefaultCovarianceTLERTN6(side.elementAge, side.st.RTEMEKm, side.st.VTEMEKmS))
		c.Objects[k] = o
	}
	return c
}
