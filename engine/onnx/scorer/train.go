package scorer

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/engine/onnx"
)

// TrainConfig sets the training run. Zero fields take DefaultTrainConfig's.
type TrainConfig struct {
	Hidden    int     // hidden ReLU units
	Epochs    int     // passes over the data
	BatchSize int     // mini-batch size
	LearnRate float64 // Adam step size
	L2        float64 // weight decay on W (0: default; negative: none)
	// PosWeight multiplies the loss of positive rows (manoeuvres are rare);
	// 0 means min(10, negatives/positives).
	PosWeight float64
	Seed      uint64 // weight initialisation and mini-batch order
	Truth     maneuver.TruthSource
	// CandidateZ: see Params.CandidateZ; 0 means DefaultCandidateZ.
	CandidateZ float64
}

// DefaultTrainConfig is the configuration of the committed figures.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{Hidden: 4, Epochs: 200, BatchSize: 128, LearnRate: 0.003, L2: 1e-2, Seed: 20260610, CandidateZ: DefaultCandidateZ}
}

func (c TrainConfig) withDefaults() TrainConfig {
	d := DefaultTrainConfig()
	if c.Hidden <= 0 {
		c.Hidden = d.Hidden
	}
	if c.Epochs <= 0 {
		c.Epochs = d.Epochs
	}
	if c.BatchSize <= 0 {
		c.BatchSize = d.BatchSize
	}
	if c.LearnRate <= 0 {
		c.LearnRate = d.LearnRate
	}
	switch {
	case c.L2 == 0:
		c.L2 = d.L2
	case c.L2 < 0:
		c.L2 = 0
	}
	if c.CandidateZ <= 0 {
		c.CandidateZ = d.CandidateZ
	}
	if c.Seed == 0 {
		c.Seed = d.Seed
	}
	return c
}

// labelled is a case's candidates with labels: 1 when the candidate is
// paired with a true manoeuvre by maneuver.Match (one-to-one, regime
// window), else 0.
type labelled struct {
	name   string
	c      candidates
	y      []float32
	truth  []time.Time
	window time.Duration
}

// caseTruth is the truth used for a case (operator files where present,
// unless labels are asked for), limited to the span of its element sets,
// as maneuver.Evaluate does.
func caseTruth(cs maneuver.Case, s Series, src maneuver.TruthSource) []time.Time {
	all := cs.Truth
	if src == maneuver.TruthOperator && cs.OperatorTruth != nil {
		all = cs.OperatorTruth
	}
	if len(s.Sets) == 0 {
		return nil
	}
	first, last := s.Sets[0].Epoch, s.Sets[len(s.Sets)-1].Epoch
	var out []time.Time
	for _, t := range all {
		if !t.Before(first) && !t.After(last) {
			out = append(out, t)
		}
	}
	return out
}

func label(cs maneuver.Case, src maneuver.TruthSource, candidateZ float64) (labelled, error) {
	c, err := findCandidates(cs.History, candidateZ)
	if err != nil {
		return labelled{}, fmt.Errorf("scorer: %s: %w", cs.Name, err)
	}
	l := labelled{name: cs.Name, c: c, truth: caseTruth(cs, c.s, src), window: maneuver.MatchWindow(c.res.Regime)}
	l.y = make([]float32, len(c.res.Events))
	sc := maneuver.Match(maneuver.EventEpochs(c.res.Events), l.truth, l.window)
	matched := map[time.Time]bool{}
	for _, p := range sc.Pairs {
		matched[p.Detected] = true
	}
	for i, e := range c.res.Events {
		if matched[e.Epoch] {
			l.y[i] = 1
		}
	}
	return l, nil
}

// Model is a trained scorer: the network and the decision rule around it.
type Model struct {
	MLP *onnx.MLP
	Params
}

// Params is the decision rule, stored in the ONNX file's metadata.
type Params struct {
	// CandidateZ is the statistical detector's threshold (robust z-score)
	// for proposing candidates; lower than its own default so that the
	// model has burns to recover.
	CandidateZ float64
	// Threshold on the network's score for a candidate to be kept (0 keeps
	// every candidate).
	Threshold float64
}

// DefaultCandidateZ is the candidate threshold of the committed figures
// (the statistical detector's own default is 6).
const DefaultCandidateZ = 3.5

