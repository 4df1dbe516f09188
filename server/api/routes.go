package api

import (
	"net/http"

	"github.com/astroshield/astroshield/server/store"
)

const (
	public   = store.RoleNone
	viewer   = store.RoleViewer
	analyst  = store.RoleAnalyst
	operator = store.RoleOperator
	admin    = store.RoleAdmin
)

// routeTable is every endpoint, its lowest role and its handler.
func (s *Server) routeTable() []Route {
	const G, P, D, A = http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPatch
	return []Route{
		{Method: G, Path: "/healthz", Role: public, Summary: "liveness: the process answers", h: s.healthz},
		{Method: G, Path: "/readyz", Role: public, Summary: "readiness: storage answers", h: s.readyz},
		{Method: G, Path: "/metrics", Role: public, Summary: "Prometheus metrics (text format)", h: s.metrics},
		{Method: G, Path: "/.well-known/jwks.json", Role: public, Summary: "public signing keys (current and within grace)", h: s.jwks},
		{Method: G, Path: "/api/v1/openapi.json", Role: public, Summary: "this API as an OpenAPI 3 document", h: s.openapi},
		{Method: G, Path: "/api/v1/docs", Role: public, Summary: "API documentation page", h: s.docs},
		{Method: P, Path: "/api/v1/auth/login", Role: public, Summary: "log in with username and password", Request: `{"username","password"}`, h: s.login},
		{Method: P, Path: "/api/v1/auth/refresh", Role: public, Summary: "exchange a refresh token for a new pair", Request: `{"refresh_token"}`, h: s.refresh},
		{Method: P, Path: "/api/v1/auth/logout", Role: public, Summary: "revoke a refresh token's session", Request: `{"refresh_token"}`, h: s.logout},

		{Method: G, Path: "/api/v1/me", Role: viewer, Summary: "the authenticated caller", h: s.me},
		{Method: G, Path: "/api/v1/ws", Role: viewer, Summary: "WebSocket live feed (channels conjunctions, maneuvers, ccdm, catalog, jobs)", h: s.ws},
		{Method: G, Path: "/api/v1/objects", Role: viewer, Summary: "search the catalog (q=name, norad, cospar, after, limit)", h: s.objects},
		{Method: G, Path: "/api/v1/objects/{norad}", Role: viewer, Summary: "one object", h: s.object},
		{Method: G, Path: "/api/v1/objects/{norad}/elements", Role: viewer, Summary: "an object's element-set history, newest first (before=RFC3339 epoch, limit; next_before and Link rel=next when more)", h: s.elementHistory},
		{Method: G, Path: "/api/v1/catalog/changes", Role: viewer, Summary: "element sets stored after a cursor (cursor, limit ≤ 10000, total=1); Accept: application/x-protobuf or JSON; gzip", h: s.catalogChanges},
		{Method: G, Path: "/api/v1/objects/{norad}/ephemeris", Role: viewer, Summary: "SGP4 TEME states (start, stop RFC3339; step_s); Accept: application/x-protobuf or JSON", h: s.ephemeris},
		{Method: P, Path: "/api/v1/objects/{norad}/maneuvers/detect", Role: analyst, Summary: "run manoeuvre detection on an object's history", Write: true, h: s.detectManeuvers},
		{Method: P, Path: "/api/v1/elements", Role: analyst, Summary: "import element sets (TLE or OMM KVN/XML/JSON/CSV body)", Write: true, Upload: true, Request: "text/plain TLE or OMM", h: s.importElements},
		{Method: G, Path: "/api/v1/screenings", Role: viewer, Summary: "your screening jobs (all for admins)", h: s.listJobs},
		{Method: P, Path: "/api/v1/screenings", Role: analyst, Summary: "start a screening job", Write: true, Request: `{"start","hours","threshold_km","primaries","hbr_m"}`, h: s.startJob},
		{Method: G, Path: "/api/v1/screenings/{id}", Role: viewer, Summary: "a screening job's state and progress", h: s.job},
		{Method: P, Path: "/api/v1/screenings/{id}/cancel", Role: analyst, Summary: "cancel a screening job", Write: true, h: s.cancelJob},
		{Method: G, Path: "/api/v1/conjunctions", Role: viewer, Summary: "conjunction events (norad, after, limit)", h: s.conjunctions},
		{Method: G, Path: "/api/v1/conjunctions/{id}", Role: viewer, Summary: "one conjunction with its history, notes and acknowledgements (acknowledged: the current version is)", h: s.conjunction},
		{Method: G, Path: "/api/v1/conjunctions/{id}/notes", Role: viewer, Summary: "an event's notes, oldest first (after, limit)", h: s.conjunctionNotes},
		{Method: P, Path: "/api/v1/conjunctions/{id}/notes", Role: analyst, Summary: "add a note; stored even when the event changed since seen_updated_at (then conflict=true with the current event)", Write: true, Request: `{"text","seen_updated_at"}`, h: s.addConjunctionNote},
		{Method: P, Path: "/api/v1/conjunctions/{id}/ack", Role: analyst, Summary: "acknowledge the event as of seen_updated_at; 409 event_changed with the current event when it changed since", Write: true, Request: `{"seen_updated_at","comment"}`, h: s.ackConjunction},
		{Method: G, Path: "/api/v1/cdms", Role: viewer, Summary: "stored CDMs (norad, after, limit)", h: s.cdms},
		{Method: P, Path: "/api/v1/cdms", Role: operator, Summary: "import a CCSDS CDM (KVN or XML body)", Write: true, Upload: true, Request: "CCSDS CDM KVN or XML", h: s.importCDM},
		{Method: G, Path: "/api/v1/cdms/{id}", Role: viewer, Summary: "export a CDM as CCSDS KVN", h: s.exportCDM},
		{Method: G, Path: "/api/v1/maneuvers", Role: viewer, Summary: "detected manoeuvres (norad, after, limit)", h: s.maneuvers},
		{Method: G, Path: "/api/v1/objects/{norad}/indicators", Role: viewer, Summary: "an object's CCDM indicators that fired, id order (kind, after, limit; next_after)", h: s.objectIndicators},
		{Method: G, Path: "/api/v1/objects/{norad}/assessment", Role: viewer, Summary: "an object's newest CCDM threat assessment (level, score, indicators it rests on; status insufficient-data when nothing could be judged)", h: s.objectAssessment},
		{Method: P, Path: "/api/v1/objects/{norad}/ccdm", Role: analyst, Summary: "run CCDM analysis on an object's stored history now (catalog: true adds the stored catalog for proximity, density and launch indicators)", Write: true, Request: `{"catalog"} (optional)`, h: s.analyzeCCDM},
		{Method: G, Path: "/api/v1/indicators", Role: viewer, Summary: "CCDM indicators of every object, id order (norad, kind, after, limit; next_after)", h: s.indicators},
		{Method: G, Path: "/api/v1/assessments", Role: viewer, Summary: "CCDM threat assessments, id order (norad, after, limit; next_after)", h: s.assessments},
		{Method: G, Path: "/api/v1/models", Role: viewer, Summary: "registered ONNX models (registry metadata: sha256, kind, active, metrics)", h: s.models},
		{Method: P, Path: "/api/v1/graphql", Role: viewer, Summary: "GraphQL query (nested object → conjunctions → Pc history, CDMs, notes, acknowledgements; object → CCDM indicators, assessment; screenings, webhooks, admin data by role); depth ≤ 8, complexity ≤ 10000, query ≤ 16 KiB, list limit ≤ 1000", Request: `{"query","operationName","variables"}`, h: s.graphql},
		{Method: G, Path: "/api/v1/graphql", Role: viewer, Summary: "GraphQL query as URL parameters (query, operationName, variables)", h: s.graphql},
		{Method: G, Path: "/api/v1/graphql/schema", Role: viewer, Summary: "the GraphQL schema (SDL text)", h: s.graphqlSchemaText},

		{Method: G, Path: "/api/v1/webhooks", Role: operator, Summary: "your webhooks (all for admins)", h: s.webhooks},
		{Method: P, Path: "/api/v1/webhooks", Role: operator, Summary: "subscribe a URL to channels (the signing secret is shown once)", Write: true, Request: `{"url","channels"}`, h: s.createWebhook},
		{Method: D, Path: "/api/v1/webhooks/{id}", Role: operator, Summary: "delete a webhook", Write: true, h: s.deleteWebhook},
		{Method: G, Path: "/api/v1/webhooks/{id}/deliveries", Role: operator, Summary: "a webhook's delivery log, newest first", h: s.deliveries},

		{Method: G, Path: "/api/v1/users", Role: admin, Summary: "list users", h: s.users},
		{Method: P, Path: "/api/v1/users", Role: admin, Summary: "create a user", Write: true, Request: `{"username","password","role"}`, h: s.createUser},
		{Method: A, Path: "/api/v1/users/{username}", Role: admin, Summary: "change a user's role or disable them", Write: true, Request: `{"role","disabled"}`, h: s.updateUser},
		{Method: G, Path: "/api/v1/apikeys", Role: admin, Summary: "list API keys (never their secrets)", h: s.apiKeys},
		{Method: P, Path: "/api/v1/apikeys", Role: admin, Summary: "create an API key (its secret is shown once)", Write: true, Request: `{"name","role","ttl_hours"}`, h: s.createAPIKey},
		{Method: D, Path: "/api/v1/apikeys/{id}", Role: admin, Summary: "revoke an API key", Write: true, h: s.revokeAPIKey},
		{Method: P, Path: "/api/v1/signing-keys/rotate", Role: admin, Summary: "rotate the token signing key now", Write: true, h: s.rotateKey},
		{Method: G, Path: "/api/v1/audit", Role: admin, Summary: "the audit log (after, limit)", h: s.audit},
		{Method: G, Path: "/api/v1/audit/verify", Role: admin, Summary: "verify the audit log's hash chain", h: s.verifyAudit},
	}
}
