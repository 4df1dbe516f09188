package registry

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRegistryLifecycle(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)
	v1, err := r.Add([]byte("model one"), "test", map[string]string{"cases": "a,b"}, map[string]float64{"f1": 0.5}, now)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := r.Add([]byte("model two"), "test", nil, map[string]float64{"f1": 0.6}, now)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Name != "v1" || v2.Name != "v2" || len(v1.SHA256) != 64 || v1.SHA256 == v2.SHA256 {
		t.Fatalf("versions %+v %+v", v1, v2)
	}
	m, _ := r.Manifest()
	if m.Active != "v1" {
		t.Fatalf("active %q, want the first version", m.Active)
	}
	if err := r.SetActive("v2"); err != nil {
		t.Fatal(err)
	}
	v, b, err := r.Load("")
	if err != nil || v.Name != "v2" || string(b) != "model two" {
		t.Fatalf("Load active: %v %q %v", v.Name, b, err)
	}
	if err := r.SetActive("v9"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("SetActive v9: %v", err)
	}
	// A corrupted file is refused.
	if err := os.WriteFile(filepath.Join(dir, "v1.onnx"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Load("v1"); !errors.Is(err, ErrChecksum) {
		t.Fatalf("tampered file: %v", err)
	}
	// A/B split: stable, about the requested share, both arms used.
	if err := r.SetAB("v1", "v2", 30); err != nil {
		t.Fatal(err)
	}
	m, _ = r.Manifest()
	nb := 0
	for norad := 1; norad <= 10000; norad++ {
		a := m.Assign(norad)
		if a != m.Assign(norad) {
			t.Fatal("assignment not stable")
		}
		if a == "v2" {
			nb++
		} else if a != "v1" {
			t.Fatalf("assigned %q", a)
		}
	}
	if nb < 2700 || nb > 3300 {
		t.Errorf("B arm got %d of 10000 objects, want about 3000", nb)
	}
	if b := Bucket(25544); b < 0 || b > 99 {
		t.Error("bucket out of range")
	}
	if err := r.SetAB("v1", "v1", 50); !errors.Is(err, ErrInvalid) {
		t.Errorf("A/B with one version: %v", err)
	}
	if err := r.RecordOutcome("v2", 3, 1, 2); err != nil {
		t.Fatal(err)
	}
	if err := r.RecordOutcome("v2", 1, 0, 0); err != nil {
		t.Fatal(err)
	}
	m, _ = r.Manifest()
	o := m.Versions[1].Outcomes
	if o.TruePositives != 4 || o.FalsePositives != 1 || o.FalseNegatives != 2 || o.Scored != 2 || o.Precision() != 0.8 {
		t.Fatalf("outcomes %+v", o)
	}
	// The manifest survives a reopen.
	r2, _ := Open(dir)
	m2, err := r2.Manifest()
	if err != nil || m2.Active != "v2" || m2.AB == nil || m2.AB.BPercent != 30 || len(m2.Versions) != 2 {
		t.Fatalf("reopened manifest %+v %v", m2, err)
	}
	if err := r.SetAB("", "", 0); err != nil {
		t.Fatal(err)
	}
	if m, _ := r.Manifest(); m.AB != nil || m.Assign(7) != "v2" {
		t.Fatal("ending the A/B test did not return to the active version")
	}
}
