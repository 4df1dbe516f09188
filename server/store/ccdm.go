package store

import (
	"context"
	"time"
)

// Indicator is one CCDM indicator that fired for an object: a finding of
// engine/ccdm with status detected, kept with the rule and evidence it
// rests on. Indicators that could not be judged (insufficient data) are
// not stored as indicators; the object's Assessment lists them.
type Indicator struct {
	ID    int64
	NORAD int
	// Kind is the Welders Arc SS4 indicator name, e.g. "maneuvers-detected".
	Kind string
	// Pattern is the sub-classification where the rule has one (the
	// manoeuvre kind, the proximity pattern); "" otherwise.
	Pattern string
	// Value is the finding's confidence in [0, 1] (monotone, not a
	// calibrated probability).
	Value float64
	// Epoch is when the finding applies: the event epoch, or the
	// assessment epoch for a rule on the state.
	Epoch time.Time
	// WindowStart and WindowEnd are the first and last element-set epochs
	// the analysis used.
	WindowStart, WindowEnd time.Time
	// Method is the rule's identifier (engine/ccdm Finding.RuleID).
	Method string
	// Detail is the finding as JSON (rule text, thresholds, evidence with
	// units, objects involved, notes).
	Detail    string
	CreatedAt time.Time
}

// IndicatorQuery filters and pages indicators by ID.
type IndicatorQuery struct {
	NORAD int    // 0: every object
	Kind  string // "": every kind
	After int64  // ID cursor: indicators with a greater ID
	Limit int
}

// Assessment statuses.
const (
	// AssessmentAssessed: at least one indicator could be judged; Level
	// and Score hold the combined threat.
	AssessmentAssessed = "assessed"
	// AssessmentInsufficient: no indicator could be judged; Level is empty
	// and Summary says why.
	AssessmentInsufficient = "insufficient-data"
)

// Assessment is the combined CCDM threat assessment of one object at one
// assessment epoch (one per NORAD and At; a later analysis at the same
// epoch replaces it).
type Assessment struct {
	ID    int64
	NORAD int
	// At is the assessment epoch (the newest element set used).
	At     time.Time
	Status string // AssessmentAssessed or AssessmentInsufficient
	// Level is NONE, LOW, MEDIUM, HIGH or CRITICAL; "" with insufficient data.
	Level string
	Score float64
	// IndicatorIDs are the stored indicators the score rests on.
	IndicatorIDs []int64
	// WindowStart and WindowEnd are the first and last element-set epochs
	// used; SetsUsed how many.
	WindowStart, WindowEnd time.Time
	SetsUsed               int
	// Method states how the score is combined.
	Method string
	// Summary is JSON: the reasons with weights, the indicators not
	// assessed and why, notes.
	Summary   string
	CreatedAt time.Time
}

// Model is the metadata of one registered model file (engine/onnx/registry
// version); the file itself stays in the registry directory.
type Model struct {
	ID     string // "<kind>/<version>", e.g. "maneuver-rescorer/v2"
	Name   string // registry version name, e.g. "v2"
	Kind   string
	SHA256 string // hex
	Bytes  int64
	Active bool // the registry's active version of its kind
	// Detail is JSON: training description, metrics, outcome counts.
	Detail    string
	CreatedAt time.Time
}

// CCDMReader reads indicators, assessments and models.
type CCDMReader interface {
	// Indicators returns at most q.Limit indicators with ID > q.After in
	// ascending ID order.
	Indicators(ctx context.Context, q IndicatorQuery) ([]Indicator, error)
	// Assessment is an object's newest assessment (latest At); ErrNotFound
	// when it has none.
	Assessment(ctx context.Context, norad int) (Assessment, error)
	// Assessments returns at most limit assessments with ID > after in
	// ascending ID order, optionally of one object (norad ≠ 0).
	Assessments(ctx context.Context, norad int, after int64, limit int) ([]Assessment, error)
	// Models lists registered models by ID.
	Models(ctx context.Context) ([]Model, error)
}

// CCDMStore is the CCDM part of the storage, implemented by the same types
// as Store (reads outside a transaction).
type CCDMStore interface {
	CCDMReader
}

// CCDMTx is the CCDM part of a write transaction, implemented by the same
// types as Tx: the server type-asserts a Tx to it.
type CCDMTx interface {
	CCDMReader
	// AddIndicator stores i and returns it with its ID; false (and the
	// stored one) when an indicator of the same NORAD, Kind, Pattern and
	// Epoch is stored already, so that re-analysing a history adds only
	// what is new.
	AddIndicator(ctx context.Context, i Indicator) (Indicator, bool, error)
	// PutAssessment stores a, replacing the one of the same NORAD and At.
	PutAssessment(ctx context.Context, a Assessment) (Assessment, error)
	// PutModel stores or replaces (by ID) a model's metadata.
	PutModel(ctx context.Context, m Model) error
}
