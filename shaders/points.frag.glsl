#version 330 core
// Round, softly edged point sprites; writes the object id for picking.
in vec3 vColor;
flat in uint vID;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oID;

void main() {
    vec2 d = gl_PointCoord * 2.0 - 1.0;
    float r2 = dot(d, d);
    if (r2 > 1.0) {
        discard;
    }
    float edge = 1.0 - smoothstep(0.55, 1.0, r2);
    oColor = vec4(vColor * (0.55 + 0.45 * edge), 1.0);
    oID = vID;
}
