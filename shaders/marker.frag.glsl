#version 330 core
// Ring around the selected object.
uniform vec3 uColor;
uniform uint uID;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oID;

void main() {
    vec2 d = gl_PointCoord * 2.0 - 1.0;
    float r = length(d);
    if (r > 1.0) {
        discard;
    }
    float ring = smoothstep(0.62, 0.72, r) * (1.0 - smoothstep(0.88, 1.0, r));
    float core = 1.0 - smoothstep(0.25, 0.35, r);
    float a = max(ring, core);
    if (a < 0.05) {
        discard;
    }
    oColor = vec4(uColor * a, 1.0);
    oID = uID;
}
