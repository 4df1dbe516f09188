package collision

import (
	"math"
	"testing"
	"time"
)

// A head-on LEO encounter 200 m apart: the default-covariance Foster Pc is a
// probability flagged as default, below Alfano's bound, and falls as the
// element sets age (the covariance grows past the miss distance's scale).
func TestFosterDefaultCovariancePc(t *testing.T) {
	p := Object{PositionKm: [3]float64{7000, 0, 0}, VelocityKmS: [3]float64{0, 7.5, 0}}
	s := Object{PositionKm: [3]float64{7000, 0, 0.2}, VelocityKmS: [3]float64{0, -7.5, 0}}
	fresh, bound, err := FosterDefaultCovariancePc(p, s, time.Hour, 2*time.Hour, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !fresh.Flags.DefaultCovariance || fresh.Method != MethodFoster || bound.Method != MethodAlfanoMax {
		t.Errorf("flags %+v, methods %s %s", fresh.Flags, fresh.Method, bound.Method)
	}
	if !(fresh.Pc > 0 && fresh.Pc <= bound.Pc && bound.Pc < 1) {
		t.Errorf("foster %g, alfano max %g", fresh.Pc, bound.Pc)
	}
	old, _, err := FosterDefaultCovariancePc(p, s, 10*24*time.Hour, 10*24*time.Hour, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !(old.Pc < fresh.Pc) || math.IsNaN(old.Pc) {
		t.Errorf("10-day-old sets Pc %g not below fresh %g", old.Pc, fresh.Pc)
	}
	if _, _, err := FosterDefaultCovariancePc(p, s, 0, 0, -1); err == nil {
		t.Error("negative HBR accepted")
	}
}
