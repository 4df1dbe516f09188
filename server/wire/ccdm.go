package wire

import (
	"encoding/json"
	"time"
)

// CCDM indicators, threat assessments and registered models.
//
//	GET  /api/v1/objects/{norad}/indicators  IndicatorPage (kind, after, limit)
//	GET  /api/v1/indicators                  IndicatorPage (norad, kind, after, limit)
//	GET  /api/v1/objects/{norad}/assessment  Assessment (the newest), 404 before the first analysis
//	GET  /api/v1/assessments                 AssessmentPage (norad, after, limit)
//	POST /api/v1/objects/{norad}/ccdm        CCDMRequest (optional) -> CCDMAnswer
//	GET  /api/v1/models                      ModelList
//
// Pages are in ID order; NextAfter, when set, is the after of the next page.
// The server analyses each object that an import adds element sets to and
// publishes on the ccdm channel KindIndicatorDetected (payload Indicator)
// for each indicator that fired and was not stored before, and
// KindAssessmentUpdated (payload Assessment) when the object's threat level
// changes or a level above NONE rests on other indicators; manoeuvres the
// analysis detects also go out on the maneuvers channel.

// Feed kinds on the ccdm channel.
const (
	KindIndicatorDetected = "indicator.detected"
	KindAssessmentUpdated = "assessment.updated"
)

// Assessment statuses.
const (
	AssessmentAssessed     = "assessed"          // Level and Score hold the threat
	AssessmentInsufficient = "insufficient-data" // nothing could be judged; Level is null
)

// Indicator is a CCDM indicator (Welders Arc SS4 name) that fired for an object.
type Indicator struct {
	ID        int64  `json:"id"`
	NORAD     int    `json:"norad"`
	Indicator string `json:"indicator"` // e.g. maneuvers-detected
	Topic     string `json:"topic"`     // ss4.indicators.<indicator>
	Pattern   string `json:"pattern,omitempty"`
	// Confidence in [0, 1]: monotone in how far the evidence passes the
	// rule's threshold, not a calibrated probability.
	Confidence float64 `json:"confidence"`
	// Epoch is when the finding applies (the event, or the assessment epoch).
	Epoch time.Time `json:"epoch"`
	// WindowStart and WindowEnd are the first and last element-set epochs
	// the analysis used.
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
	Method      string    `json:"method"` // rule identifier
	// Detail is the engine's finding: rule, thresholds and evidence with
	// units, objects involved, notes.
	Detail    json.RawMessage `json:"detail"`
	CreatedAt time.Time       `json:"created_at"`
}

// Assessment is the combined CCDM threat of one object at one epoch.
type Assessment struct {
	ID     int64     `json:"id"`
	NORAD  int       `json:"norad"`
	At     time.Time `json:"assessment_epoch"`
	Status string    `json:"status"` // AssessmentAssessed or AssessmentInsufficient
	// Level is NONE, LOW, MEDIUM, HIGH or CRITICAL; null with insufficient data.
	Level        *string   `json:"level"`
	Score        float64   `json:"score"`
	IndicatorIDs []int64   `json:"indicator_ids"` // the indicators the score rests on
	WindowStart  time.Time `json:"window_start"`
	WindowEnd    time.Time `json:"window_end"`
	SetsUsed     int       `json:"element_sets_used"`
	Method       string    `json:"method"`
	// Summary decodes as CCDMSummary.
	Summary   json.RawMessage `json:"summary"`
	CreatedAt time.Time       `json:"created_at"`
}

// CCDMSummary explains an assessment.
type CCDMSummary struct {
	Regime       string         `json:"regime,omitempty"`
	Reasons      []ThreatReason `json:"reasons"`    // contributions to the score, largest first
	CCDMTypes    []string       `json:"ccdm_types"` // MANEUVERING, DECEPTION, CONCEALMENT, MULTIPLE
	Detected     []string       `json:"detected"`
	NotDetected  []string       `json:"not_detected"`
	Insufficient []NotJudged    `json:"insufficient_data"` // could not be judged from this data, and why
	NotAssessed  []NotJudged    `json:"not_assessed"`      // need data element sets do not carry
	Catalog      int            `json:"catalog_objects"`   // catalog snapshot used (0: none)
	Notes        []string       `json:"notes,omitempty"`
	Reason       string         `json:"reason,omitempty"` // why nothing could be judged
}

// ThreatReason is one contribution to the threat score.
type ThreatReason struct {
	Indicator    string    `json:"indicator"`
	Pattern      string    `json:"pattern,omitempty"`
	Weight       float64   `json:"weight"`
	Confidence   float64   `json:"confidence"`
	Contribution float64   `json:"contribution"`
	Why          string    `json:"why"`
	Time         time.Time `json:"time"`
	Objects      []int     `json:"objects"`
}

// NotJudged is an indicator without a finding, with the reason.
type NotJudged struct {
	Indicator string `json:"indicator"`
	Reason    string `json:"reason"`
}

// IndicatorPage is a page of indicators.
type IndicatorPage struct {
	NORAD      int         `json:"norad,omitempty"`
	Indicators []Indicator `json:"indicators"`
	NextAfter  int64       `json:"next_after,omitempty"`
}

// AssessmentPage is a page of assessments.
type AssessmentPage struct {
	Assessments []Assessment `json:"assessments"`
	NextAfter   int64        `json:"next_after,omitempty"`
}

// CCDMRequest is the optional body of POST .../ccdm.
type CCDMRequest struct {
	// Catalog adds the stored catalog (every object's newest set) for the
	// indicators that need other objects (proximity, orbit density,
	// launch siblings).
	Catalog bool `json:"catalog"`
}

// CCDMAnswer is what an analysis on request stored.
type CCDMAnswer struct {
	NORAD           int         `json:"norad"`
	Catalog         bool        `json:"catalog"`
	CatalogObjects  int         `json:"catalog_objects"`
	Assessment      Assessment  `json:"assessment"`
	Indicators      []Indicator `json:"indicators"`        // every indicator that fired in this analysis
	NewIndicatorIDs []int64     `json:"new_indicator_ids"` // those not stored before
	NewManeuvers    int         `json:"new_maneuvers"`
}

// Model is a registered model version (engine/onnx/registry metadata).
type Model struct {
	ID     string `json:"id"` // <kind>/<version>
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	Active bool   `json:"active"`
	// Detail holds training, metrics and outcome counts.
	Detail    json.RawMessage `json:"detail"`
	CreatedAt time.Time       `json:"created_at"`
}

// ModelList is the answer of GET /api/v1/models.
type ModelList struct {
	Models []Model `json:"models"`
}
