package ccsds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/internal/refdata"
)

// validCDMFiles lists every CDM the reference data says must parse.
func validCDMFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, dir := range [][]string{{"ccsds", "cdm", "valid"}, {"pc", "cdm"}, {"pc", "cdm_samples"}} {
		d := refdata.Path(t, dir...)
		ents, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if !e.IsDir() {
				files = append(files, filepath.Join(d, e.Name()))
			}
		}
	}
	return files
}

func parseCDMFile(t testing.TB, path string) *CDM {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ParseCDM(f)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return c
}

func TestParseCDMValidFiles(t *testing.T) {
	files := validCDMFiles(t)
	if len(files) < 49 {
		t.Fatalf("found %d valid CDM files, want at least 49", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c := parseCDMFile(t, path)
			if c.Relative.TCA.IsZero() {
				t.Error("TCA not set")
			}
			for i, o := range c.Objects {
				if o.CovSize < 6 || o.CovSize > 9 {
					t.Errorf("object %d CovSize %d", i+1, o.CovSize)
				}
				if n := math.Sqrt(o.PositionKm[0]*o.PositionKm[0] + o.PositionKm[1]*o.PositionKm[1] + o.PositionKm[2]*o.PositionKm[2]); n < 6000 || n > 50000 {
					t.Errorf("object %d |r| = %g km, not an Earth orbit", i+1, n)
				}
			}
		})
	}
}

