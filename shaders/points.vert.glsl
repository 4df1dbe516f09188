#version 330 core
// Catalogued objects as instanced points. The CPU propagates every object at
// two keyframe times ta and tb = ta + h (TEME km, km/s); this shader places
// each one at the frame time by cubic Hermite interpolation on position and
// velocity, so only the keyframes cost SGP4 calls.
layout(location = 0) in vec3 aPosA;   // km
layout(location = 1) in vec3 aVelA;   // km/s
layout(location = 2) in vec3 aPosB;
layout(location = 3) in vec3 aVelB;
layout(location = 4) in uint aKind;   // 0 payload, 1 rocket body, 2 debris, 3 unknown, 255 hidden

uniform mat4 uViewProj;
uniform float uS;          // (t - ta) / h, in [0, 1]
uniform float uH;          // h in seconds
uniform float uKmToWorld;
uniform float uPointSize;  // pixels
uniform uint uSelected;    // instance id + 1, 0 for none
uniform uint uHover;
uniform vec3 uPalette[4];
uniform uint uKindMask;    // bit k set: kind k shown

out vec3 vColor;
flat out uint vID;

void main() {
    vID = uint(gl_InstanceID) + 1u;
    if (aKind > 3u || ((uKindMask >> aKind) & 1u) == 0u || vID == uSelected) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // outside the clip volume
        gl_PointSize = 1.0;
        vColor = vec3(0.0);
        return;
    }
    float s = uS;
    float s2 = s * s;
    float s3 = s2 * s;
    float h00 = 2.0 * s3 - 3.0 * s2 + 1.0;
    float h10 = s3 - 2.0 * s2 + s;
    float h01 = -2.0 * s3 + 3.0 * s2;
    float h11 = s3 - s2;
    vec3 p = h00 * aPosA + h10 * uH * aVelA + h01 * aPosB + h11 * uH * aVelB;
    gl_Position = uViewProj * vec4(p * uKmToWorld, 1.0);
    vColor = uPalette[aKind];
    float size = uPointSize;
    if (vID == uHover) {
        size *= 2.2;
        vColor = mix(vColor, vec3(1.0), 0.6);
    }
    gl_PointSize = size;
}
