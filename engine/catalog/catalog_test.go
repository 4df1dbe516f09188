package catalog

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/astroshield/astroshield/engine/internal/refdata"
)

func TestReadFileCatalogs(t *testing.T) {
	for name, want := range map[string]int{
		"full_catalog_3le_2022-07-15.txt": 24132,
		"leo_payloads_3le_2026-06-10.txt": 16032,
	} {
		sets, recErrs, err := ReadFile(refdata.Path(t, "catalog", name))
		if err != nil || recErrs != nil {
			t.Fatalf("%s: err %v, record errors %v", name, err, recErrs)
		}
		if len(sets) != want {
			t.Errorf("%s: %d element sets, want %d", name, len(sets), want)
		}
	}
}

func TestParseOMMAndErrors(t *testing.T) {
	omm := `[{"OBJECT_NAME":"ISS (ZARYA)","OBJECT_ID":"1998-067A","EPOCH":"2024-01-01T12:00:00.000000","MEAN_MOTION":15.5,"ECCENTRICITY":0.0005,"INCLINATION":51.64,"RA_OF_ASC_NODE":10,"ARG_OF_PERICENTER":20,"MEAN_ANOMALY":30,"EPHEMERIS_TYPE":0,"CLASSIFICATION_TYPE":"U","NORAD_CAT_ID":25544,"ELEMENT_SET_NO":999,"REV_AT_EPOCH":1,"BSTAR":0.0001,"MEAN_MOTION_DOT":0.0001,"MEAN_MOTION_DDOT":0}]`
	sets, recErrs, err := Parse([]byte(omm), "iss.json")
	if err != nil || recErrs != nil || len(sets) != 1 || sets[0].CatalogNumber != 25544 {
		t.Fatalf("OMM JSON: %v %v %+v", err, recErrs, sets)
	}
	if sets, recErrs, err := Parse([]byte("hello\n"), "junk.txt"); len(sets) != 0 || (err == nil && recErrs == nil) {
		t.Error("junk accepted")
	}
	if _, _, err := Parse([]byte("{not json"), "bad.json"); err == nil {
		t.Error("broken JSON accepted")
	}
	if _, _, err := ReadFile(filepath.Join(t.TempDir(), "missing")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

func TestLooksLikeOMM(t *testing.T) {
	for in, want := range map[string]bool{
		"  [{}]": true, "<ndm>": true, "CCSDS_OMM_VERS = 2.0": true,
		"OBJECT_NAME,OBJECT_ID,EPOCH,NORAD_CAT_ID\n": true,
		"ISS\n1 25544U": false, "": false,
	} {
		if got := LooksLikeOMM([]byte(in)); got != want {
			t.Errorf("LooksLikeOMM(%q) = %v", in, got)
		}
	}
}
