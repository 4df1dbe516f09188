#version 330 core
// Earth surface: NASA day imagery lit by the real Sun, city lights on the
// night side, a soft terminator, ocean glint, optional graticule.
in vec3 vNormal;
in vec3 vWorld;
in vec3 vFixed;
in vec2 vUV;

uniform sampler2D uDay;
uniform sampler2D uNight;
uniform vec3 uSunDir;     // TEME unit vector Earth -> Sun
uniform vec3 uEye;        // camera position, world units
uniform bool uGraticule;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oID;

const float PI = 3.14159265358979;

float gridLine(float coordDeg, float stepDeg) {
    float f = coordDeg / stepDeg;
    float d = abs(fract(f - 0.5) - 0.5) / fwidth(f);
    return 1.0 - clamp(d, 0.0, 1.0);
}

void main() {
    vec3 n = normalize(vNormal);
    float cosSun = dot(n, uSunDir);
    float day = smoothstep(-0.08, 0.12, cosSun);
    vec3 dayCol = texture(uDay, vUV).rgb;
    vec3 nightCol = texture(uNight, vUV).rgb;

    vec3 v = normalize(uEye - vWorld);
    vec3 h = normalize(v + uSunDir);
    // Oceans are dark and blue in the imagery: glint only there.
    float ocean = smoothstep(0.10, 0.02, dayCol.r + dayCol.g - dayCol.b * 0.9);
    float spec = pow(max(dot(n, h), 0.0), 60.0) * ocean * 0.35;

    vec3 lit = dayCol * (0.10 + 0.95 * max(cosSun, 0.0)) + vec3(spec) * day;
    vec3 night = dayCol * 0.035 + nightCol * vec3(1.0, 0.85, 0.55) * 0.9;
    vec3 c = mix(night, lit, day);
    // a warm band along the terminator
    c += vec3(0.25, 0.10, 0.02) * (1.0 - abs(day * 2.0 - 1.0)) * 0.25;

    if (uGraticule) {
        float lat = degrees(asin(clamp(vFixed.z, -1.0, 1.0)));
        float lon = degrees(atan(vFixed.y, vFixed.x));
        float g = max(gridLine(lat, 15.0), gridLine(lon, 15.0));
        c = mix(c, vec3(0.55, 0.70, 0.90), g * 0.35);
    }
    oColor = vec4(c, 1.0);
    oID = 0u;
}
