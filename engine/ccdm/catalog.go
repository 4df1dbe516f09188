package ccdm

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/frames"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// unoccupiedOrbit counts the catalog objects in the primary's orbit
// neighbourhood: perigee and apogee heights within DensityHeightKm,
// inclination within DensityIncDeg and, at GEO, mean longitude within
// DensityGEOLonDeg. The orbit is unoccupied with at most
// UnoccupiedMaxNeighbours neighbours.
func unoccupiedOrbit(primary gp.ElementSet, catalog []gp.ElementSet, c Config) Finding {
	norad := primary.CatalogNumber
	const rule = "unoccupied-orbit.catalog-density"
	if len(catalog) == 0 {
		return insufficientFinding(ObjectInUnoccupiedOrbit, primary.Epoch, rule, "no catalog snapshot given (--catalog)", norad)
	}
	po := orbitOf(&primary)
	geo := regimeOf(&primary) == maneuver.RegimeGEO
	lon := func(e *gp.ElementSet) float64 { return geoLongitudeDeg(e, frames.GMSTRad(e.Epoch, 0)) }
	var plon float64
	if geo {
		plon = lon(&primary)
	}
	count, regimeCount := 0, 0
	var near []int
	for i := range catalog {
		e := &catalog[i]
		if e.CatalogNumber == norad || e.Validate() != nil {
			continue
		}
		o := orbitOf(e)
		if math.Abs(o.perigeeKm-po.perigeeKm) <= 4*c.DensityHeightKm && math.Abs(o.apogeeKm-po.apogeeKm) <= 4*c.DensityHeightKm {
			regimeCount++
		}
		if math.Abs(o.perigeeKm-po.perigeeKm) > c.DensityHeightKm || math.Abs(o.apogeeKm-po.apogeeKm) > c.DensityHeightKm ||
			math.Abs(o.incDeg-po.incDeg) > c.DensityIncDeg {
			continue
		}
		if geo && math.Abs(math.Remainder(lon(e)-plon, 360)) > c.DensityGEOLonDeg {
			continue
		}
		count++
		if len(near) < 10 {
			near = append(near, e.CatalogNumber)
		}
	}
	f := newFinding(ObjectInUnoccupiedOrbit, norad)
	f.Time, f.RuleID = primary.Epoch, rule
	f.Rule = fmt.Sprintf("at most %d catalog objects with perigee and apogee within ±%.0f km and inclination within ±%.1f° of the object's%s",
		c.UnoccupiedMaxNeighbours, c.DensityHeightKm, c.DensityIncDeg, map[bool]string{true: fmt.Sprintf(" (and mean longitude within ±%.0f°)", c.DensityGEOLonDeg), false: ""}[geo])
	f.Thresholds = []Quantity{{"max-neighbours", float64(c.UnoccupiedMaxNeighbours), ""}, {"height-window", c.DensityHeightKm, "km"}, {"inclination-window", c.DensityIncDeg, "deg"}}
	f.Evidence = []Quantity{{"neighbours", float64(count), ""}, {"objects-in-height-band-x4", float64(regimeCount), ""},
		{"catalog-objects", float64(len(catalog)), ""}, {"perigee-height", po.perigeeKm, "km"}, {"apogee-height", po.apogeeKm, "km"},
		{"inclination", po.incDeg, "deg"}}
	if geo {
		f.Evidence = append(f.Evidence, Quantity{"mean-longitude", plon, "deg"})
	}
	for _, n := range near {
		f.Evidence = append(f.Evidence, Quantity{"neighbour", float64(n), "norad"})
	}
	if count <= c.UnoccupiedMaxNeighbours {
		f.Status = StatusDetected
		f.Confidence = 1 - float64(count)/float64(c.UnoccupiedMaxNeighbours+2)
	}
	return f
}

// isDebris says whether a catalog name marks debris; isRocketBody a rocket
// body (launch companions, not deployed objects).
func isDebris(name string) bool {
	u := strings.ToUpper(name)
	return strings.Contains(u, " DEB") || strings.HasPrefix(u, "DEB") || strings.Contains(u, "TBA - TO BE ASSIGNED")
}

func isRocketBody(name string) bool {
	u := strings.ToUpper(name)
	return strings.Contains(u, "R/B") || strings.Contains(u, "ROCKET BODY")
}

// launchSiblings returns the catalog objects of the primary's launch
// (international designator YYNNN), other than the primary.
func launchSiblings(primary gp.ElementSet, catalog []gp.ElementSet) []gp.ElementSet {
	l := launchOf(primary.IntlDesignator)
	var out []gp.ElementSet
	for _, e := range catalog {
		if e.CatalogNumber != primary.CatalogNumber && l != "" && launchOf(e.IntlDesignator) == l && e.Validate() == nil {
			out = append(out, e)
		}
	}
	return out
}

