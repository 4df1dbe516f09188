//go:build !cgo

package onnx

const cgoEnabled = false
