#version 330 core
// The selected object, propagated exactly on the CPU every frame.
uniform mat4 uViewProj;
uniform vec3 uPos;         // world units
uniform float uPointSize;

void main() {
    gl_Position = uViewProj * vec4(uPos, 1.0);
    gl_PointSize = uPointSize;
}
