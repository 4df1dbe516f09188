package onnx

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/astroshield/astroshield/engine/onnx/onnxpb"
)

// Opset and IR version of the files this package writes (ONNX 1.8+
// readers; Debian's onnx 1.12 checker and ONNX Runtime 1.24 accept them).
const (
	Opset     = 13
	IRVersion = 7
)

// Tensor names of the graphs this package writes: one float32 input of
// shape [batch, features] and one float32 output of shape [batch, 1].
const (
	InputName  = "features"
	OutputName = "score"
)

// Activation is the nonlinearity after a dense layer.
type Activation int

// Activations; each maps to one ONNX operator.
const (
	ActNone    Activation = iota // identity
	ActRelu                      // Relu
	ActSigmoid                   // Sigmoid
	ActTanh                      // Tanh
)

var actOps = [...]string{"", "Relu", "Sigmoid", "Tanh"}

// Layer is a dense layer y = act(x·Wᵀ + b), W row-major [Out][In].
type Layer struct {
	In, Out int
	W       []float32 // len Out*In, W[o*In+i]
	B       []float32 // len Out
	Act     Activation
}

// MLP is a feed-forward network with input standardisation
// z = (x − Mean) · InvStd, written as Sub, Mul, then one Gemm (+ activation)
// per layer.
type MLP struct {
	Features []string // input feature names, in column order
	Mean     []float32
	InvStd   []float32
	Layers   []Layer
	// Metadata is written into the file's metadata_props.
	Metadata map[string]string
}

// ErrModel is returned for a model that is malformed or uses something
// this package does not implement.
var ErrModel = errors.New("onnx: unsupported or malformed model")

// Validate checks the shapes of an MLP.
func (m *MLP) Validate() error {
	nf := len(m.Features)
	if nf == 0 || len(m.Mean) != nf || len(m.InvStd) != nf {
		return fmt.Errorf("%w: %d features, %d means, %d inverse deviations", ErrModel, nf, len(m.Mean), len(m.InvStd))
	}
	if len(m.Layers) == 0 {
		return fmt.Errorf("%w: no layers", ErrModel)
	}
	in := nf
	for k, l := range m.Layers {
		if l.In != in || l.Out <= 0 || len(l.W) != l.In*l.Out || len(l.B) != l.Out {
			return fmt.Errorf("%w: layer %d shape %dx%d (W %d, B %d), input width %d", ErrModel, k, l.Out, l.In, len(l.W), len(l.B), in)
		}
		if l.Act < ActNone || l.Act > ActTanh {
			return fmt.Errorf("%w: layer %d activation %d", ErrModel, k, l.Act)
		}
		in = l.Out
	}
	if in != 1 {
		return fmt.Errorf("%w: last layer has %d outputs, want 1", ErrModel, in)
	}
	for _, v := range [][]float32{m.Mean, m.InvStd} {
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return fmt.Errorf("%w: non-finite standardisation", ErrModel)
			}
		}
	}
	return nil
}

