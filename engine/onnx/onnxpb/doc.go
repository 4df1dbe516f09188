// Package onnxpb holds the Go types of the ONNX model format, generated from Debian's onnx.proto (libonnx-dev 1.12).
package onnxpb

// Regenerate with `make onnxpb` (needs protobuf-compiler and libonnx-dev);
// normal builds use the committed onnx.pb.go and need no protoc.
//go:generate sh -c "cd ../../.. && make onnxpb"
