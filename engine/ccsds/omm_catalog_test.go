package ccsds

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/internal/refdata"
	"github.com/astroshield/astroshield/engine/tle"
)

// Both real catalog snapshots, turned into OMMs and written in every syntax,
// decode with zero failures and give back the same element sets.
func TestOMMCatalogSnapshotsRoundTrip(t *testing.T) {
	writers := []struct {
		name  string
		write func(io.Writer, []OMM) error
	}{
		{"kvn", WriteOMMKVN}, {"xml", WriteOMMXML}, {"json", WriteOMMJSON}, {"csv", WriteOMMCSV},
	}
	for _, cat := range []struct {
		file string
		want int
	}{
		{"full_catalog_3le_2022-07-15.txt", 24132},
		{"leo_payloads_3le_2026-06-10.txt", 16032},
	} {
		f, err := os.Open(refdata.Path(t, "catalog", cat.file))
		if err != nil {
			t.Fatal(err)
		}
		sets, err := tle.ReadAll(f, tle.Options{})
		f.Close()
		if err != nil || len(sets) != cat.want {
			t.Fatalf("%s: %d sets, err %v", cat.file, len(sets), err)
		}
		msgs := make([]OMM, len(sets))
		for i, e := range sets {
			msgs[i] = OMMFromElementSet(e)
		}
		for _, w := range writers {
			t.Run(cat.file+"/"+w.name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := w.write(&buf, msgs); err != nil {
					t.Fatal(err)
				}
				got, err := DecodeOMM(&buf)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(sets) {
					t.Fatalf("decoded %d OMMs, want %d", len(got), len(sets))
				}
				var bad int
				for i := range got {
					e, err := got[i].ElementSet()
					if err != nil || !sameElements(e, sets[i]) {
						if bad++; bad <= 3 {
							t.Errorf("object %d (%d): err %v\n got %+v\nwant %+v", i, sets[i].CatalogNumber, err, e, sets[i])
						}
					}
				}
				if bad > 0 {
					t.Errorf("%d of %d objects did not round-trip", bad, len(got))
				}
			})
		}
	}
}

// sameElements compares the fields an OMM carries (the name and
// classification pass through too).
func sameElements(a, b gp.ElementSet) bool {
	return a.CatalogNumber == b.CatalogNumber && a.Name == b.Name && a.IntlDesignator == b.IntlDesignator &&
		a.Epoch.Equal(b.Epoch) && a.MeanMotionRevPerDay == b.MeanMotionRevPerDay &&
		a.Eccentricity == b.Eccentricity && a.InclinationDeg == b.InclinationDeg && a.RAANDeg == b.RAANDeg &&
		a.ArgPerigeeDeg == b.ArgPerigeeDeg && a.MeanAnomalyDeg == b.MeanAnomalyDeg &&
		a.MeanMotionDotRevDay2 == b.MeanMotionDotRevDay2 && a.MeanMotionDdotRevDay3 == b.MeanMotionDdotRevDay3 &&
		a.BStarPerEarthRadius == b.BStarPerEarthRadius && a.ElementSetNumber == b.ElementSetNumber &&
		a.RevAtEpoch == b.RevAtEpoch
}
