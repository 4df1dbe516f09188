package api

import (
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the OpenAPI 3 document built from the route table.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]any{}
	errResp := map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	for _, rt := range s.routes {
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_", "-", "_").Replace(rt.Path),
			"responses":   map[string]any{"200": map[string]any{"description": "success"}, "default": errResp},
		}
		if rt.Role != store.RoleNone {
			op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"apiKey": []any{}}}
			op["x-min-role"] = rt.Role.String()
			op["description"] = "Requires role " + rt.Role.String() + " or higher."
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if rt.Write {
			params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "required": false,
				"description": "a retry with the same key applies once and returns the first answer", "schema": map[string]any{"type": "string", "maxLength": 128}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Request != "" {
			ct := "application/json"
			if !strings.HasPrefix(rt.Request, "{") {
				ct = "text/plain"
			}
			op["requestBody"] = map[string]any{"description": rt.Request, "content": map[string]any{ct: map[string]any{"schema": map[string]any{"type": "string"}}}}
		}
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "AstroShield API", "version": s.cfg.Version},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
				"apiKey": map[string]any{"type": "apiKey", "in": "header", "name": "X-API-Key"},
			},
			"schemas": map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{
				"error": map[string]any{"type": "object", "properties": map[string]any{"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}},
			}}},
		},
	}
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	writeJSON(w, http.StatusOK, s.OpenAPI())
	return nil
}

var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AstroShield API</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}td,th{padding:.3em .8em;text-align:left;border-bottom:1px solid #ddd}code{font-size:13px}</style></head>
<body><h1>AstroShield API {{.Version}}</h1>
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Authenticate with
<code>Authorization: Bearer &lt;access token&gt;</code> from <code>POST /api/v1/auth/login</code>, or
<code>X-API-Key: &lt;key&gt;</code>. Errors are <code>{"error":{"code","message"}}</code>. Writes accept
<code>Idempotency-Key</code>.</p>
<table><tr><th>Method</th><th>Path</th><th>Role</th><th>Summary</th></tr>
{{range .Routes}}<tr><td>{{.Method}}</td><td><code>{{.Path}}</code></td><td>{{.RoleName}}</td><td>{{.Summary}}</td></tr>
{{end}}</table></body></html>
`))

func (s *Server) docs(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	type row struct{ Method, Path, RoleName, Summary string }
	var rows []row
	for _, rt := range s.routes {
		role := "public"
		if rt.Role != store.RoleNone {
			role = rt.Role.String()
		}
		rows = append(rows, row{rt.Method, rt.Path, role, rt.Summary})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return docsPage.Execute(w, map[string]any{"Version": s.cfg.Version, "Routes": rows})
}
