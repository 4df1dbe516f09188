//go:build cgo

package onnx

const cgoEnabled = true