// Export encodes the MLP as an ONNX ModelProto (opset 13).
func (m *MLP) Export(producerVersion string) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	nf := int64(len(m.Features))
	g := &onnxpb.GraphProto{Name: proto.String("astroshield_mlp")}
	g.Initializer = append(g.Initializer,
		floatTensor("mean", []int64{nf}, m.Mean),
		floatTensor("inv_std", []int64{nf}, m.InvStd))
	g.Node = append(g.Node,
		node("Sub", "standardise_sub", []string{InputName, "mean"}, []string{"centred"}),
		node("Mul", "standardise_mul", []string{"centred", "inv_std"}, []string{"z0"}))
	cur := "z0"
	for k, l := range m.Layers {
		w, b := fmt.Sprintf("W%d", k+1), fmt.Sprintf("B%d", k+1)
		g.Initializer = append(g.Initializer,
			floatTensor(w, []int64{int64(l.Out), int64(l.In)}, l.W),
			floatTensor(b, []int64{int64(l.Out)}, l.B))
		out := fmt.Sprintf("h%d", k+1)
		if l.Act == ActNone && k == len(m.Layers)-1 {
			out = OutputName
		}
		gemm := node("Gemm", fmt.Sprintf("dense%d", k+1), []string{cur, w, b}, []string{out})
		gemm.Attribute = []*onnxpb.AttributeProto{{
			Name: proto.String("transB"), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(1)}}
		g.Node = append(g.Node, gemm)
		cur = out
		if l.Act != ActNone {
			out = fmt.Sprintf("a%d", k+1)
			if k == len(m.Layers)-1 {
				out = OutputName
			}
			g.Node = append(g.Node, node(actOps[l.Act], fmt.Sprintf("act%d", k+1), []string{cur}, []string{out}))
			cur = out
		}
	}
	g.Input = []*onnxpb.ValueInfoProto{valueInfo(InputName, nf)}
	g.Output = []*onnxpb.ValueInfoProto{valueInfo(OutputName, 1)}

	mp := &onnxpb.ModelProto{
		IrVersion:       proto.Int64(IRVersion),
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(Opset)}},
		ProducerName:    proto.String("astroshield"),
		ProducerVersion: proto.String(producerVersion),
		Graph:           g,
	}
	mp.MetadataProps = append(mp.MetadataProps, &onnxpb.StringStringEntryProto{
		Key: proto.String("features"), Value: proto.String(joinNames(m.Features))})
	keys := make([]string, 0, len(m.Metadata))
	for k := range m.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "features" {
			continue
		}
		mp.MetadataProps = append(mp.MetadataProps, &onnxpb.StringStringEntryProto{
			Key: proto.String(k), Value: proto.String(m.Metadata[k])})
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(mp)
	if err != nil {
		return nil, fmt.Errorf("onnx: encode model: %w", err)
	}
	return b, nil
}

func joinNames(s []string) string {
	out := ""
	for i, n := range s {
		if i > 0 {
			out += ","
		}
		out += n
	}
	return out
}

func node(op, name string, in, out []string) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{OpType: proto.String(op), Name: proto.String(name), Input: in, Output: out}
}

func floatTensor(name string, dims []int64, v []float32) *onnxpb.TensorProto {
	return &onnxpb.TensorProto{
		Name:      proto.String(name),
		Dims:      dims,
		DataType:  proto.Int32(int32(onnxpb.TensorProto_FLOAT)),
		FloatData: slices.Clone(v),
	}
}

// valueInfo is a float tensor [batch, width] with a symbolic batch.
func valueInfo(name string, width int64) *onnxpb.ValueInfoProto {
	return &onnxpb.ValueInfoProto{
		Name: proto.String(name),
		Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
			ElemType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)),
			Shape: &onnxpb.TensorShapeProto{Dim: []*onnxpb.TensorShapeProto_Dimension{
				{Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: "batch"}},
				{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: width}},
			}},
		}}},
	}
}

// Predict evaluates the MLP directly (float64 arithmetic) on one row; it
// is the reference the interpreter and ONNX Runtime are checked against.
func (m *MLP) Predict(x []float32) float64 {
	h := make([]float64, len(x))
	for i, v := range x {
		h[i] = (float64(v) - float64(m.Mean[i])) * float64(m.InvStd[i])
	}
	for _, l := range m.Layers {
		next := make([]float64, l.Out)
		for o := range l.Out {
			s := float64(l.B[o])
			for i := range l.In {
				s += float64(l.W[o*l.In+i]) * h[i]
			}
			switch l.Act {
			case ActRelu:
				s = math.Max(s, 0)
			case ActSigmoid:
				s = 1 / (1 + math.Exp(-s))
			case ActTanh:
				s = math.Tanh(s)
			}
			next[o] = s
		}
		h = next
	}
	return h[0]
}
