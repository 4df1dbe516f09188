#version 330 core
// Orbit paths and conjunction lines: positions in km (TEME) with a per-vertex
// fade (1 now, falling towards the end of the future orbit).
layout(location = 0) in vec3 aPos;
layout(location = 1) in float aFade;

uniform mat4 uViewProj;
uniform float uKmToWorld;

out float vFade;

void main() {
    vFade = aFade;
    gl_Position = uViewProj * vec4(aPos * uKmToWorld, 1.0);
}
