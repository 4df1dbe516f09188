// Package onnx writes small feed-forward models as ONNX files, runs them with ONNX Runtime where cgo and the library are available, and otherwise with a pure-Go interpreter of the operators it emits.
package onnx