// subSats finds objects of the primary's launch catalogued after it (a
// larger catalog number), neither rocket bodies nor debris, whose perigee
// and apogee are within SubSatHeightKm and inclination within SubSatIncDeg
// of the primary's: objects that appeared near the parent. The RAAN
// difference is evidence of how recent the separation is (J2 precession
// separates the planes of orbits that differ).
func subSats(primary gp.ElementSet, catalog []gp.ElementSet, c Config) Finding {
	norad := primary.CatalogNumber
	const rule = "sub-sats.launch-siblings-near-parent"
	if len(catalog) == 0 {
		return insufficientFinding(SubSatsDeployed, primary.Epoch, rule, "no catalog snapshot given (--catalog)", norad)
	}
	if launchOf(primary.IntlDesignator) == "" {
		return insufficientFinding(SubSatsDeployed, primary.Epoch, rule, "the element set has no international designator", norad)
	}
	po := orbitOf(&primary)
	f := newFinding(SubSatsDeployed, norad)
	f.Time, f.RuleID = primary.Epoch, rule
	f.Rule = fmt.Sprintf("objects of launch %s catalogued after the parent (not R/B, not DEB) with perigee and apogee within ±%.0f km and inclination within ±%.2f° of the parent's",
		launchOf(primary.IntlDesignator), c.SubSatHeightKm, c.SubSatIncDeg)
	f.Thresholds = []Quantity{{"height-window", c.SubSatHeightKm, "km"}, {"inclination-window", c.SubSatIncDeg, "deg"}}
	sib := launchSiblings(primary, catalog)
	found := 0
	var latest time.Time
	for i := range sib {
		e := &sib[i]
		if e.CatalogNumber <= norad || isRocketBody(e.Name) || isDebris(e.Name) {
			continue
		}
		o := orbitOf(e)
		if math.Abs(o.perigeeKm-po.perigeeKm) > c.SubSatHeightKm || math.Abs(o.apogeeKm-po.apogeeKm) > c.SubSatHeightKm ||
			math.Abs(o.incDeg-po.incDeg) > c.SubSatIncDeg {
			continue
		}
		found++
		f.Objects = append(f.Objects, e.CatalogNumber)
		if e.Epoch.After(latest) {
			latest = e.Epoch
		}
		if found <= 20 {
			f.Evidence = append(f.Evidence, Quantity{fmt.Sprintf("%d-delta-sma", e.CatalogNumber), o.smaKm - po.smaKm, "km"},
				Quantity{fmt.Sprintf("%d-delta-raan", e.CatalogNumber), math.Remainder(o.raanDeg-po.raanDeg, 360), "deg"})
		}
	}
	f.Evidence = append([]Quantity{{"launch-siblings", float64(len(sib)), ""}, {"sub-satellites", float64(found), ""}}, f.Evidence...)
	if found > 0 {
		f.Status = StatusDetected
		f.Confidence = confidence(float64(found), 1)
		f.Notes = append(f.Notes, "a single catalog snapshot shows which siblings exist, not when they appeared; the catalog number order stands for the order of appearance")
	}
	return f
}

// debrisHigher finds debris of the primary's launch whose semi-major axis
// exceeds the parent's by DebrisHigherKm: debris normally separates with
// small Δv and decays faster, so debris well above its parent needs energy
// that a fragmentation rarely gives in bulk.
func debrisHigher(primary gp.ElementSet, catalog []gp.ElementSet, c Config) Finding {
	norad := primary.CatalogNumber
	const rule = "debris-higher.launch-debris-sma"
	if len(catalog) == 0 {
		return insufficientFinding(UnknownDebrisSMAHigherThanParent, primary.Epoch, rule, "no catalog snapshot given (--catalog)", norad)
	}
	if launchOf(primary.IntlDesignator) == "" {
		return insufficientFinding(UnknownDebrisSMAHigherThanParent, primary.Epoch, rule, "the element set has no international designator", norad)
	}
	if isDebris(primary.Name) || isRocketBody(primary.Name) {
		return insufficientFinding(UnknownDebrisSMAHigherThanParent, primary.Epoch, rule, "the object is itself debris or a rocket body, not a parent", norad)
	}
	po := orbitOf(&primary)
	f := newFinding(UnknownDebrisSMAHigherThanParent, norad)
	f.Time, f.RuleID = primary.Epoch, rule
	f.Rule = fmt.Sprintf("debris of launch %s with semi-major axis more than %.0f km above the parent's", launchOf(primary.IntlDesignator), c.DebrisHigherKm)
	f.Thresholds = []Quantity{{"min-sma-excess", c.DebrisHigherKm, "km"}}
	n, deb := 0, 0
	best := 0.0
	for _, e := range launchSiblings(primary, catalog) {
		if !isDebris(e.Name) {
			continue
		}
		deb++
		if d := e.SemiMajorAxisKm() - po.smaKm; d > c.DebrisHigherKm {
			n++
			f.Objects = append(f.Objects, e.CatalogNumber)
			best = math.Max(best, d)
			if n <= 20 {
				f.Evidence = append(f.Evidence, Quantity{fmt.Sprintf("%d-sma-excess", e.CatalogNumber), d, "km"})
			}
		}
	}
	f.Evidence = append([]Quantity{{"launch-debris", float64(deb), ""}, {"debris-higher", float64(n), ""}}, f.Evidence...)
	if n > 0 {
		f.Status = StatusDetected
		f.Confidence = confidence(best, c.DebrisHigherKm)
	}
	return f
}