// Train fits the scorer on the candidates of cases and chooses the
// threshold that maximises the mean per-case F1 on the same training
// cases. It is deterministic for a given configuration.
func Train(cases []maneuver.Case, cfg TrainConfig) (*Model, TrainReport, error) {
	cfg = cfg.withDefaults()
	var data []labelled
	for _, cs := range cases {
		l, err := label(cs, cfg.Truth, cfg.CandidateZ)
		if err != nil {
			return nil, TrainReport{}, err
		}
		data = append(data, l)
	}
	return trainLabelled(data, cfg)
}

func trainLabelled(data []labelled, cfg TrainConfig) (*Model, TrainReport, error) {
	var rep TrainReport
	for _, l := range data {
		rep.Cases = append(rep.Cases, l.name)
	}
	if len(data) == 0 {
		return nil, rep, fmt.Errorf("%w: no training cases", ErrInsufficientData)
	}
	var X, Y, W []float32
	for _, l := range data {
		X = append(X, l.c.X...)
		Y = append(Y, l.y...)
		for _, y := range l.y {
			W = append(W, 1)
			if y == 1 {
				rep.Positives++
			} else {
				rep.Negatives++
			}
		}
	}
	rows := len(Y)
	rep.Rows = rows
	if rep.Positives == 0 || rep.Negatives == 0 {
		return nil, rep, fmt.Errorf("%w: training candidates are all of one class (%d true, %d false)", ErrInsufficientData, rep.Positives, rep.Negatives)
	}
	posW := cfg.PosWeight
	if posW <= 0 {
		posW = math.Min(10, math.Max(1, float64(rep.Negatives)/float64(rep.Positives)))
	}
	mlp, loss := fitMLP(X, Y, W, rows, float32(posW), cfg)
	rep.FinalLoss = loss
	m := &Model{MLP: mlp, Params: Params{CandidateZ: cfg.CandidateZ}}
	scores := make([][]float64, len(data))
	for i, l := range data {
		scores[i] = make([]float64, len(l.y))
		for k := range l.y {
			scores[i][k] = mlp.Predict(l.c.row(k))
		}
	}
	// Threshold: best mean F1 on the training cases (0, then 0.025 … 0.975).
	best := -1.0
	for k := 0; k <= 39; k++ {
		thr := float64(k) * 0.025
		f1 := 0.0
		for i, l := range data {
			ev := keep(l.c.res.Events, scores[i], thr)
			f1 += maneuver.Match(maneuver.EventEpochs(ev), l.truth, l.window).F1
		}
		f1 /= float64(len(data))
		if f1 > best+1e-12 {
			best, m.Threshold = f1, thr
		}
	}
	rep.TrainMeanF1 = best
	rep.Threshold = m.Threshold
	rep.Config = cfg
	m.MLP.Metadata = m.metadata(rep)
	return m, rep, nil
}

// TrainReport describes a training run.
type TrainReport struct {
	Cases                      []string
	Rows, Positives, Negatives int // candidates; positives are paired with a true manoeuvre
	FinalLoss                  float64
	TrainMeanF1                float64
	Threshold                  float64
	Config                     TrainConfig
}

