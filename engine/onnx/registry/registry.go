// Package registry keeps versions of model files in a directory with a JSON manifest: metadata, sha256, the active version, an A/B split of objects by a stable hash, and per-version outcome counts.
package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// ManifestName is the manifest's file name inside the registry directory.
const ManifestName = "manifest.json"

// Errors.
var (
	ErrNotFound = errors.New("registry: no such version")
	ErrChecksum = errors.New("registry: model file does not match its sha256")
	ErrInvalid  = errors.New("registry: invalid request")
)

// Version is one registered model file.
type Version struct {
	Name      string    `json:"name"` // v1, v2, …
	File      string    `json:"file"` // relative to the registry directory
	SHA256    string    `json:"sha256"`
	Bytes     int       `json:"bytes"`
	CreatedAt time.Time `json:"created_at"`
	// Kind says what the model is (e.g. "maneuver-rescorer").
	Kind string `json:"kind"`
	// Training describes the data and configuration it was trained on.
	Training map[string]string `json:"training,omitempty"`
	// Metrics are evaluation figures at registration (e.g. held-out F1).
	Metrics map[string]float64 `json:"metrics,omitempty"`
	// Outcomes are counts recorded while the version is used.
	Outcomes Outcomes `json:"outcomes"`
}

// Outcomes are event-level counts accumulated by RecordOutcome.
type Outcomes struct {
	TruePositives  int `json:"true_positives"`
	FalsePositives int `json:"false_positives"`
	FalseNegatives int `json:"false_negatives"`
	Scored         int `json:"objects_scored"`
}

// Precision is TP/(TP+FP), or 0 with no detections.
func (o Outcomes) Precision() float64 {
	if n := o.TruePositives + o.FalsePositives; n > 0 {
		return float64(o.TruePositives) / float64(n)
	}
	return 0
}

// Recall is TP/(TP+FN), or 0 with no truth.
func (o Outcomes) Recall() float64 {
	if n := o.TruePositives + o.FalseNegatives; n > 0 {
		return float64(o.TruePositives) / float64(n)
	}
	return 0
}

// AB splits objects between two versions: B gets the objects whose bucket
// (Bucket of the catalog number, 0–99) is below BPercent.
type AB struct {
	A        string `json:"a"`
	B        string `json:"b"`
	BPercent int    `json:"b_percent"`
}

// Manifest is the registry's JSON file.
type Manifest struct {
	Active   string    `json:"active,omitempty"`
	AB       *AB       `json:"ab,omitempty"`
	Versions []Version `json:"versions"`
}

// Registry is a model directory. Methods re-read the manifest and write it
// atomically (temporary file, rename); it is not safe for concurrent
// writers in several processes.
type Registry struct {
	Dir string
}

// Open returns the registry in dir, creating the directory when needed.
func Open(dir string) (*Registry, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	return &Registry{Dir: dir}, nil
}

// Manifest reads the manifest (empty when there is none yet).
func (r *Registry) Manifest() (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(r.Dir, ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("registry: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("registry: %s: %w", ManifestName, err)
	}
	return m, nil
}

func (r *Registry) write(m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	return writeAtomic(filepath.Join(r.Dir, ManifestName), append(b, '\n'))
}

func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	_, werr := f.Write(b)
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("registry: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("registry: %w", err)
	}
	return nil
}

