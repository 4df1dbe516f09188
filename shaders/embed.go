// Package shaders holds the GLSL 3.30 core sources of the 3D view, embedded
// in the binary.
package shaders

import (
	"embed"
	"fmt"
)

//go:embed *.glsl
var files embed.FS

// Source returns the text of one shader file, e.g. "earth.vert.glsl".
func Source(name string) (string, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("shaders: %s: %w", name, err)
	}
	return string(b), nil
}

// Names lists every embedded shader file.
func Names() []string {
	ents, _ := files.ReadDir(".")
	out := make([]string, 0, len(ents))
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}
