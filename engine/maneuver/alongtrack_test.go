package maneuver

import (
	"math"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// TestAlongTrackChannelFindsBurn: with the step test switched off (a
// threshold no step reaches), a +20 m in-track burn is still found, by the
// along-track residuals alone, at the right time and with the right sign.
func TestAlongTrackChannelFindsBurn(t *testing.T) {
	leo := leoOrbit()
	aLEO := smaKm(leo.nRevDay)
	burn := t2020.Add(40*24*time.Hour + 7*time.Hour)
	h := history{start: t2020, days: 80, segs: []orbit{leo, leo.burn(burn, nForSMA(aLEO+0.020), leo.incDeg)}, smaNoiseM: 0.5, seed: 11, norad: 7}
	res := detectOne(t, h.sets(), Config{Threshold: 1e6})
	if len(res.Events) != 1 {
		for _, e := range res.Events {
			t.Logf("event %s %v", e.Epoch.Format(time.RFC3339), e.Evidence)
		}
		t.Fatalf("%d events, want 1 (notes %v)", len(res.Events), res.Notes)
	}
	e := res.Events[0]
	t.Logf("epoch %+v from the burn, Δa %.2f m, z %.1f, confidence %.2f", e.Epoch.Sub(burn), e.DeltaSMAKm*1000, e.Evidence[0].Score, e.Confidence)
	if e.Evidence[0].Element != ElementAlongTrack || e.Evidence[0].Score < 12 {
		t.Errorf("first evidence %+v, want the along-track residual with |z| ≥ 12", e.Evidence[0])
	}
	if off := e.Epoch.Sub(burn); off.Abs() > 2*time.Hour {
		t.Errorf("epoch %s is %v from the burn", e.Epoch.Format(time.RFC3339), off)
	}
	if math.Abs(e.DeltaSMAKm*1000-20) > 5 {
		t.Errorf("Δa %.1f m, want about +20 m (from the drift rate at the crossing)", e.DeltaSMAKm*1000)
	}
	if !(e.Confidence > 0.5 && e.Confidence <= 1) {
		t.Errorf("confidence %.2f, want in (0.5, 1] above the threshold", e.Confidence)
	}
	if e.Kind != KindStationKeeping {
		t.Errorf("kind %v, want station-keeping", e.Kind)
	}
}

// TestAlongTrackChannelOffOutsideLEO: the channel is a LEO default only,
// and a negative threshold turns it off.
func TestAlongTrackChannelOff(t *testing.T) {
	for _, r := range []Regime{RegimeGEO, RegimeMEO, RegimeHEO} {
		if th := RegimeConfig(r).AlongTrackThreshold; th > 0 {
			t.Errorf("%v: along-track threshold %g, want off", r, th)
		}
	}
	if th := RegimeConfig(RegimeLEO).AlongTrackThreshold; th != leoAlongTrackThreshold {
		t.Errorf("LEO along-track threshold %g, want %g", th, leoAlongTrackThreshold)
	}
	leo := leoOrbit()
	burn := t2020.Add(40*24*time.Hour + 7*time.Hour)
	h := history{start: t2020, days: 80, segs: []orbit{leo, leo.burn(burn, nForSMA(smaKm(leo.nRevDay)+0.020), leo.incDeg)}, smaNoiseM: 0.5, seed: 11, norad: 7}
	if res := detectOne(t, h.sets(), Config{Threshold: 1e6, AlongTrackThreshold: -1}); len(res.Events) != 0 {
		t.Errorf("%d events with both tests off, want 0", len(res.Events))
	}
}

// TestAlongTrackChannelIgnoresTimeTagExcursion: sets whose epoch is one
// second late (the elements of t labelled t+1 s: 7.5 km along-track at
// 7,100 km) from set 40 until the producer corrects them at set 45 are a
// position jump and its undoing without any change of drift, which no
// burn makes; the same jump left uncorrected is kept (a phasing pair of
// burns hours apart leaves such an offset too).
func TestAlongTrackChannelIgnoresTimeTagExcursion(t *testing.T) {
	leo := leoOrbit()
	h := history{start: t2020, days: 80, segs: []orbit{leo}, smaNoiseM: 0.5, seed: 11, norad: 7}
	shifted := func(from, to int) []gp.ElementSet {
		sets := h.sets()
		for j := from; j < to; j++ {
			sets[j].Epoch = sets[j].Epoch.Add(time.Second)
		}
		return sets
	}
	if res := detectOne(t, shifted(40, 45), Config{Threshold: 1e6}); len(res.Events) != 0 {
		for _, e := range res.Events {
			t.Logf("event %s %v", e.Epoch.Format(time.RFC3339), e.Evidence)
		}
		t.Errorf("%d events for a five-set time-tag excursion, want 0", len(res.Events))
	}
	res := detectOne(t, shifted(40, 80), Config{Threshold: 1e6})
	if len(res.Events) != 1 || res.Events[0].Evidence[0].Element != ElementAlongTrack {
		t.Fatalf("%d events for a lasting one-second jump, want 1 from the along-track residual", len(res.Events))
	}
	h0 := h.sets()
	if e := res.Events[0]; e.BeforeEpoch != h0[39].Epoch {
		t.Errorf("jump marked after %s, want after set 39 (%s)", e.BeforeEpoch.Format(time.RFC3339), h0[39].Epoch.Format(time.RFC3339))
	}
}
