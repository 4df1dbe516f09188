#version 330 core
// Earth sphere. aPos is a unit vector in the Earth-fixed (PEF) frame; uModel
// turns it into TEME by the Greenwich mean sidereal angle.
layout(location = 0) in vec3 aPos;
layout(location = 1) in vec2 aUV;

uniform mat4 uViewProj;
uniform mat4 uModel;
uniform float uRadius;

out vec3 vNormal;   // TEME, unit
out vec3 vWorld;    // TEME, world units
out vec3 vFixed;    // Earth-fixed unit vector (for the graticule)
out vec2 vUV;

void main() {
    vec4 w = uModel * vec4(aPos * uRadius, 1.0);
    vWorld = w.xyz;
    vNormal = normalize(mat3(uModel) * aPos);
    vFixed = aPos;
    vUV = aUV;
    gl_Position = uViewProj * w;
}
