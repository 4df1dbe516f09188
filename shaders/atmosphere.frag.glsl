#version 330 core
// Atmosphere rim: a shell slightly larger than the Earth, brightest where the
// view grazes it, lit by the Sun, blended additively.
in vec3 vNormal;
in vec3 vWorld;
in vec3 vFixed;
in vec2 vUV;

uniform vec3 uSunDir;
uniform vec3 uEye;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oID;

void main() {
    vec3 n = normalize(vNormal);
    vec3 v = normalize(uEye - vWorld);
    float rim = 1.0 - max(dot(n, v), 0.0);
    float glow = pow(rim, 3.0);
    float sun = smoothstep(-0.35, 0.45, dot(n, uSunDir));
    vec3 c = vec3(0.30, 0.55, 1.0) * glow * (0.08 + 1.1 * sun);
    oColor = vec4(c, 1.0);
    oID = 0u;
}
