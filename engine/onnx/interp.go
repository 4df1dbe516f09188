package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/astroshield/astroshield/engine/onnx/onnxpb"
)

// maxElements bounds every tensor the interpreter accepts or creates, so
// that a hostile file cannot make it allocate without limit.
const maxElements = 1 << 24

// workPerRow bounds the work of one run (elements produced plus
// multiply-adds, per batch row, with a floor for small batches), so that a
// hostile file — constant-by-constant products, long chains of large
// element-wise nodes — cannot make it compute for minutes. The models this
// package exports use well under 1e5 per row.
const (
	workPerRow = 1 << 20
	workFloor  = 1 << 27
)

// runWork is the budget of a run with batch rows.
func runWork(batch int) int64 { return max(int64(batch)*workPerRow, workFloor) }

// tensor is a dense float32 tensor, row-major.
type tensor struct {
	shape []int
	data  []float32
}

func numel(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 || (d > 0 && n > maxElements/d) {
			return 0, false
		}
		n *= d
	}
	return n, n <= maxElements
}

// step is one node of a compiled graph, with its operands as slots.
type step struct {
	op     string
	name   string
	in     []int
	out    int
	alpha  float32
	beta   float32
	transA bool
	transB bool
}

// Graph is a decoded ONNX model that the pure-Go interpreter can run: a
// float32 [batch, Features] input, a float32 [batch, Outputs] output, and
// the operators Gemm, MatMul, Add, Sub, Mul, Div, Relu, Sigmoid, Tanh and
// Identity (opset 7 to 21, default domain).
type Graph struct {
	// InputName and OutputName are the graph's tensor names.
	InputName, OutputName string
	// Features is the input width; Outputs the output width (when declared).
	Features, Outputs int
	// Metadata holds the file's metadata_props.
	Metadata map[string]string
	Opset    int64

	consts []*tensor // slot → constant (nil for computed values)
	input  int
	output int
	steps  []step
	nslots int
}

// Decode parses an ONNX file and compiles it for the interpreter. It
// rejects graphs that use an operator, data type or shape it does not
// implement (wrapping ErrModel), so a model that decodes runs.
func Decode(data []byte) (*Graph, error) {
	var mp onnxpb.ModelProto
	if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(data, &mp); err != nil {
		return nil, fmt.Errorf("%w: not an ONNX ModelProto: %v", ErrModel, err)
	}
	g := &Graph{Metadata: map[string]string{}}
	for _, os := range mp.GetOpsetImport() {
		if os.GetDomain() == "" || os.GetDomain() == "ai.onnx" {
			g.Opset = os.GetVersion()
		}
	}
	if g.Opset < 7 || g.Opset > 21 {
		return nil, fmt.Errorf("%w: default-domain opset %d (want 7..21)", ErrModel, g.Opset)
	}
	for _, p := range mp.GetMetadataProps() {
		g.Metadata[p.GetKey()] = p.GetValue()
	}
	gp := mp.GetGraph()
	if gp == nil {
		return nil, fmt.Errorf("%w: no graph", ErrModel)
	}
	slot := map[string]int{}
	newSlot := func(name string) (int, error) {
		if name == "" {
			return 0, fmt.Errorf("%w: empty tensor name", ErrModel)
		}
		if _, dup := slot[name]; dup {
			return 0, fmt.Errorf("%w: tensor %q defined twice", ErrModel, name)
		}
		slot[name] = g.nslots
		g.nslots++
		g.consts = append(g.consts, nil)
		return g.nslots - 1, nil
	}
	for _, init := range gp.GetInitializer() {
		t, err := decodeTensor(init)
		if err != nil {
			return nil, err
		}
		s, err := newSlot(init.GetName())
		if err != nil {
			return nil, err
		}
		g.consts[s] = t
	}
	var inputs []*onnxpb.ValueInfoProto
	for _, vi := range gp.GetInput() {
		if _, isInit := slot[vi.GetName()]; !isInit {
			inputs = append(inputs, vi)
		}
	}
	if len(inputs) != 1 || len(gp.GetOutput()) != 1 {
		return nil, fmt.Errorf("%w: %d inputs and %d outputs (want one of each)", ErrModel, len(inputs), len(gp.GetOutput()))
	}
	w, err := matrixWidth(inputs[0])
	if err != nil {
		return nil, err
	}
	g.InputName, g.Features = inputs[0].GetName(), w
	if g.input, err = newSlot(g.InputName); err != nil {
		return nil, err
	}
	for _, n := range gp.GetNode() {
		st, err := compileNode(n, slot)
		if err != nil {
			return nil, err
		}
		if st.out, err = newSlot(n.GetOutput()[0]); err != nil {
			return nil, err
		}
		g.steps = append(g.steps, st)
	}
	out := gp.GetOutput()[0]
	g.OutputName = out.GetName()
	s, ok := slot[g.OutputName]
	if !ok {
		return nil, fmt.Errorf("%w: output %q is never computed", ErrModel, g.OutputName)
	}
	g.output = s
	if w, err := matrixWidth(out); err == nil {
		g.Outputs = w
	}
	// Dry run with one row: shape errors surface here, not at the first call.
	if _, err := g.Run(make([]float32, g.Features), 1); err != nil {
		return nil, err
	}
	if g.Outputs == 0 {
		y, _ := g.run(make([]float32, g.Features), 1)
		g.Outputs = len(y.data)
	}
	return g, nil
}