func (m *Manifest) find(name string) (int, error) {
	for i := range m.Versions {
		if m.Versions[i].Name == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("%w: %q", ErrNotFound, name)
}

// Add stores a model file as the next version (v1, v2, …) with its sha256
// and returns the entry. The first version becomes active.
func (r *Registry) Add(model []byte, kind string, training map[string]string, metrics map[string]float64, now time.Time) (Version, error) {
	m, err := r.Manifest()
	if err != nil {
		return Version{}, err
	}
	n := 0
	for _, v := range m.Versions {
		if k, err := strconv.Atoi(v.Name[1:]); err == nil && v.Name[0] == 'v' {
			n = max(n, k)
		}
	}
	sum := sha256.Sum256(model)
	v := Version{Name: "v" + strconv.Itoa(n+1), SHA256: hex.EncodeToString(sum[:]), Bytes: len(model),
		CreatedAt: now.UTC().Truncate(time.Second), Kind: kind, Training: training, Metrics: metrics}
	v.File = v.Name + ".onnx"
	if err := writeAtomic(filepath.Join(r.Dir, v.File), model); err != nil {
		return v, err
	}
	m.Versions = append(m.Versions, v)
	if m.Active == "" {
		m.Active = v.Name
	}
	return v, r.write(m)
}

// Load returns a version's file after checking its sha256; "" means the
// active version.
func (r *Registry) Load(name string) (Version, []byte, error) {
	m, err := r.Manifest()
	if err != nil {
		return Version{}, nil, err
	}
	if name == "" {
		if m.Active == "" {
			return Version{}, nil, fmt.Errorf("%w: no active version in %s", ErrNotFound, r.Dir)
		}
		name = m.Active
	}
	i, err := m.find(name)
	if err != nil {
		return Version{}, nil, err
	}
	v := m.Versions[i]
	b, err := os.ReadFile(filepath.Join(r.Dir, filepath.Base(v.File)))
	if err != nil {
		return v, nil, fmt.Errorf("registry: %w", err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != v.SHA256 {
		return v, nil, fmt.Errorf("%w: %s", ErrChecksum, v.File)
	}
	return v, b, nil
}

// SetActive selects the version used by default.
func (r *Registry) SetActive(name string) error {
	m, err := r.Manifest()
	if err != nil {
		return err
	}
	if _, err := m.find(name); err != nil {
		return err
	}
	m.Active = name
	return r.write(m)
}

// SetAB splits objects between versions a and b (bPercent of the buckets
// to b); bPercent 0 ends the test.
func (r *Registry) SetAB(a, b string, bPercent int) error {
	m, err := r.Manifest()
	if err != nil {
		return err
	}
	if bPercent == 0 {
		m.AB = nil
		return r.write(m)
	}
	if bPercent < 0 || bPercent > 100 || a == b {
		return fmt.Errorf("%w: A/B %q/%q at %d%%", ErrInvalid, a, b, bPercent)
	}
	for _, n := range []string{a, b} {
		if _, err := m.find(n); err != nil {
			return err
		}
	}
	m.AB = &AB{A: a, B: b, BPercent: bPercent}
	return r.write(m)
}

// Bucket is the stable A/B bucket (0–99) of a catalog number: FNV-1a
// (64-bit) of "astroshield-ab:<norad>" modulo 100. It depends on nothing
// but the number, so an object stays in its arm across runs and machines.
func Bucket(norad int) int {
	h := fnv.New64a()
	h.Write([]byte("astroshield-ab:" + strconv.Itoa(norad)))
	return int(h.Sum64() % 100)
}

// Assign returns the version that scores an object: the A/B arm when a
// test is set, else the active version.
func (m Manifest) Assign(norad int) string {
	if m.AB != nil {
		if Bucket(norad) < m.AB.BPercent {
			return m.AB.B
		}
		return m.AB.A
	}
	return m.Active
}

// RecordOutcome adds event-level counts for one scored object to a version.
func (r *Registry) RecordOutcome(name string, tp, fp, fn int) error {
	if tp < 0 || fp < 0 || fn < 0 {
		return fmt.Errorf("%w: negative counts", ErrInvalid)
	}
	m, err := r.Manifest()
	if err != nil {
		return err
	}
	i, err := m.find(name)
	if err != nil {
		return err
	}
	o := &m.Versions[i].Outcomes
	o.TruePositives += tp
	o.FalsePositives += fp
	o.FalseNegatives += fn
	o.Scored++
	return r.write(m)
}

// Names lists the version names in registration order.
func (m Manifest) Names() []string {
	out := make([]string, len(m.Versions))
	for i, v := range m.Versions {
		out[i] = v.Name
	}
	return slices.Clip(out)
}
