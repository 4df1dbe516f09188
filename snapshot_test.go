//go:build cgo && linux

package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSnapshotFullCatalog renders the 24,132-object catalog with no display
// and checks the PNG is the requested size and really drawn (the Earth's
// imagery and thousands of points give thousands of distinct colours). The
// image is kept under bin/artifacts for a person to look at.
func TestSnapshotFullCatalog(t *testing.T) {
	cat := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	out := filepath.Join(t.TempDir(), "view.png")
	r := runCLI(t, "snapshot", "--catalog", cat, "--at", "2022-07-15T12:00:00Z", "--out", out, "--size", "960x540", "--select", "25544")
	if r.code != 0 {
		if os.Getenv("ASTROSHIELD_REQUIRE_GL") != "1" && strings.Contains(r.stderr, "EGL") {
			t.Skipf("no EGL here: %s", r.stderr)
		}
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "24132 objects") {
		t.Errorf("summary: %q", r.stdout)
	}
	fh, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 960 || b.Dy() != 540 {
		t.Fatalf("size %v", b)
	}
	colours := map[[3]uint32]bool{}
	for y := 0; y < 540; y += 2 {
		for x := 0; x < 960; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, b >> 8}] = true
		}
	}
	if len(colours) < 2000 {
		t.Errorf("only %d distinct colours: a blank or flat image", len(colours))
	}
	if data, err := os.ReadFile(out); err == nil {
		os.MkdirAll(filepath.Join("bin", "artifacts"), 0o755)
		os.WriteFile(filepath.Join("bin", "artifacts", "snapshot-full-catalog.png"), data, 0o644)
	}
}

func TestSnapshotBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"snapshot"},
		{"snapshot", "--out", "x.png", "--size", "big"},
		{"snapshot", "--out", "x.png", "--at", "yesterday"},
		{"snapshot", "--out", "x.png", "--distance-km", "5"},
	} {
		if r := runCLI(t, args...); r.code != 2 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	tle := writeTemp(t, "iss.tle", issTLE)
	if r := runCLI(t, "snapshot", "--catalog", tle, "--out", filepath.Join(t.TempDir(), "v.png"), "--select", "99999"); r.code != 2 || !strings.Contains(r.stderr, "99999") {
		t.Errorf("unknown --select: exit %d, %q", r.code, r.stderr)
	}
}
