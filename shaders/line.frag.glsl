#version 330 core
in float vFade;

uniform vec3 uColor;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oID;

void main() {
    oColor = vec4(uColor, 0.25 + 0.75 * vFade);
    oID = 0u;
}