// rng is xorshift64*: a fixed, documented generator for initialisation and
// mini-batch order only (never in the decision path).
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s ^= r.s >> 12
	r.s ^= r.s << 25
	r.s ^= r.s >> 27
	return r.s * 2685821657736338717
}

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// fitMLP trains nf → hidden (ReLU) → 1 (sigmoid) with weighted binary
// cross-entropy, Adam and fixed-order-seeded mini-batches, in float64.
func fitMLP(X, Y, W []float32, rows int, posW float32, cfg TrainConfig) (*onnx.MLP, float64) {
	nf, h := NumFeatures, cfg.Hidden
	// Standardisation from the training rows.
	mean, inv := make([]float64, nf), make([]float64, nf)
	for i := range rows {
		for f := range nf {
			mean[f] += float64(X[i*nf+f])
		}
	}
	for f := range nf {
		mean[f] /= float64(rows)
	}
	for i := range rows {
		for f := range nf {
			d := float64(X[i*nf+f]) - mean[f]
			inv[f] += d * d
		}
	}
	for f := range nf {
		sd := math.Sqrt(inv[f] / float64(rows))
		inv[f] = 1 / math.Max(sd, 1e-6)
	}
	z := make([]float64, rows*nf)
	for i := range rows {
		for f := range nf {
			z[i*nf+f] = (float64(X[i*nf+f]) - mean[f]) * inv[f]
		}
	}
	r := &rng{s: cfg.Seed | 1}
	// Parameters: W1 [h][nf], b1 [h], w2 [h], b2.
	np := h*nf + h + h + 1
	p := make([]float64, np)
	lim1 := math.Sqrt(6 / float64(nf))
	for i := range h * nf {
		p[i] = (2*r.float() - 1) * lim1
	}
	lim2 := math.Sqrt(6 / float64(h+1))
	for i := range h {
		p[h*nf+h+i] = (2*r.float() - 1) * lim2
	}
	w1, b1, w2 := p[:h*nf], p[h*nf:h*nf+h], p[h*nf+h:h*nf+2*h]
	grad := make([]float64, np)
	gw1, gb1, gw2 := grad[:h*nf], grad[h*nf:h*nf+h], grad[h*nf+h:h*nf+2*h]
	m1, m2 := make([]float64, np), make([]float64, np)
	const beta1, beta2, eps = 0.9, 0.999, 1e-8
	order := make([]int, rows)
	for i := range order {
		order[i] = i
	}
	hid := make([]float64, h)
	step := 0
	var lastLoss float64
	for range cfg.Epochs {
		for i := rows - 1; i > 0; i-- { // Fisher–Yates
			j := int(r.next() % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		epochLoss, epochW := 0.0, 0.0
		for start := 0; start < rows; start += cfg.BatchSize {
			end := min(rows, start+cfg.BatchSize)
			clear(grad)
			wsum := 0.0
			for _, i := range order[start:end] {
				wi := float64(W[i])
				if wi == 0 {
					continue
				}
				if Y[i] == 1 {
					wi *= float64(posW)
				}
				x := z[i*nf : (i+1)*nf]
				out := p[np-1]
				for k := range h {
					s := b1[k]
					for f, v := range x {
						s += w1[k*nf+f] * v
					}
					hid[k] = math.Max(s, 0)
					out += w2[k] * hid[k]
				}
				pr := 1 / (1 + math.Exp(-out))
				y := float64(Y[i])
				epochLoss += wi * -(y*math.Log(math.Max(pr, 1e-12)) + (1-y)*math.Log(math.Max(1-pr, 1e-12)))
				epochW += wi
				wsum += wi
				d := wi * (pr - y) // dL/dout
				grad[np-1] += d
				for k := range h {
					gw2[k] += d * hid[k]
					if hid[k] > 0 {
						dk := d * w2[k]
						gb1[k] += dk
						for f, v := range x {
							gw1[k*nf+f] += dk * v
						}
					}
				}
			}
			if wsum == 0 {
				continue
			}
			step++
			c1 := 1 - math.Pow(beta1, float64(step))
			c2 := 1 - math.Pow(beta2, float64(step))
			for i := range p {
				g := grad[i] / wsum
				if i < h*nf || (i >= h*nf+h && i < h*nf+2*h) {
					g += cfg.L2 * p[i]
				}
				m1[i] = beta1*m1[i] + (1-beta1)*g
				m2[i] = beta2*m2[i] + (1-beta2)*g*g
				p[i] -= cfg.LearnRate * (m1[i] / c1) / (math.Sqrt(m2[i]/c2) + eps)
			}
		}
		if epochW > 0 {
			lastLoss = epochLoss / epochW
		}
	}
	mlp := &onnx.MLP{Features: slices.Clone(FeatureNames)}
	for f := range nf {
		mlp.Mean = append(mlp.Mean, float32(mean[f]))
		mlp.InvStd = append(mlp.InvStd, float32(inv[f]))
	}
	l1 := onnx.Layer{In: nf, Out: h, Act: onnx.ActRelu}
	for _, v := range w1 {
		l1.W = append(l1.W, float32(v))
	}
	for _, v := range b1 {
		l1.B = append(l1.B, float32(v))
	}
	l2 := onnx.Layer{In: h, Out: 1, Act: onnx.ActSigmoid, B: []float32{float32(p[np-1])}}
	for _, v := range w2 {
		l2.W = append(l2.W, float32(v))
	}
	mlp.Layers = []onnx.Layer{l1, l2}
	return mlp, lastLoss
}
