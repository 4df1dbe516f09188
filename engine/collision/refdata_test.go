package collision

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/astroshield/astroshield/engine/internal/refdata"
)

// Readers for ../shared/testdata/pc (see its README.md).

// jsonNum is a JSON number that may also be null (NaN) or "Infinity".
type jsonNum float64

func (n *jsonNum) UnmarshalJSON(b []byte) error {
	s := string(b)
	switch s {
	case "null":
		*n = jsonNum(math.NaN())
		return nil
	case `"Infinity"`:
		*n = jsonNum(math.Inf(1))
		return nil
	case `"-Infinity"`:
		*n = jsonNum(math.Inf(-1))
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("number %s: %w", s, err)
	}
	*n = jsonNum(v)
	return nil
}

func readJSON(t testing.TB, v any, elem ...string) {
	t.Helper()
	p := refdata.Path(t, elem...)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", p, err)
	}
}

type alfanoState struct {
	RM   [3]float64    `json:"r_m"`
	VMS  [3]float64    `json:"v_m_s"`
	Cov6 [6][6]float64 `json:"cov6_eci_m_s"`
}

type alfanoCase struct {
	ID              string                                   `json:"id"`
	Description     string                                   `json:"description"`
	TCASecondsAfter float64                                  `json:"tca_seconds_after_epoch"`
	HBRM            float64                                  `json:"hbr_m"`
	MCTimeWindowS   float64                                  `json:"alfano2009_mc_time_window_s"`
	AtTCA           struct{ Primary, Secondary alfanoState } `json:"at_tca"`
	AtEpoch         struct{ Primary, Secondary alfanoState } `json:"at_epoch"`
	Expected        map[string]jsonNum                       `json:"expected"`
}

func (c *alfanoCase) objects() (Object, Object) {
	return alfanoObjects(c.AtTCA.Primary, c.AtTCA.Secondary)
}

func alfanoObjects(p, s alfanoState) (Object, Object) {
	mk := func(s alfanoState) Object {
		cov := FullCovariance(FrameInertial, s.Cov6)
		return Object{
			PositionKm:  scale3(1e-3, s.RM),
			VelocityKmS: scale3(1e-3, s.VMS),
			Covariance:  &cov,
		}
	}
	return mk(p), mk(s)
}

func loadAlfano(t testing.TB) []alfanoCase {
	t.Helper()
	var f struct {
		Cases []alfanoCase `json:"cases"`
	}
	readJSON(t, &f, "pc", "alfano2009_cases.json")
	if len(f.Cases) == 0 {
		t.Fatal("alfano2009_cases.json has no cases")
	}
	return f.Cases
}

type unitVectorCase struct {
	ID       string         `json:"id"`
	Units    string         `json:"units"`
	HBR      jsonNum        `json:"hbr"`
	R1       [3]float64     `json:"r1"`
	V1       [3]float64     `json:"v1"`
	Cov1     [3][3]float64  `json:"cov1"`
	R2       [3]float64     `json:"r2"`
	V2       [3]float64     `json:"v2"`
	Cov2     [3][3]float64  `json:"cov2"`
	HBRList  []jsonNum      `json:"hbr_list"`
	Expected map[string]any `json:"expected"`
}

func loadUnitVectors(t *testing.T) map[string]unitVectorCase {
	var f struct {
		Cases []unitVectorCase `json:"cases"`
	}
	readJSON(t, &f, "pc", "cara_unit_vectors.json")
	m := map[string]unitVectorCase{}
	for _, c := range f.Cases {
		m[c.ID] = c
	}
	return m
}

// objects converts a unit-vector case to engine units: lengthToKm is 1 for
// km cases and 1e-3 for metre cases; covToM2 converts the covariance to m².
func (c *unitVectorCase) objects(lengthToKm, covToM2 float64) (Object, Object) {
	mk := func(r, v [3]float64, cv [3][3]float64) Object {
		var m [3][3]float64
		for i := range 3 {
			for j := range 3 {
				m[i][j] = cv[i][j] * covToM2
			}
		}
		cov := PositionCovariance(FrameInertial, m)
		return Object{PositionKm: scale3(lengthToKm, r), VelocityKmS: scale3(lengthToKm, v), Covariance: &cov}
	}
	return mk(c.R1, c.V1, c.Cov1), mk(c.R2, c.V2, c.Cov2)
}

func expectFloat(t *testing.T, m map[string]any, key string) float64 {
	t.Helper()
	v, ok := m[key].(float64)
	if !ok {
		t.Fatalf("expected value %q missing or not a number", key)
	}
	return v
}

// relErr is |got−want|/|want| (|got| when want is 0).
func relErr(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// pcClose compares probabilities: relative for want >= 1e-10, log10
// difference below that (CARA's own guidance for tiny values).
func pcClose(got, want, relTol, log10Tol float64) (bool, string) {
	if want >= 1e-10 || want == 0 {
		e := relErr(got, want)
		return e <= relTol, fmt.Sprintf("got %.15g want %.15g rel err %.3g (tol %.1g)", got, want, e, relTol)
	}
	if !(got > 0) {
		return false, fmt.Sprintf("got %g want %g", got, want)
	}
	d := math.Abs(math.Log10(got) - math.Log10(want))
	return d <= log10Tol, fmt.Sprintf("got %.15g want %.15g |Δlog10| %.3g (tol %.1g)", got, want, d, log10Tol)
}
