package sgp4

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
)

// Element sets from SGP4-VER.TLE, inlined so these tests run without the
// reference data.
var (
	vanguard = [2]string{ // near-earth, e = 0.186
		"1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753",
		"2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667"}
	molniya = [2]string{ // deep space, 12 h resonant
		"1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813",
		"2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656"}
	geo = [2]string{ // deep space, 24 h resonant, inclination 0.0019 deg
		"1 28626U 05008A   06176.46683397 -.00000205  00000-0  10000-3 0  2190",
		"2 28626   0.0019 286.9433 0000335  13.7918  55.6504  1.00270176  4891"}
)

func mustElements(tb testing.TB, l [2]string) gp.ElementSet {
	tb.Helper()
	e, err := tle.ParseWith("", l[0], l[1], tle.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func mustNew(tb testing.TB, l [2]string, opts ...Option) *Satellite {
	tb.Helper()
	s, err := New(mustElements(tb, l), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestGravityModels compares WGS-72 old and WGS-84 with python-sgp4 2.15
// (Debian python3-sgp4, opsmode 'i') at 1440 min.
func TestGravityModels(t *testing.T) {
	tests := []struct {
		name       string
		tle        [2]string
		g          Gravity
		r, v       [3]float64
		tolR, tolV float64
	}{
		{"vanguard WGS-72 old", vanguard, WGS72Old,
			[3]float64{-938.5592390002768, -6268.187486484606, -4294.029246217086},
			[3]float64{7.536105206992379, -0.4271277069405316, 0.9898780794587957}, 1e-8, 1e-11},
		{"vanguard WGS-84", vanguard, WGS84,
			[3]float64{-938.5492314464532, -6268.178320422504, -4294.021784719687},
			[3]float64{7.536113288532666, -0.4271212959580386, 0.9898801742737487}, 1e-8, 1e-11},
		{"molniya WGS-72 old", molniya, WGS72Old,
			[3]float64{2890.806381796932, -15446.439518412122, 948.770101474113},
			[3]float64{2.6544074888005813, -2.9093448939687723, 4.486437360586198}, 1e-7, 1e-10},
		{"molniya WGS-84", molniya, WGS84,
			[3]float64{2890.8361256262992, -15446.430687575836, 948.8350195508802},
			[3]float64{2.6544076302476776, -2.9093317062902027, 4.486442176500887}, 1e-7, 1e-10},
		{"geo WGS-72 old", geo, WGS72Old,
			[3]float64{42119.96262246007, -1925.7756720514988, -0.19827433148309365},
			[3]float64{0.14052120632495496, 3.0715416125540647, 0.0001795611667621242}, 1e-7, 1e-10},
		{"geo WGS-84", geo, WGS84,
			[3]float64{42119.95206602657, -1925.7750720393647, -0.19827426826700134},
			[3]float64{0.14052116270556553, 3.0715408443464893, 0.00017956112199678736}, 1e-7, 1e-10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, tc.tle, WithGravity(tc.g))
			if s.Gravity() != tc.g {
				t.Errorf("Gravity() = %v, want %v", s.Gravity(), tc.g)
			}
			r, v, err := s.Propagate(1440)
			if err != nil {
				t.Fatal(err)
			}
			for k := range 3 {
				if d := math.Abs(r[k] - tc.r[k]); !(d <= tc.tolR) {
					t.Errorf("r[%d] = %.10f, want %.10f (d %.2e km)", k, r[k], tc.r[k], d)
				}
				if d := math.Abs(v[k] - tc.v[k]); !(d <= tc.tolV) {
					t.Errorf("v[%d] = %.13f, want %.13f (d %.2e km/s)", k, v[k], tc.v[k], d)
				}
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	base := mustElements(t, vanguard)
	tests := []struct {
		name   string
		edit   func(*gp.ElementSet)
		opts   []Option
		code   ErrorCode
		target error
		msg    string
	}{
		{"NaN mean motion", func(e *gp.ElementSet) { e.MeanMotionRevPerDay = math.NaN() }, nil, CodeInvalid, ErrInvalid, "mean motion NaN is not finite"},
		{"Inf B*", func(e *gp.ElementSet) { e.BStarPerEarthRadius = math.Inf(1) }, nil, CodeInvalid, ErrInvalid, "B* +Inf is not finite"},
		{"NaN RAAN", func(e *gp.ElementSet) { e.RAANDeg = math.NaN() }, nil, CodeInvalid, ErrInvalid, "RAAN"},
		{"missing epoch", func(e *gp.ElementSet) { e.Epoch = time.Time{} }, nil, CodeInvalid, ErrInvalid, "missing epoch"},
		{"eccentricity 1", func(e *gp.ElementSet) { e.Eccentricity = 1 }, nil, CodeEccentricity, ErrEccentricity, "mean eccentricity 1.000000 not within range"},
		{"negative eccentricity", func(e *gp.ElementSet) { e.Eccentricity = -0.1 }, nil, CodeEccentricity, ErrEccentricity, "-0.100000"},
		{"zero mean motion", func(e *gp.ElementSet) { e.MeanMotionRevPerDay = 0 }, nil, CodeMeanMotion, ErrMeanMotion, "mean motion"},
		{"unknown gravity", func(*gp.ElementSet) {}, []Option{WithGravity(9)}, CodeInvalid, ErrInvalid, "unknown gravity model Gravity(9)"},
		{"unknown opsmode", func(*gp.ElementSet) {}, []Option{WithOpsMode(5)}, CodeInvalid, ErrInvalid, "unknown operation mode OpsMode(5)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := base
			tc.edit(&e)
			s, err := New(e, tc.opts...)
			if err == nil || s != nil {
				t.Fatalf("New = %v, %v; want an error", s, err)
			}
			var serr *Error
			if !errors.As(err, &serr) || serr.Code != tc.code {
				t.Fatalf("err %v: want *Error with code %d", err, tc.code)
			}
			if !errors.Is(err, tc.target) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.target)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), "satellite 5:") {
				t.Errorf("message %q does not contain %q (and the catalog number)", err, tc.msg)
			}
		})
	}
}

func TestPropagateRejectsTime(t *testing.T) {
	s := mustNew(t, molniya)
	tests := []struct {
		name   string
		tsince float64
		msg    string
	}{
		{"NaN", math.NaN(), "tsince NaN min is not finite"},
		{"+Inf", math.Inf(1), "tsince +Inf min is not finite"},
		{"beyond max", 2 * MaxTsinceMin, "beyond"},
		{"beyond -max", -1.5 * MaxTsinceMin, "beyond"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, v, err := s.Propagate(tc.tsince)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want ErrInvalid mentioning %q", err, tc.msg)
			}
			if r != ([3]float64{}) || v != ([3]float64{}) {
				t.Errorf("state %v %v not zeroed on error", r, v)
			}
		})
	}
}