func matrixWidth(vi *onnxpb.ValueInfoProto) (int, error) {
	tt := vi.GetType().GetTensorType()
	if tt == nil || tt.GetElemType() != int32(onnxpb.TensorProto_FLOAT) {
		return 0, fmt.Errorf("%w: %q is not a float tensor", ErrModel, vi.GetName())
	}
	d := tt.GetShape().GetDim()
	if len(d) != 2 || d[1].GetDimValue() <= 0 || d[1].GetDimValue() > maxElements {
		return 0, fmt.Errorf("%w: %q must be [batch, width] with a fixed width", ErrModel, vi.GetName())
	}
	return int(d[1].GetDimValue()), nil
}

func decodeTensor(tp *onnxpb.TensorProto) (*tensor, error) {
	if tp.GetDataType() != int32(onnxpb.TensorProto_FLOAT) {
		return nil, fmt.Errorf("%w: initializer %q has data type %d (want FLOAT)", ErrModel, tp.GetName(), tp.GetDataType())
	}
	if tp.GetDataLocation() == onnxpb.TensorProto_EXTERNAL || tp.GetSegment() != nil {
		return nil, fmt.Errorf("%w: initializer %q uses external data or segments", ErrModel, tp.GetName())
	}
	shape := make([]int, len(tp.GetDims()))
	for i, d := range tp.GetDims() {
		if d < 0 || d > maxElements {
			return nil, fmt.Errorf("%w: initializer %q dimension %d", ErrModel, tp.GetName(), d)
		}
		shape[i] = int(d)
	}
	n, ok := numel(shape)
	if !ok {
		return nil, fmt.Errorf("%w: initializer %q too large", ErrModel, tp.GetName())
	}
	t := &tensor{shape: shape}
	switch {
	case len(tp.GetRawData()) > 0:
		raw := tp.GetRawData()
		if len(raw) != 4*n {
			return nil, fmt.Errorf("%w: initializer %q has %d raw bytes, want %d", ErrModel, tp.GetName(), len(raw), 4*n)
		}
		t.data = make([]float32, n)
		for i := range t.data {
			t.data[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
	default:
		if len(tp.GetFloatData()) != n {
			return nil, fmt.Errorf("%w: initializer %q has %d values, want %d", ErrModel, tp.GetName(), len(tp.GetFloatData()), n)
		}
		t.data = append([]float32(nil), tp.GetFloatData()...)
	}
	return t, nil
}

var arity = map[string]int{"Gemm": -1, "MatMul": 2, "Add": 2, "Sub": 2, "Mul": 2, "Div": 2,
	"Relu": 1, "Sigmoid": 1, "Tanh": 1, "Identity": 1}

func compileNode(n *onnxpb.NodeProto, slot map[string]int) (step, error) {
	st := step{op: n.GetOpType(), name: n.GetName(), alpha: 1, beta: 1}
	if d := n.GetDomain(); d != "" && d != "ai.onnx" {
		return st, fmt.Errorf("%w: node %q in domain %q", ErrModel, st.name, d)
	}
	want, ok := arity[st.op]
	if !ok {
		return st, fmt.Errorf("%w: operator %q (node %q) not implemented", ErrModel, st.op, st.name)
	}
	nin := len(n.GetInput())
	if st.op == "Gemm" {
		if nin != 2 && nin != 3 {
			return st, fmt.Errorf("%w: Gemm %q has %d inputs", ErrModel, st.name, nin)
		}
	} else if nin != want {
		return st, fmt.Errorf("%w: %s %q has %d inputs, want %d", ErrModel, st.op, st.name, nin, want)
	}
	if len(n.GetOutput()) != 1 {
		return st, fmt.Errorf("%w: node %q has %d outputs, want 1", ErrModel, st.name, len(n.GetOutput()))
	}
	for _, in := range n.GetInput() {
		s, ok := slot[in]
		if !ok {
			return st, fmt.Errorf("%w: node %q reads %q before it is defined", ErrModel, st.name, in)
		}
		st.in = append(st.in, s)
	}
	for _, a := range n.GetAttribute() {
		switch {
		case st.op == "Gemm" && a.GetName() == "alpha":
			st.alpha = a.GetF()
		case st.op == "Gemm" && a.GetName() == "beta":
			st.beta = a.GetF()
		case st.op == "Gemm" && a.GetName() == "transA":
			st.transA = a.GetI() != 0
		case st.op == "Gemm" && a.GetName() == "transB":
			st.transB = a.GetI() != 0
		default:
			return st, fmt.Errorf("%w: attribute %q of %s %q not implemented", ErrModel, a.GetName(), st.op, st.name)
		}
	}
	return st, nil
}

// Run evaluates the graph on batch rows of x (row-major [batch, Features])
// and returns the output, row-major [batch, Outputs].
func (g *Graph) Run(x []float32, batch int) ([]float32, error) {
	t, err := g.run(x, batch)
	if err != nil {
		return nil, err
	}
	return t.data, nil
}

func (g *Graph) run(x []float32, batch int) (*tensor, error) {
	if batch <= 0 || len(x) != batch*g.Features {
		return nil, fmt.Errorf("onnx: input has %d values, want batch %d × %d features", len(x), batch, g.Features)
	}
	vals := make([]*tensor, g.nslots)
	copy(vals, g.consts)
	vals[g.input] = &tensor{shape: []int{batch, g.Features}, data: x}
	budget := runWork(batch)
	for i := range g.steps {
		st := &g.steps[i]
		args := make([]*tensor, len(st.in))
		for k, s := range st.in {
			args[k] = vals[s]
		}
		cost := st.cost(args)
		if budget -= cost; cost < 0 || budget < 0 {
			return nil, fmt.Errorf("%w: node %q (%s) exceeds the work limit of %d per run", ErrModel, st.name, st.op, runWork(batch))
		}
		out, err := st.eval(args)
		if err != nil {
			return nil, fmt.Errorf("%w: node %q (%s): %v", ErrModel, st.name, st.op, err)
		}
		vals[st.out] = out
	}
	y := vals[g.output]
	if len(y.shape) != 2 || y.shape[0] != batch {
		return nil, fmt.Errorf("%w: output shape %v for batch %d", ErrModel, y.shape, batch)
	}
	return y, nil
}

// cost estimates a node's work before it runs: multiply-adds for the
// matrix products, otherwise the larger operand's element count (an upper
// bound of what broadcasting can produce is checked by numel in eval).
func (st *step) cost(a []*tensor) int64 {
	var c int64
	for _, t := range a {
		c = max(c, int64(len(t.data)))
	}
	if (st.op == "Gemm" || st.op == "MatMul") && len(a) >= 2 && len(a[0].shape) == 2 && len(a[1].shape) == 2 {
		m, k, n := int64(a[0].shape[0]), int64(a[0].shape[1]), int64(a[1].shape[1])
		if b := int64(a[1].shape[0]); b > k { // transposed operands: take the larger, an upper bound
			k = b
		}
		if m > maxElements || k > maxElements || n > maxElements {
			return -1
		}
		c = max(c, m*k*max(n, int64(a[1].shape[0])))
	}
	return c
}

func (st *step) eval(a []*tensor) (*tensor, error) {
	switch st.op {
	case "Identity":
		return a[0], nil
	case "Relu", "Sigmoid", "Tanh":
		out := &tensor{shape: a[0].shape, data: make([]float32, len(a[0].data))}
		for i, v := range a[0].data {
			switch st.op {
			case "Relu":
				out.data[i] = max(v, 0)
			case "Sigmoid":
				out.data[i] = sigmoid32(v)
			default:
				out.data[i] = float32(math.Tanh(float64(v)))
			}
		}
		return out, nil
	case "Add", "Sub", "Mul", "Div":
		return broadcast(st.op, a[0], a[1])
	case "MatMul":
		return gemm(a[0], a[1], nil, false, false, 1, 0)
	case "Gemm":
		var c *tensor
		if len(a) == 3 {
			c = a[2]
		}
		return gemm(a[0], a[1], c, st.transA, st.transB, st.alpha, st.beta)
	}
	return nil, fmt.Errorf("operator %q", st.op)
}

// sigmoid32 is the logistic function, written so that neither branch
// overflows.
func sigmoid32(v float32) float32 {
	x := float64(v)
	if x >= 0 {
		return float32(1 / (1 + math.Exp(-x)))
	}
	e := math.Exp(x)
	return float32(e / (1 + e))
}

// broadcast applies a binary operator with numpy-style broadcasting.
func broadcast(op string, x, y *tensor) (*tensor, error) {
	r := max(len(x.shape), len(y.shape))
	shape := make([]int, r)
	xs, ys := padShape(x.shape, r), padShape(y.shape, r)
	for i := range r {
		switch {
		case xs[i] == ys[i], ys[i] == 1:
			shape[i] = xs[i]
		case xs[i] == 1:
			shape[i] = ys[i]
		default:
			return nil, fmt.Errorf("shapes %v and %v do not broadcast", x.shape, y.shape)
		}
	}
	n, ok := numel(shape)
	if !ok {
		return nil, fmt.Errorf("result %v too large", shape)
	}
	out := &tensor{shape: shape, data: make([]float32, n)}
	// Fast path: y is one row broadcast over the rows of x (a bias or a
	// standardisation vector), or the shapes are equal.
	if w := len(y.data); r > 0 && len(x.data) == n && w > 0 && n%w == 0 && (w == n || (w == shape[r-1] && ys[r-1] == w)) {
		for base := 0; base < n; base += w {
			xr, or := x.data[base:base+w], out.data[base:base+w]
			yr := y.data
			if w == n {
				yr = y.data[base : base+w]
			}
			for k := range or {
				u, v := xr[k], yr[k]
				switch op {
				case "Add":
					or[k] = u + v
				case "Sub":
					or[k] = u - v
				case "Mul":
					or[k] = u * v
				default:
					or[k] = u / v
				}
			}
		}
		return out, nil
	}
	xst, yst := strides(xs, shape), strides(ys, shape)
	idx := make([]int, r)
	for k := range n {
		xi, yi := 0, 0
		for d := range r {
			xi += idx[d] * xst[d]
			yi += idx[d] * yst[d]
		}
		u, v := x.data[xi], y.data[yi]
		switch op {
		case "Add":
			out.data[k] = u + v
		case "Sub":
			out.data[k] = u - v
		case "Mul":
			out.data[k] = u * v
		default:
			out.data[k] = u / v
		}
		for d := r - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < shape[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out, nil
}

func padShape(s []int, r int) []int {
	p := make([]int, r)
	for i := range p {
		p[i] = 1
	}
	copy(p[r-len(s):], s)
	return p
}

// strides of a (padded) operand shape within the result shape: 0 along
// broadcast dimensions.
func strides(s, result []int) []int {
	st := make([]int, len(s))
	acc := 1
	for d := len(s) - 1; d >= 0; d-- {
		if s[d] == 1 && result[d] != 1 {
			st[d] = 0
		} else {
			st[d] = acc
		}
		acc *= s[d]
	}
	return st
}

// gemm computes alpha·op(A)·op(B) + beta·C for 2-D A and B; C broadcasts
// to the result.
func gemm(a, b, c *tensor, transA, transB bool, alpha, beta float32) (*tensor, error) {
	if len(a.shape) != 2 || len(b.shape) != 2 {
		return nil, fmt.Errorf("operands %v and %v are not matrices", a.shape, b.shape)
	}
	m, k := a.shape[0], a.shape[1]
	if transA {
		m, k = k, m
	}
	k2, n := b.shape[0], b.shape[1]
	if transB {
		k2, n = n, k2
	}
	if k != k2 {
		return nil, fmt.Errorf("inner dimensions %d and %d differ", k, k2)
	}
	total, ok := numel([]int{m, n})
	if !ok {
		return nil, fmt.Errorf("result %dx%d too large", m, n)
	}
	out := &tensor{shape: []int{m, n}, data: make([]float32, total)}
	for i := range m {
		row := out.data[i*n : (i+1)*n]
		if transB && !transA { // rows of A against rows of B: contiguous dot products
			ar := a.data[i*k : (i+1)*k]
			for j := range n {
				br := b.data[j*k : (j+1)*k]
				var s float32
				for p, av := range ar {
					s += av * br[p]
				}
				row[j] = s * alpha
			}
			continue
		}
		for p := range k {
			var av float32
			if transA {
				av = a.data[p*a.shape[1]+i]
			} else {
				av = a.data[i*k+p]
			}
			if av == 0 {
				continue
			}
			if transB {
				for j := range n {
					row[j] += av * b.data[j*k+p]
				}
			} else {
				br := b.data[p*n : (p+1)*n]
				for j := range n {
					row[j] += av * br[j]
				}
			}
		}
		if alpha != 1 {
			for j := range row {
				row[j] *= alpha
			}
		}
	}
	if c != nil && beta != 0 {
		if len(c.shape) > 2 {
			return nil, fmt.Errorf("bias %v has more than 2 dimensions", c.shape)
		}
		bc, err := broadcast("Mul", c, &tensor{shape: nil, data: []float32{beta}})
		if err != nil {
			return nil, err
		}
		return broadcast("Add", out, bc)
	}
	return out, nil
}

// String summarises the graph: opset, operators, widths.
func (g *Graph) String() string {
	ops := make([]string, len(g.steps))
	for i, s := range g.steps {
		ops[i] = s.op
	}
	return fmt.Sprintf("opset %d, %d→%d, %s", g.Opset, g.Features, g.Outputs, strings.Join(ops, "→"))
}
