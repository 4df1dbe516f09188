package api

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/sgp4"
	"github.com/astroshield/astroshield/engine/tle"
)

func TestCDMImportExport(t *testing.T) {
	dir := testdata(t)
	e := newEnv(t)
	op := e.login("operator").AccessToken
	for _, name := range []string{"CDMExample1.txt", "CDMExample1.xml"} {
		data, err := os.ReadFile(filepath.Join(dir, "ccsds", "cdm", "valid", name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := ccsds.ParseCDM(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		r := e.do("POST", "/api/v1/cdms", data, bearer(op)...)
		if r.status != 201 {
			t.Fatalf("%s: %d %s", name, r.status, r.body)
		}
		var c cdmJSON
		r.json(t, &c)
		if c.MessageID != want.Header.MessageID || !c.TCA.Equal(want.Relative.TCA) || math.Abs(c.MissDistanceKm*1000-want.Relative.MissDistanceM) > 1e-9 {
			t.Fatalf("%s stored as %+v", name, c)
		}
		exp := e.do("GET", "/api/v1/cdms/"+itoa(int(c.ID)), nil, bearer(e.login("viewer").AccessToken)...)
		got, err := ccsds.ParseCDM(bytes.NewReader(exp.body))
		if exp.status != 200 || err != nil {
			t.Fatalf("export: %d %v", exp.status, err)
		}
		if got.Header.MessageID != want.Header.MessageID || !got.Relative.TCA.Equal(want.Relative.TCA) || got.Relative.MissDistanceM != want.Relative.MissDistanceM ||
			got.Objects[1].ObjectDesignator != want.Objects[1].ObjectDesignator {
			t.Fatalf("%s: export does not round-trip", name)
		}
	}
	bad, _ := os.ReadDir(filepath.Join(dir, "ccsds", "cdm", "invalid"))
	for _, f := range bad {
		data, _ := os.ReadFile(filepath.Join(dir, "ccsds", "cdm", "invalid", f.Name()))
		if r := e.do("POST", "/api/v1/cdms", data, bearer(op)...); r.status != 400 {
			t.Errorf("invalid %s: %d", f.Name(), r.status)
		}
	}
}

func TestManeuverDetectionAndEphemeris(t *testing.T) {
	dir := testdata(t)
	e := newEnv(t)
	tok := e.login("analyst").AccessToken
	data, err := os.ReadFile(filepath.Join(dir, "catalog", "history", "iss_25544_3le_2021-01-01_to_2022-03-03.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r := e.do("POST", "/api/v1/elements", data, bearer(tok)...)
	var imp struct{ Added, Duplicates int }
	r.json(t, &imp)
	if r.status != 200 || imp.Added < 100 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	var hist struct {
		ElementSets []elementSetJSON `json:"element_sets"`
	}
	e.do("GET", "/api/v1/objects/25544/elements?limit=5", nil, bearer(tok)...).json(t, &hist)
	if len(hist.ElementSets) != 5 || !hist.ElementSets[0].Epoch.After(hist.ElementSets[4].Epoch) {
		t.Fatalf("history page: %+v", hist)
	}
	r = e.do("POST", "/api/v1/objects/25544/maneuvers/detect", nil, bearer(tok)...)
	var det struct {
		Status string
		Events int
		New    []maneuverJSON
	}
	r.json(t, &det)
	if r.status != 200 || det.Status != "ok" || det.Events == 0 || len(det.New) != det.Events {
		t.Fatalf("detect: %d %s", r.status, r.body)
	}
	// A second run finds the same manoeuvres and stores none twice.
	e.do("POST", "/api/v1/objects/25544/maneuvers/detect", nil, bearer(tok)...).json(t, &det)
	if len(det.New) != 0 {
		t.Fatalf("second run stored %d again", len(det.New))
	}
	var ms struct{ Maneuvers []maneuverJSON }
	e.do("GET", "/api/v1/maneuvers?norad=25544", nil, bearer(tok)...).json(t, &ms)
	if len(ms.Maneuvers) != det.Events {
		t.Fatalf("%d stored, %d detected", len(ms.Maneuvers), det.Events)
	}
	t.Logf("ISS 2021-01..2022-03: %d manoeuvres detected", det.Events)

	// Ephemeris equals the engine's own propagation of the newest set.
	sets, _ := tle.ReadAll(bytes.NewReader(data), tle.Options{})
	newest := sets[0]
	for _, s := range sets {
		if s.Epoch.After(newest.Epoch) {
			newest = s
		}
	}
	sat, err := sgp4.New(newest)
	if err != nil {
		t.Fatal(err)
	}
	start := newest.Epoch.Add(time.Hour).UTC().Truncate(time.Second)
	r = e.do("GET", "/api/v1/objects/25544/ephemeris?start="+start.Format(time.RFC3339)+"&stop="+start.Add(10*time.Minute).Format(time.RFC3339)+"&step_s=300", nil, bearer(e.login("viewer").AccessToken)...)
	var eph struct {
		Frame  string
		States []stateJSON
	}
	if err := json.Unmarshal(r.body, &eph); err != nil || r.status != 200 || eph.Frame != "TEME" || len(eph.States) != 3 {
		t.Fatalf("ephemeris: %d %s", r.status, r.body)
	}
	for _, s := range eph.States {
		rr, _, err := sat.At(s.T)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if math.Abs(rr[i]-s.RTEMEKm[i]) > 1e-6 {
				t.Fatalf("state at %s differs from sgp4: %v vs %v", s.T, s.RTEMEKm, rr)
			}
		}
	}
	var objs struct{ Objects []objectJSON }
	e.do("GET", "/api/v1/objects?cospar=98067", nil, bearer(tok)...).json(t, &objs)
	if len(objs.Objects) != 1 || !strings.Contains(objs.Objects[0].Name, "ISS") {
		t.Fatalf("cospar search: %+v", objs)
	}
}