// TestImmutable checks that the deep-space resonance integrator keeps no
// state: any call order gives bit-identical answers, also concurrently.
func TestImmutable(t *testing.T) {
	times := []float64{0, 100, 5000, 720, 1440, -3000, 100, 43200, 700, 721, -720}
	for _, l := range [][2]string{vanguard, molniya, geo} {
		ref := make([][2][3]float64, len(times))
		for i, ts := range times {
			fresh := mustNew(t, l) // a new record for every time: no history
			r, v, err := fresh.Propagate(ts)
			if err != nil {
				t.Fatal(err)
			}
			ref[i] = [2][3]float64{r, v}
		}
		s := mustNew(t, l)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var bad []string
		for g := range 4 {
			wg.Go(func() {
				for rep := range 50 {
					for j := range times {
						i := (j*7 + g + rep) % len(times) // a different order in each goroutine
						r, v, err := s.Propagate(times[i])
						if err != nil || r != ref[i][0] || v != ref[i][1] {
							mu.Lock()
							bad = append(bad, l[0][2:7])
							mu.Unlock()
							return
						}
					}
				}
			})
		}
		wg.Wait()
		if len(bad) > 0 {
			t.Errorf("%v: results depend on call history", bad)
		}
	}
}

func TestErrorTypes(t *testing.T) {
	tests := []struct {
		name   string
		code   ErrorCode
		target error
		text   string
	}{
		{"eccentricity", CodeEccentricity, ErrEccentricity, "mean eccentricity out of range (code 1)"},
		{"mean motion", CodeMeanMotion, ErrMeanMotion, "(code 2)"},
		{"perturbed eccentricity", CodePerturbedEccentricity, ErrPerturbedEccentricity, "(code 3)"},
		{"semi-latus rectum", CodeSemiLatusRectum, ErrSemiLatusRectum, "(code 4)"},
		{"decayed", CodeDecayed, ErrDecayed, "sgp4: satellite decayed (code 6)"},
		{"invalid", CodeInvalid, ErrInvalid, "(code 7)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !errors.Is(tc.code, tc.target) {
				t.Errorf("errors.Is(ErrorCode %d, %v) = false", tc.code, tc.target)
			}
			if got := tc.code.Error(); !strings.Contains(got, tc.text) {
				t.Errorf("Error() = %q, want it to contain %q", got, tc.text)
			}
			err := error(newError(tc.code, 42, 12.5, -0.25))
			var code ErrorCode
			if !errors.Is(err, tc.target) || errors.As(err, &code) {
				t.Errorf("*Error: errors.Is = %v; errors.As(ErrorCode) should be false", errors.Is(err, tc.target))
			}
			if !strings.Contains(err.Error(), "satellite 42:") || !strings.Contains(err.Error(), "tsince 12.5 min") {
				t.Errorf("%q does not name the time", err)
			}
			for _, other := range []error{ErrEccentricity, ErrDecayed, ErrInvalid} {
				if other != tc.target && errors.Is(err, other) {
					t.Errorf("%v matches %v", err, other)
				}
			}
		})
	}
	if errors.Is(CodeOK, ErrDecayed) || CodeOK.Error() != "sgp4: no error (code 0)" {
		t.Errorf("CodeOK: %q", CodeOK.Error())
	}
}

// TestDecayErrorKeepsFirstFailure follows 28872 (perigee below the surface):
// it must propagate at 50 min and report decay at 55 min (tcppver.out).
func TestDecay(t *testing.T) {
	s := mustNew(t, [2]string{
		"1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
		"2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708"})
	if _, _, err := s.Propagate(50); err != nil {
		t.Fatalf("50 min: %v", err)
	}
	_, _, err := s.Propagate(55)
	var serr *Error
	if !errors.As(err, &serr) || serr.Code != CodeDecayed || serr.TsinceMin != 55 || !(serr.Value < 1) {
		t.Fatalf("55 min: %v, want decay (code 6) at 55 min with mrt < 1", err)
	}
}

func TestNilSatellite(t *testing.T) {
	var s *Satellite
	if _, _, err := s.Propagate(0); !errors.Is(err, ErrInvalid) {
		t.Errorf("Propagate on nil: %v", err)
	}
	if _, _, err := s.At(time.Now()); !errors.Is(err, ErrInvalid) {
		t.Errorf("At on nil: %v", err)
	}
}