func TestParseCDMExample2Values(t *testing.T) {
	c := parseCDMFile(t, refdata.Path(t, "ccsds", "cdm", "valid", "CDMExample2.txt"))
	o1, o2 := &c.Objects[0], &c.Objects[1]
	f := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	i := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	cases := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"MISS_DISTANCE m", c.Relative.MissDistanceM, 715, 0},
		{"RELATIVE_SPEED m/s", f(c.Relative.RelativeSpeedMS), 14762, 0},
		{"RELATIVE_POSITION_N m", c.Relative.RelativePositionRTNM[2], 711.8, 0},
		{"RELATIVE_VELOCITY_T m/s", c.Relative.RelativeVelocityRTNMS[1], -14692.0, 0},
		{"SCREEN_VOLUME_X m", f(c.Relative.ScreenVolumeXM), 200, 0},
		{"COLLISION_PROBABILITY", f(c.Relative.CollisionProbability), 4.835e-05, 0},
		{"obj1 X km", o1.PositionKm[0], 2570.097065, 0},
		{"obj1 Z_DOT km/s", o1.VelocityKmS[2], -3.526774282, 0},
		{"obj2 Y km", o2.PositionKm[1], 2245.093614, 0},
		{"obj1 RECOMMENDED_OD_SPAN d", f(o1.RecommendedODSpanDays), 7.88, 0},
		{"obj1 OBS_USED", float64(i(o1.ObsUsed)), 579, 0},
		{"obj1 RESIDUALS_ACCEPTED %", f(o1.ResidualsAcceptedPct), 97.8, 0},
		{"obj1 MASS kg", f(o1.MassKg), 251.6, 0},
		{"obj2 MASS absent", f(o2.MassKg), math.NaN(), 0},
		{"obj1 SEDR W/kg", f(o1.SEDRWKg), 4.54570e-05, 0},
		{"obj1 CR_R m2", o1.CovRTN[0][0], 41.42, 0},
		{"obj1 CT_R m2 (lower)", o1.CovRTN[1][0], -8.579, 0},
		{"obj1 CT_R m2 (mirrored)", o1.CovRTN[0][1], -8.579, 0},
		{"obj1 CNDOT_NDOT m2/s2", o1.CovRTN[5][5], 5.529e-05, 0},
		{"obj1 CDRG_R m3/kg", o1.CovRTN[6][0], -1.862, 0},
		{"obj1 CSRP_SRP m4/kg2", o1.CovRTN[7][7], 1.593e-02, 0},
		{"obj1 CSRP_DRG mirrored", o1.CovRTN[6][7], 2.210e-04, 0},
		{"obj2 CT_T m2", o2.CovRTN[1][1], 2.492e+06, 0},
		{"obj2 CN_T m2", o2.CovRTN[2][1], -7.5888e+02, 0},
		{"obj1 CovSize", float64(o1.CovSize), 8, 0},
	}
	for _, tc := range cases {
		if math.IsNaN(tc.want) != math.IsNaN(tc.got) || math.Abs(tc.got-tc.want) > tc.tol {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	strs := []struct{ name, got, want string }{
		{"version", c.Header.Version, "1.0"},
		{"MESSAGE_FOR", c.Header.MessageFor, "SATELLITE A"},
		{"TCA", formatTime(c.Relative.TCA), "2010-03-13T22:37:52.618"},
		{"START_SCREEN_PERIOD", formatTime(c.Relative.StartScreenPeriod), "2010-03-12T18:29:32.212"},
		{"method", c.Relative.CollisionProbabilityMethod, "FOSTER-1992"},
		{"obj1 name", o1.ObjectName, "SATELLITE A"},
		{"obj1 intl", o1.InternationalDesignator, "1997-030E"},
		{"obj1 email", o1.OperatorEmail, "JOHN.DOE@SOMEWHERE.NET"},
		{"obj1 gravity", o1.GravityModel, "EGM-96: 36D 36O"},
		{"obj2 type", o2.ObjectType, "DEBRIS"},
		{"obj2 orbit center default", o2.OrbitCenter, "EARTH"},
		{"obj2 designator", o2.ObjectDesignator, "30337"},
		{"relative comments", strings.Join(c.Relative.Comments, "|"), "Relative Metadata/Data"},
		{"obj1 metadata comments", strings.Join(o1.MetadataComments, "|"), "Object1 Metadata"},
		{"obj1 OD comments", strings.Join(o1.ODComments, "|"), "Object1 Data|Object1 OD Parameters"},
		{"obj1 additional comments", strings.Join(o1.AdditionalComments, "|"), "Object1 Additional Parameters|Apogee Altitude=779 km|Perigee Altitude=765 km|Inclination=86.4 deg"},
		{"obj2 covariance comments", strings.Join(o2.CovarianceComments, "|"), "Object2 Covariance in the RTN Coordinate Frame"},
	}
	for _, tc := range strs {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestParseCDMExtendedCovariance(t *testing.T) {
	cases := []struct {
		file       string
		size1      int
		size2      int
		checkI     int
		checkJ     int
		wantObj1IJ float64
	}{
		{"CDMExample1.txt", 6, 6, 5, 5, 5.529e-05},
		{"CDMExample2.txt", 8, 8, 7, 6, 2.210e-04},
		{"CDMExample4.txt", 9, 8, 8, 8, 0},
		{"CDMExample_issue1319.xml", 8, 8, 7, 7, 0},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			c := parseCDMFile(t, refdata.Path(t, "ccsds", "cdm", "valid", tc.file))
			if c.Objects[0].CovSize != tc.size1 || c.Objects[1].CovSize != tc.size2 {
				t.Fatalf("CovSize = %d, %d; want %d, %d", c.Objects[0].CovSize, c.Objects[1].CovSize, tc.size1, tc.size2)
			}
			if tc.file == "CDMExample4.txt" {
				return // value checked against the file below
			}
			if got := c.Objects[0].CovRTN[tc.checkI][tc.checkJ]; got != tc.wantObj1IJ {
				t.Errorf("obj1 CovRTN[%d][%d] = %g, want %g", tc.checkI, tc.checkJ, got, tc.wantObj1IJ)
			}
		})
	}
}

// TestParseCDMCARAOracle reads every CARA CDM and compares it with the
// values CARA's own tooling read back (TCA, Pc, method, HBR comment) and with
// CARA's miss distance and relative speed computed from the CDM states.
func TestParseCDMCARAOracle(t *testing.T) {
	var doc struct {
		Cases []struct {
			ID        string  `json:"Conjunction_ID"`
			HBR       float64 `json:"cdm_HBR_comment_m"`
			MissDistM float64 `json:"MissDist_m"`
			VrelMS    float64 `json:"Vrel_mps"`
			File      string  `json:"cdm_file"`
			TCA       string  `json:"cdm_TCA"`
			Pc        float64 `json:"cdm_COLLISION_PROBABILITY"`
			Method    string  `json:"cdm_COLLISION_PROBABILITY_METHOD"`
		} `json:"cases"`
	}
	readJSON(t, refdata.Path(t, "pc", "cara_cdm_cases.json"), &doc)
	if len(doc.Cases) < 20 {
		t.Fatalf("only %d cases", len(doc.Cases))
	}
	for _, tc := range doc.Cases {
		t.Run(tc.ID, func(t *testing.T) {
			c := parseCDMFile(t, refdata.Path(t, "pc", tc.File))
			if got := formatTime(c.Relative.TCA); got != tc.TCA {
				t.Errorf("TCA = %s, want %s", got, tc.TCA)
			}
			if c.Relative.CollisionProbability == nil || *c.Relative.CollisionProbability != tc.Pc {
				t.Errorf("Pc = %v, want %g", c.Relative.CollisionProbability, tc.Pc)
			}
			if c.Relative.CollisionProbabilityMethod != tc.Method {
				t.Errorf("method = %q, want %q", c.Relative.CollisionProbabilityMethod, tc.Method)
			}
			if hbr, ok := c.HardBodyRadiusM(); !ok || hbr != tc.HBR {
				t.Errorf("HBR = %g (%v), want %g", hbr, ok, tc.HBR)
			}
			var dr, dv float64
			for k := range 3 {
				d := (c.Objects[1].PositionKm[k] - c.Objects[0].PositionKm[k]) * 1000
				dr += d * d
				e := (c.Objects[1].VelocityKmS[k] - c.Objects[0].VelocityKmS[k]) * 1000
				dv += e * e
			}
			// CARA's values come from these very states; 1 mm and 1 mm/s
			// allow only for its arithmetic.
			if got := math.Sqrt(dr); math.Abs(got-tc.MissDistM) > 1e-3 {
				t.Errorf("miss distance from states = %.6f m, CARA %.6f m", got, tc.MissDistM)
			}
			if got := math.Sqrt(dv); math.Abs(got-tc.VrelMS) > 1e-3 {
				t.Errorf("relative speed from states = %.6f m/s, CARA %.6f m/s", got, tc.VrelMS)
			}
			if math.Abs(c.Relative.MissDistanceM-tc.MissDistM) > 1 {
				t.Errorf("MISS_DISTANCE = %g m, CARA %g m", c.Relative.MissDistanceM, tc.MissDistM)
			}
		})
	}
}

func TestCDMHardBodyRadius(t *testing.T) {
	var doc struct {
		Cases []struct {
			ID   string  `json:"id"`
			File string  `json:"cdm_file"`
			HBR  float64 `json:"hbr_m"`
		} `json:"cases"`
	}
	readJSON(t, refdata.Path(t, "pc", "cdm_sample_cases.json"), &doc)
	// The Omitron CDM carries no HBR; CARA's unit test supplies 20 m.
	noHBR := map[string]bool{"omitron_test08_3dnc": true}
	for _, tc := range doc.Cases {
		t.Run(tc.ID, func(t *testing.T) {
			c := parseCDMFile(t, refdata.Path(t, "pc", tc.File))
			hbr, ok := c.HardBodyRadiusM()
			if noHBR[tc.ID] {
				if ok {
					t.Errorf("HBR = %g found in a CDM that has none", hbr)
				}
				return
			}
			if !ok || hbr != tc.HBR {
				t.Errorf("HBR = %g (%v), want %g", hbr, ok, tc.HBR)
			}
		})
	}
	synthetic := []struct {
		name     string
		comments []string
		extra    [2][]Field
		want     float64
		ok       bool
	}{
		{"CARA comment", []string{"HBR = 20 [m]"}, [2][]Field{}, 20, true},
		{"no units", []string{"HBR                        = 15.0"}, [2][]Field{}, 15, true},
		{"km", []string{"HBR = 0.02 [km]"}, [2][]Field{}, 20, true},
		{"operator HBR is not combined", []string{"Operator Hard Body Radius = 10.0 [m]"}, [2][]Field{}, 0, false},
		{"CDM 2.0 per-object HBR summed", nil, [2][]Field{{{Keyword: "HBR", Value: "2.5", Units: "m"}}, {{Keyword: "HBR", Value: "1.5"}}}, 4, true},
		{"CDM 2.0 one object only", nil, [2][]Field{{{Keyword: "HBR", Value: "2.5", Units: "m"}}, nil}, 0, false},
		{"none", []string{"Screening Option = Covariance"}, [2][]Field{}, 0, false},
	}
	for _, tc := range synthetic {
		t.Run(tc.name, func(t *testing.T) {
			var c CDM
			c.Objects[0].MetadataComments = tc.comments
			c.Objects[0].Extra, c.Objects[1].Extra = tc.extra[0], tc.extra[1]
			got, ok := c.HardBodyRadiusM()
			if ok != tc.ok || math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("HardBodyRadiusM() = %g, %v; want %g, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestParseCDMInvalid(t *testing.T) {
	cases := []struct {
		file     string
		sentinel error
		keyword  string
		line     int
		contains string
	}{
		{"CDM-covariance-wrong-entry-format.txt", ErrBadValue, "CRDOT_T", 65, "this-is-not-a-number"},
		{"CDM-missing-TCA.txt", ErrMissingKeyword, "TCA", 0, "relative metadata/data"},
		{"CDM-missing-object1-covariance-block.xml", ErrMissingKeyword, "CR_R", 0, "OBJECT1 covariance"},
		{"CDM-missing-object2-state-vector.txt", ErrMissingKeyword, "X", 0, "OBJECT2 state vector"},
		{"CDM-wrong-key-word.txt", ErrUnknownKeyword, "WRONG_KEYWORD", 6, "not a CDM 1.0 keyword"},
		{"CDMExample1InvalidTca.txt", ErrBadValue, "TCA", 5, "2010-04-31T22:37:52.618"},
		{"CDMExample_issue1319_mandatory_empty_value.xml", ErrEmptyValue, "X", 88, "has not been initialized"},
	}
	dir := refdata.Path(t, "ccsds", "cdm", "invalid")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != len(cases) {
		t.Errorf("%d invalid files on disk, %d in the table", len(ents), len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			_, err = ParseCDM(f)
			assertParseError(t, err, tc.sentinel, tc.keyword, tc.line, tc.contains)
		})
	}
}

// assertParseError checks the sentinel, the keyword, the line (when
// line > 0) and a fragment of the message.
func assertParseError(t *testing.T, err error, sentinel error, keyword string, line int, contains string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("error %q does not wrap %v", err, sentinel)
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %q is not a *ParseError", err)
	}
	if pe.Keyword != keyword {
		t.Errorf("keyword %q, want %q (%v)", pe.Keyword, keyword, err)
	}
	if line > 0 && pe.Line != line {
		t.Errorf("line %d, want %d (%v)", pe.Line, line, err)
	}
	msg := err.Error()
	for _, want := range []string{keyword, contains} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not contain %q", msg, want)
		}
	}
	if line > 0 && !strings.Contains(msg, "line "+strconv.Itoa(line)) {
		t.Errorf("message %q does not name line %d", msg, line)
	}
}

func TestParseCDMSyntheticErrors(t *testing.T) {
	base, err := os.ReadFile(refdata.Path(t, "ccsds", "cdm", "valid", "CDMExample1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(base)
	cases := []struct {
		name     string
		edit     func(string) string
		sentinel error
		keyword  string
		line     int
	}{
		{"duplicate keyword", func(s string) string {
			return strings.Replace(s, "MISS_DISTANCE", "MISS_DISTANCE = 1 [m]\nMISS_DISTANCE", 1)
		}, ErrDuplicateKeyword, "MISS_DISTANCE", 7},
		{"km where m expected", func(s string) string {
			return strings.Replace(s, "715                                  [m]", "0.715 [km]", 1)
		}, ErrBadUnits, "MISS_DISTANCE", 6},
		{"not KEY = value", func(s string) string { return strings.Replace(s, "MISS_DISTANCE ", "MISS_DISTANCE\n", 1) }, ErrSyntax, "", 6},
		{"header keyword after TCA", func(s string) string {
			return strings.Replace(s, "MISS_DISTANCE", "ORIGINATOR = X\nMISS_DISTANCE", 1)
		}, ErrMisplacedKeyword, "ORIGINATOR", 6},
		{"OBJECT3", func(s string) string { return strings.Replace(s, "= OBJECT2", "= OBJECT3", 1) }, ErrBadValue, "OBJECT", 0},
		{"state before OBJECT", func(s string) string {
			return strings.Replace(s, "OBJECT                        = OBJECT1", "X = 1 [km]\nOBJECT = OBJECT1", 1)
		}, ErrMisplacedKeyword, "X", 7},
		{"version missing", func(s string) string { return s[strings.Index(s, "\n")+1:] }, ErrMissingKeyword, "CCSDS_CDM_VERS", 1},
		{"version 3", func(s string) string { return strings.Replace(s, "= 1.0", "= 3.0", 1) }, ErrBadValue, "CCSDS_CDM_VERS", 1},
		{"hex number", func(s string) string { return strings.Replace(s, "2570.097065", "0x1p3", 1) }, ErrBadValue, "X", 16},
		{"NaN in mandatory", func(s string) string { return strings.Replace(s, "2570.097065", "NaN", 1) }, ErrBadValue, "X", 16},
		{"CDM 2.0 keyword in 1.0", func(s string) string {
			return strings.Replace(s, "MISS_DISTANCE", "APPROACH_ANGLE = 3 [deg]\nMISS_DISTANCE", 1)
		}, ErrUnknownKeyword, "APPROACH_ANGLE", 6},
		{"empty mandatory", func(s string) string {
			return strings.Replace(s, "= SATELLITE A", "=", 1)
		}, ErrEmptyValue, "OBJECT_NAME", 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCDM(strings.NewReader(tc.edit(text)))
			assertParseError(t, err, tc.sentinel, tc.keyword, tc.line, "")
		})
	}
}

func TestCDMRoundTrip(t *testing.T) {
	for _, path := range validCDMFiles(t) {
		c := parseCDMFile(t, path)
		for _, syntax := range []struct {
			name  string
			write func(io.Writer, *CDM) error
		}{{"KVN", WriteCDMKVN}, {"XML", WriteCDMXML}} {
			t.Run(filepath.Base(path)+"/"+syntax.name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := syntax.write(&buf, c); err != nil {
					t.Fatal(err)
				}
				back, err := ParseCDM(bytes.NewReader(buf.Bytes()))
				if err != nil {
					t.Fatalf("re-parse: %v\n%s", err, buf.String())
				}
				want := c
				if syntax.name == "KVN" {
					want = kvnCommentPlacement(c)
				}
				if diff := diffValues(want, back); diff != "" {
					t.Errorf("round trip changed %s", diff)
				}
			})
		}
	}
}

// kvnCommentPlacement returns a copy of c with the comments of object
// subsections that hold no value moved to the next subsection: KVN has no
// markers between the subsections, so that is where they are read back.
func kvnCommentPlacement(c *CDM) *CDM {
	cp := *c
	for i := range cp.Objects {
		o := &cp.Objects[i]
		secs := []cdmSec{cdmSecOD, cdmSecAdd, cdmSecState, cdmSecCov}
		var carry []string
		for _, sec := range secs {
			cl := objComments(o, sec)
			merged := append(append([]string(nil), carry...), *cl...)
			carry = nil
			if sec != cdmSecCov && !sectionHasValues(&cp, o, sec) {
				carry, merged = merged, nil
			}
			if len(merged) == 0 {
				merged = nil
			}
			if len(*cl) > 0 || len(merged) > 0 {
				*cl = merged
			}
		}
	}
	return &cp
}

func sectionHasValues(c *CDM, o *CDMObject, sec cdmSec) bool {
	for _, f := range o.Extra {
		if s, _ := extraSection(f.Keyword); s == sec {
			return true
		}
	}
	for _, k := range cdmObjKeys {
		if _, ok := keyText(k, c, o); ok && k.sec == sec {
			return true
		}
	}
	return false
}

// TestWriteCDMBuilt writes a CDM assembled in code, as a screening tool
// would, and reads it back.
func TestWriteCDMBuilt(t *testing.T) {
	tca := time.Date(2026, 3, 1, 12, 30, 15, 123456789, time.UTC)
	var c CDM
	c.Header = CDMHeader{CreationDate: tca.Add(-time.Hour), Originator: "ASTROSHIELD", MessageID: "AS-1"}
	c.Relative = CDMRelative{TCA: tca, MissDistanceM: 123.25, CollisionProbability: Float(1.5e-5), CollisionProbabilityMethod: "FOSTER-1992",
		RelativePositionRTNM: &[3]float64{1, 2, 3}, Comments: []string{"HBR = 20 [m]"}}
	for i := range c.Objects {
		o := &c.Objects[i]
		o.ObjectDesignator, o.CatalogName, o.ObjectName, o.InternationalDesignator = "25544", "SATCAT", "ISS", "1998-067A"
		o.EphemerisName, o.CovarianceMethod, o.Maneuverable, o.RefFrame = "NONE", "CALCULATED", "YES", "EME2000"
		o.PositionKm = [3]float64{7000, float64(i), 0}
		o.VelocityKmS = [3]float64{0, 7.5, 0.001}
		var cov [6][6]float64
		for k := range 6 {
			cov[k][k] = float64(k + 1)
		}
		cov[1][0] = -0.5
		o.SetCovRTN6(cov)
		o.ObsUsed = Int(12)
	}
	for _, syntax := range []struct {
		name  string
		write func(io.Writer, *CDM) error
	}{{"KVN", WriteCDMKVN}, {"XML", WriteCDMXML}} {
		t.Run(syntax.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := syntax.write(&buf, &c); err != nil {
				t.Fatal(err)
			}
			back, err := ParseCDM(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if !back.Relative.TCA.Equal(tca) {
				t.Errorf("TCA %v, want %v", back.Relative.TCA, tca)
			}
			if back.Objects[1].Object != "OBJECT2" || back.Objects[0].OrbitCenter != "EARTH" || back.Header.Version != "1.0" {
				t.Errorf("defaults not written: %q %q %q", back.Objects[1].Object, back.Objects[0].OrbitCenter, back.Header.Version)
			}
			if back.Objects[0].CovRTN[0][1] != -0.5 || back.Objects[0].CovSize != 6 {
				t.Errorf("covariance: %v size %d", back.Objects[0].CovRTN[0][:2], back.Objects[0].CovSize)
			}
			if hbr, ok := back.HardBodyRadiusM(); !ok || hbr != 20 {
				t.Errorf("HBR %g %v", hbr, ok)
			}
			if back.Relative.RelativeSpeedMS != nil || back.Relative.ScreenVolumeXM != nil {
				t.Error("absent optional values written")
			}
		})
	}
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// diffValues compares two values field by field, NaN equal to NaN, and
// describes the first difference.
func diffValues(a, b any) string {
	return diffValue("", reflect.ValueOf(a), reflect.ValueOf(b))
}

func diffValue(path string, a, b reflect.Value) string {
	if a.Kind() != b.Kind() {
		return path + ": kinds differ"
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil %v vs %v", path, a.IsNil(), b.IsNil())
			}
			return ""
		}
		return diffValue(path, a.Elem(), b.Elem())
	case reflect.Struct:
		if a.Type() == reflect.TypeFor[time.Time]() {
			if !a.Interface().(time.Time).Equal(b.Interface().(time.Time)) {
				return fmt.Sprintf("%s: %v vs %v", path, a.Interface(), b.Interface())
			}
			return ""
		}
		for i := range a.NumField() {
			if d := diffValue(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d vs %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := diffValue(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Float64, reflect.Float32:
		x, y := a.Float(), b.Float()
		if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			return fmt.Sprintf("%s: %v vs %v", path, x, y)
		}
		return ""
	}
	if a.CanInterface() && a.Interface() != b.Interface() {
		return fmt.Sprintf("%s: %v vs %v", path, a.Interface(), b.Interface())
	}
	return ""
}

func TestUnitsRescaled(t *testing.T) {
	cases := []struct {
		got, want string
		refused   bool
	}{
		{"m", "m", false},
		{"M", "m", false},
		{"m/sec", "m/s", false},
		{"m**2/s", "m**2/s", false},
		{"m", "m/s", false}, // CARA's label slip on relative velocity: tolerated
		{"km", "m", true},
		{"m", "km", true},
		{"km/s", "m/s", true},
		{"km**2", "m**2", true},
		{"rad", "deg", true},
		{"rev/s", "rev/day", true},
		{"h", "d", true},
		{"days", "d", false},
		{"1/ER", "1/er", false},
	}
	for _, tc := range cases {
		if got := unitsRescaled(tc.got, tc.want); got != tc.refused {
			t.Errorf("unitsRescaled(%q, %q) = %v, want %v", tc.got, tc.want, got, tc.refused)
		}
	}
}

func TestWriteRefusesUnreadable(t *testing.T) {
	valid := parseCDMFile(t, refdata.Path(t, "ccsds", "cdm", "valid", "CDMExample1.txt"))
	cases := []struct {
		name     string
		edit     func(c *CDM)
		sentinel error
		contains string
	}{
		{"NaN position", func(c *CDM) { c.Objects[1].PositionKm[2] = math.NaN() }, ErrBadValue, "OBJECT2 Z"},
		{"infinite Pc", func(c *CDM) { c.Relative.CollisionProbability = Float(math.Inf(1)) }, ErrBadValue, "COLLISION_PROBABILITY"},
		{"NaN covariance", func(c *CDM) { c.Objects[0].CovRTN[4][2] = math.NaN() }, ErrBadValue, "OBJECT1 CTDOT_N"},
		{"no message id", func(c *CDM) { c.Header.MessageID = "" }, ErrMissingKeyword, "MESSAGE_ID"},
		{"no TCA", func(c *CDM) { c.Relative.TCA = time.Time{} }, ErrMissingKeyword, "TCA"},
		{"no ref frame", func(c *CDM) { c.Objects[0].RefFrame = "" }, ErrMissingKeyword, "OBJECT1 REF_FRAME"},
		{"CovSize 10", func(c *CDM) { c.Objects[0].CovSize = 10 }, ErrBadValue, "CovSize"},
	}
	for _, tc := range cases {
		for _, w := range []struct {
			name  string
			write func(io.Writer, *CDM) error
		}{{"KVN", WriteCDMKVN}, {"XML", WriteCDMXML}} {
			t.Run(tc.name+"/"+w.name, func(t *testing.T) {
				c := *valid
				tc.edit(&c)
				err := w.write(io.Discard, &c)
				if !errors.Is(err, tc.sentinel) || err == nil || !strings.Contains(err.Error(), tc.contains) {
					t.Errorf("error %v, want %v naming %q", err, tc.sentinel, tc.contains)
				}
			})
		}
	}
	// A NaN optional value is CARA's "unknown" and is written as such.
	c := *valid
	c.Objects[0].MassKg = Float(math.NaN())
	var buf bytes.Buffer
	if err := WriteCDMKVN(&buf, &c); err != nil {
		t.Fatal(err)
	}
	back, err := ParseCDM(&buf)
	if err != nil || back.Objects[0].MassKg == nil || !math.IsNaN(*back.Objects[0].MassKg) {
		t.Errorf("NaN MASS did not survive: %v %v", err, back)
	}
	// OMM writers refuse non-finite numbers.
	o := OMMFromElementSet(gp.ElementSet{Name: "X", Epoch: time.Now(), MeanMotionRevPerDay: math.Inf(1)})
	for _, w := range ommWriters {
		if err := w.write(io.Discard, []OMM{o}); !errors.Is(err, ErrBadValue) || !strings.Contains(err.Error(), "MEAN_MOTION") {
			t.Errorf("%s: error %v, want ErrBadValue naming MEAN_MOTION", w.name, err)
		}
	}
}

func TestParseCDMSpecialFiles(t *testing.T) {
	get := func(t *testing.T, name string) *CDM {
		return parseCDMFile(t, refdata.Path(t, "ccsds", "cdm", "valid", name))
	}
	extra := func(fs []Field, key string) string {
		for _, f := range fs {
			if f.Keyword == key {
				return f.Value + "|" + f.Units
			}
		}
		return "absent"
	}
	cases := []struct {
		file string
		what string
		got  func(c *CDM) string
		want string
	}{
		{"CDM-no-orbit-center-defined-obj1.txt", "object 1 ORBIT_CENTER defaults", func(c *CDM) string { return c.Objects[0].OrbitCenter }, "EARTH"},
		{"ION_SCV8_vs_STARLINK_1233.txt", "'COMMENT =text' form", func(c *CDM) string { return strings.Join(c.Header.Comments, "|") }, "CDM_ID:519959713|MEETS EMERGENCY CRITERIA"},
		{"ION_SCV8_vs_STARLINK_1233.txt", "KEY =VALUE spacing", func(c *CDM) string { return formatFloat(*c.Relative.CollisionProbability) }, "0.004450713"},
		{"ION_SCV8_vs_STARLINK_1233.txt", "ITRF frame", func(c *CDM) string { return c.Objects[1].RefFrame }, "ITRF"},
		{"ION_SCV8_vs_STARLINK_1233.txt", "miss distance", func(c *CDM) string { return formatFloat(c.Relative.MissDistanceM) }, "55"},
		{"CDMExample_issue_940.txt", "version", func(c *CDM) string { return c.Header.Version }, "2.0"},
		{"CDMExample_issue_940.txt", "2.0 header keyword kept", func(c *CDM) string { return extra(c.Header.Extra, "CLASSIFICATION") }, `"Free text - for examples see CDM pink book (CCSDS 508.0-P-1.0.2)"|`},
		{"CDMExample_issue_940.txt", "2.0 relative keyword kept", func(c *CDM) string { return extra(c.Relative.Extra, "APPROACH_ANGLE") }, "180.0|deg"},
		{"CDMExample_issue_940.txt", "2.0 HBR kept", func(c *CDM) string { return extra(c.Objects[0].Extra, "HBR") }, "2.5|m"},
		{"CDMExample_issue_940.txt", "XYZ CDRG_DRG kept apart from RTN", func(c *CDM) string {
			return extra(c.Objects[0].Extra, "CDRG_DRG") + " size " + itoa(c.Objects[0].CovSize)
		}, "0.004|m**4/kg**2 size 6"},
		{"CDMExample_issue_940.txt", "user defined", func(c *CDM) string { return extra(c.Objects[1].Extra, "USER_DEFINED_OBJ1_TIME_LASTOB_START") }, "2020-01-29T13:30:00|"},
		{"CDMExample_issue_940.xml", "XML 2.0 HBR kept", func(c *CDM) string { return extra(c.Objects[0].Extra, "HBR") }, "2.5|m"},
		{"CDMExample_issue1319.xml", "nil ORBIT_CENTER defaults", func(c *CDM) string { return c.Objects[1].OrbitCenter }, "EARTH"},
		{"CDMExample_issue1319.xml", "nil Pc is absent", func(c *CDM) string { return fmt.Sprint(c.Relative.CollisionProbability == nil) }, "true"},
		{"CDMExample_issue1319.xml", "covariance comment", func(c *CDM) string { return c.Objects[1].CovarianceComments[0] }, "DCP Density Forecast Uncertainty = 2.046186000000000E-01"},
		{"CDMExample1.xml", "XML Pc", func(c *CDM) string { return formatFloat(*c.Relative.CollisionProbability) }, "4.835e-05"},
	}
	for _, tc := range cases {
		t.Run(tc.file+"/"+tc.what, func(t *testing.T) {
			if got := tc.got(get(t, tc.file)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
