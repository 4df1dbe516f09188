package main

import (
	"fmt"
	"os"
	"time"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/conjunction"
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
	in := conjunction.CDMInputs{
		Created: created, ScreenStart: res.Start, ScreenEnd: res.End,
		Pc: e.Pc.Pc, PcMethod: "FOSTER-1992", PcMaxAlfano2005: e.PcMax.Pc, HardBodyRadiusM: e.Pc.HardBodyRadiusM,
	}
	if es := byNorad[e.Norad1]; es != nil {
		in.COSPAR1 = es.IntlDesignator
	}
	if es := byNorad[e.Norad2]; es != nil {
		in.COSPAR2 = es.IntlDesignator
	}
	return e.Event.CDM(in)
}
