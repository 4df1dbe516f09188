package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	asapp "github.com/astroshield/astroshield/app"
	"github.com/astroshield/astroshield/engine/catalog"
)

// TestScreenDesktopExportsMatchCLI screens the same catalog in the CLI and
// through the desktop's analysis path (app.Catalog + EventsFromScreening),
// and requires the desktop's CSV and CDM exports to equal the CLI's bytes:
// the two must never disagree on a number for the same inputs.
func TestScreenDesktopExportsMatchCLI(t *testing.T) {
	cliCSV := screenISS(t, "--quiet").stdout
	cdmDir := t.TempDir()
	screenISS(t, "--quiet", "--format", "cdm", "--out", cdmDir)

	path := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	sets, _, err := catalog.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cat := asapp.NewCatalog(sets, path)
	start, _ := time.Parse(time.RFC3339, screenStart)
	req := asapp.ScreenRequest{Start: start, Span: 24 * time.Hour, ThresholdKm: 10, Primaries: []int{25544, 48274}, HardBodyRadiusM: asapp.DefaultHardBodyRadiusM}
	res, evs, err := asapp.ScreenCatalog(t.Context(), cat, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	var appCSV bytes.Buffer
	if err := asapp.WriteEventsCSV(&appCSV, evs); err != nil {
		t.Fatal(err)
	}
	if appCSV.String() != cliCSV {
		t.Errorf("desktop CSV differs from the CLI's\n--- desktop\n%s--- cli\n%s", appCSV.String(), cliCSV)
	}
	if len(evs) == 0 || res == nil {
		t.Fatal("no events")
	}
	for _, e := range evs {
		cli, err := os.ReadFile(filepath.Join(cdmDir, asapp.EventCDMFileName(e)))
		if err != nil {
			t.Fatalf("CLI wrote no CDM for %d/%d: %v", e.Norad1, e.Norad2, err)
		}
		var app bytes.Buffer
		if err := asapp.WriteEventCDM(&app, e, cat, time.Now()); err != nil {
			t.Fatal(err)
		}
		if a, c := dropCreationDate(app.String()), dropCreationDate(string(cli)); a != c {
			t.Errorf("CDM %s differs\n--- desktop\n%s--- cli\n%s", asapp.EventCDMFileName(e), a, c)
		}
	}
}

func dropCreationDate(kvn string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(kvn, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "CREATION_DATE") {
			b.WriteString(l)
		}
	}
	return b.String()
}
