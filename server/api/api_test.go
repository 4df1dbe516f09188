package api

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
)

func TestDefaultBcryptCost(t *testing.T) {
	if auth.DefaultCost < 12 || auth.MinCost < 12 {
		t.Fatalf("default cost %d, minimum %d: want >= 12", auth.DefaultCost, auth.MinCost)
	}
	if _, err := auth.NewHasher(11); err == nil {
		t.Fatal("NewHasher(11) accepted a cost below 12")
	}
	h, err := auth.NewHasher(auth.DefaultCost)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash("pw")
	if err != nil || !strings.HasPrefix(string(hash), "$2a$12$") {
		t.Fatalf("hash %q, %v: want cost 12", hash, err)
	}
}

// TestRoles runs every route of the table with no credentials, with each
// role and with an API key, and checks 401/403/allowed against its Role.
func TestRoles(t *testing.T) {
	e := newEnv(t)
	tokens := map[store.Role]string{}
	for _, r := range []store.Role{store.RoleViewer, store.RoleAnalyst, store.RoleOperator, store.RoleAdmin} {
		tokens[r] = e.login(r.String()).AccessToken
	}
	var keyText string
	e.db.Update(context.Background(), func(tx store.Tx) error {
		var err error
		keyText, _, err = auth.CreateAPIKey(context.Background(), tx, "test", "roles", store.RoleAnalyst, time.Hour, e.clock())
		return err
	})
	repl := strings.NewReplacer("{norad}", "5", "{id}", "1", "{username}", "nobody")
	for _, rt := range e.api.Routes() {
		path := repl.Replace(rt.Path)
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			if rt.Role == store.RoleNone {
				// Public routes need no credentials; the auth endpoints answer
				// 401 for the bad token in the body, not for a missing header.
				r := e.do(rt.Method, path, "{}")
				if r.status == 403 || (r.status == 401 && !strings.HasPrefix(rt.Path, "/api/v1/auth/")) {
					t.Fatalf("public route answered %d", r.status)
				}
				return
			}
			if r := e.do(rt.Method, path, "{}"); r.status != 401 || r.errCode(t) != "unauthenticated" {
				t.Fatalf("no credentials: %d %s", r.status, r.body)
			}
			if r := e.do(rt.Method, path, "{}", "Authorization", "Bearer garbage"); r.status != 401 {
				t.Fatalf("garbage token: %d", r.status)
			}
			for role, tok := range tokens {
				r := e.do(rt.Method, path, "{}", bearer(tok)...)
				if role < rt.Role && (r.status != 403 || r.errCode(t) != "forbidden") {
					t.Errorf("%s on %s route: %d %s, want 403", role, rt.Role, r.status, r.body)
				}
				if role >= rt.Role && (r.status == 401 || r.status == 403) {
					t.Errorf("%s on %s route: %d %s, want allowed", role, rt.Role, r.status, r.body)
				}
			}
			r := e.do(rt.Method, path, "{}", "X-API-Key", keyText)
			if allowed := store.RoleAnalyst >= rt.Role; allowed == (r.status == 403 || r.status == 401) {
				t.Errorf("analyst API key on %s route: %d", rt.Role, r.status)
			}
		})
	}
}

func TestOpenAPIFromRouteTable(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	e.do("GET", "/api/v1/openapi.json", nil).json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	for _, rt := range e.api.Routes() {
		if _, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s missing from the document", rt.Method, rt.Path)
		}
	}
	if r := e.do("GET", "/api/v1/docs", nil); r.status != 200 || !strings.Contains(string(r.body), "/api/v1/screenings") {
		t.Fatalf("docs page: %d", r.status)
	}
}

// TestJWTAttacks is the RFC 8725 table: every forged or out-of-policy token
// answers 401.
func TestJWTAttacks(t *testing.T) {
	e := newEnv(t)
	good := e.login("admin").AccessToken
	if r := e.do("GET", "/api/v1/me", nil, bearer(good)...); r.status != 200 {
		t.Fatalf("valid token refused: %d", r.status)
	}
	keys, err := e.db.SigningKeys(context.Background())
	if err != nil || len(keys) != 1 {
		t.Fatalf("%d keys, %v", len(keys), err)
	}
	priv := ed25519.NewKeyFromSeed(keys[0].PrivateKey)
	kid := keys[0].KID
	admin, _ := e.db.UserByName(context.Background(), "admin")
	viewer, _ := e.db.UserByName(context.Background(), "viewer")
	now := e.clock()
	claims := func(mut func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": "astroshield", "aud": []string{"astroshield-api"}, "sub": "admin", "uid": admin.ID, "role": "admin",
			"exp": now.Add(5 * time.Minute).Unix(), "nbf": now.Unix(), "iat": now.Unix(), "jti": "x1"}
		if mut != nil {
			mut(c)
		}
		return c
	}
	sign := func(c jwt.MapClaims, kidv any) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
		if kidv != nil {
			tok.Header["kid"] = kidv
		}
		s, err := tok.SignedString(priv)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if r := e.do("GET", "/api/v1/me", nil, bearer(sign(claims(nil), kid))...); r.status != 200 {
		t.Fatalf("control token (server key, good claims) refused: %d %s", r.status, r.body)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := strings.Replace(string(payload), `"sub":"admin"`, `"sub":"viewer"`, 1)
	tampered = strings.Replace(tampered, fmt.Sprintf(`"uid":%d`, admin.ID), fmt.Sprintf(`"uid":%d`, viewer.ID), 1)
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(nil))
	hs.Header["kid"] = kid
	hsTok, _ := hs.SignedString(keys[0].PublicKey) // the public key as an HMAC secret
	none := jwt.NewWithClaims(jwt.SigningMethodNone, claims(nil))
	none.Header["kid"] = kid
	noneTok, _ := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	_, otherPriv, _ := ed25519.GenerateKey(rand.Reader)
	other := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims(nil))
	other.Header["kid"] = kid
	otherTok, _ := other.SignedString(otherPriv)

	for _, c := range []struct{ name, token string }{
		{"alg none", noneTok},
		{"alg none, no signature part", b64([]byte(`{"alg":"none","typ":"JWT","kid":"`+kid+`"}`)) + "." + parts[1] + "."},
		{"HS256 keyed with the public key", hsTok},
		{"signed by another key under our kid", otherTok},
		{"kid path traversal", sign(claims(nil), "../../../../dev/null")},
		{"kid SQL injection", sign(claims(nil), "' OR '1'='1")},
		{"kid unknown", sign(claims(nil), "ffffffffffffffff")},
		{"kid missing", sign(claims(nil), nil)},
		{"kid not a string", sign(claims(nil), 7)},
		{"expired", sign(claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() }), kid)},
		{"no exp", sign(claims(func(c jwt.MapClaims) { delete(c, "exp") }), kid)},
		{"not yet valid", sign(claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() }), kid)},
		{"no nbf", sign(claims(func(c jwt.MapClaims) { delete(c, "nbf") }), kid)},
		{"issued in the future", sign(claims(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() }), kid)},
		{"wrong iss", sign(claims(func(c jwt.MapClaims) { c["iss"] = "evil" }), kid)},
		{"wrong aud", sign(claims(func(c jwt.MapClaims) { c["aud"] = []string{"other-api"} }), kid)},
		{"no aud", sign(claims(func(c jwt.MapClaims) { delete(c, "aud") }), kid)},
		{"no jti", sign(claims(func(c jwt.MapClaims) { delete(c, "jti") }), kid)},
		{"sub does not match uid", sign(claims(func(c jwt.MapClaims) { c["sub"] = "viewer" }), kid)},
		{"tampered payload", parts[0] + "." + b64([]byte(tampered)) + "." + parts[2]},
		{"tampered signature", parts[0] + "." + parts[1] + "." + b64([]byte("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"))},
		{"truncated", parts[0] + "." + parts[1]},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("GET", "/api/v1/me", nil, bearer(c.token)...)
			if r.status != 401 || r.errCode(t) != "unauthenticated" {
				t.Fatalf("%d %s, want 401", r.status, r.body)
			}
		})
	}
	// A disabled user's still-unexpired token stops working at once.
	e.db.Update(context.Background(), func(tx store.Tx) error {
		d := true
		_, err := auth.UpdateUser(context.Background(), tx, "test", "admin", nil, &d, now)
		return err
	})
	e.advance(1100 * time.Millisecond) // the user cache's lifetime (auth.userCacheTTL)
	if r := e.do("GET", "/api/v1/me", nil, bearer(good)...); r.status != 401 {
		t.Fatalf("disabled user's token: %d", r.status)
	}
}

func TestRefreshRotationAndReuse(t *testing.T) {
	e := newEnv(t)
	first := e.login("viewer")
	r := e.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken})
	if r.status != 200 {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	var second auth.Tokens
	r.json(t, &second)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
		t.Fatal("refresh did not rotate the token")
	}
	if r := e.do("GET", "/api/v1/me", nil, bearer(second.AccessToken)...); r.status != 200 {
		t.Fatalf("new access token: %d", r.status)
	}
	// Reuse of the first token: rejected, and the family (second) revoked.
	r = e.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken})
	if r.status != 401 || r.errCode(t) != "refresh_token_reused" {
		t.Fatalf("reuse: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": second.RefreshToken}); r.status != 401 {
		t.Fatalf("family member after reuse: %d", r.status)
	}
	// Another session is untouched.
	other := e.login("viewer")
	if r := e.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": other.RefreshToken}); r.status != 200 {
		t.Fatalf("independent session: %d", r.status)
	}
	if r := e.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": "asr_nope"}); r.status != 401 {
		t.Fatalf("unknown refresh token: %d", r.status)
	}
	// Expiry.
	third := e.login("viewer")
	e.advance(8 * 24 * time.Hour)
	if r := e.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": third.RefreshToken}); r.status != 401 {
		t.Fatalf("expired refresh token: %d", r.status)
	}
	entries, _ := e.db.Audit(context.Background(), 0, 0)
	found := false
	for _, a := range entries {
		found = found || a.Action == "token.refresh_reuse"
	}
	if !found {
		t.Fatal("refresh reuse not audited")
	}
}

func TestLoginAnswersAndThrottle(t *testing.T) {
	e := newEnv(t, func(c *auth.Config) { c.Hasher = auth.InsecureTestHasher(10) }) // ~60 ms per compare
	login := func(user, pw string) resp {
		return e.do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": pw})
	}
	unknown, wrong := login("nosuchuser", "whatever-pw"), login("viewer", "whatever-pw")
	if unknown.status != 401 || wrong.status != 401 || string(unknown.body) != string(wrong.body) {
		t.Fatalf("unknown user %d %s vs wrong password %d %s: want identical 401s", unknown.status, unknown.body, wrong.status, wrong.body)
	}
	if r := login("viewer", strings.Repeat("a", 73)); r.status != 400 || r.errCode(t) != "password_too_long" {
		t.Fatalf("73-byte password: %d %s", r.status, r.body)
	}
	for range 3 { // 1 (above) + 3 = 4 failures; the 5th locks the account
		login("viewer", "bad")
	}
	if r := login("viewer", "bad"); r.status != 401 {
		t.Fatalf("5th failure: %d", r.status)
	}
	began := time.Now()
	r := login("viewer", testPassword) // right password, but locked
	took := time.Since(began)
	if r.status != 429 || r.errCode(t) != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("locked account: %d %s Retry-After=%q", r.status, r.body, r.header.Get("Retry-After"))
	}
	if took > 40*time.Millisecond {
		t.Errorf("throttled answer took %s: bcrypt seems to run before the throttle", took)
	}
	e.advance(61 * time.Second)
	if r := login("viewer", testPassword); r.status != 200 {
		t.Fatalf("after the lockout: %d %s", r.status, r.body)
	}
	// Per address: 20 failures over many accounts lock the address.
	for i := range 20 {
		login(fmt.Sprintf("spray%d", i), "bad")
	}
	if r := login("analyst", testPassword); r.status != 429 {
		t.Fatalf("sprayed address: %d", r.status)
	}
	entries, _ := e.db.Audit(context.Background(), 0, 0)
	var lockouts int
	for _, a := range entries {
		if a.Action == "login.lockout" {
			lockouts++
		}
	}
	if lockouts < 2 {
		t.Fatalf("%d lockouts audited, want >= 2", lockouts)
	}
}

func TestIdempotencyAndErrors(t *testing.T) {
	e := newEnv(t)
	tok := e.login("analyst").AccessToken
	body := tleText(t, 90001, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	h := append(bearer(tok), "Idempotency-Key", "abc-1")
	r1 := e.do("POST", "/api/v1/elements", body, h...)
	r2 := e.do("POST", "/api/v1/elements", body, h...)
	if r1.status != 200 || r2.status != 200 || string(r1.body) != string(r2.body) || r2.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("first %d %s, retry %d %s replayed=%q", r1.status, r1.body, r2.status, r2.body, r2.header.Get("Idempotent-Replayed"))
	}
	var out struct{ Added int }
	r2.json(t, &out)
	if out.Added != 1 {
		t.Fatalf("added %d", out.Added)
	}
	if r := e.do("POST", "/api/v1/elements", tleText(t, 90001, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)), h...); r.status != 422 || r.errCode(t) != "idempotency_key_reused" {
		t.Fatalf("same key, other body: %d %s", r.status, r.body)
	}
	// Keys are per caller: another user's same key is a new request.
	other := append(bearer(e.login("operator").AccessToken), "Idempotency-Key", "abc-1")
	if r := e.do("POST", "/api/v1/elements", body, other...); r.status != 200 || r.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("other caller: %d replayed=%q", r.status, r.header.Get("Idempotent-Replayed"))
	}
	sets, _ := e.db.ElementSets(context.Background(), 90001, 10)
	if len(sets) != 1 {
		t.Fatalf("%d element sets stored, want 1", len(sets))
	}
	// Size limits and error bodies.
	adminTok := e.login("admin").AccessToken
	if r := e.do("POST", "/api/v1/users", strings.Repeat("x", 100<<10), bearer(adminTok)...); r.status != 413 || r.errCode(t) != "payload_too_large" {
		t.Fatalf("oversized body: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/users", map[string]string{"username": "bob", "password": strings.Repeat("p", 73), "role": "viewer"}, bearer(adminTok)...); r.status != 400 || r.errCode(t) != "password_too_long" {
		t.Fatalf("long password: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/users", map[string]string{"username": "bob", "password": "pw", "role": "root"}, bearer(adminTok)...); r.status != 400 {
		t.Fatalf("bad role: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/objects/424242", nil, bearer(tok)...); r.status != 404 || r.errCode(t) != "not_found" {
		t.Fatalf("missing object: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/objects?limit=0", nil, bearer(tok)...); r.status != 400 || r.errCode(t) != "invalid_argument" {
		t.Fatalf("bad limit: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/elements", "not a tle", bearer(tok)...); r.status != 400 {
		t.Fatalf("junk upload: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/healthz", nil); r.status != 200 || r.header.Get("X-Request-ID") == "" {
		t.Fatalf("healthz: %d", r.status)
	}
	if r := e.do("GET", "/readyz", nil); r.status != 200 {
		t.Fatalf("readyz: %d", r.status)
	}
	m := e.do("GET", "/metrics", nil)
	for _, want := range []string{"astroshield_http_request_duration_seconds_bucket{route=\"POST /api/v1/elements\"", "astroshield_ws_clients", "astroshield_job_queue_depth"} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestAPIKeysAndAuditChain(t *testing.T) {
	e := newEnv(t, func(c *auth.Config) { c.APIKeyLimit = auth.NewBucket(1, 3) })
	adminTok := e.login("admin").AccessToken
	r := e.do("POST", "/api/v1/apikeys", map[string]any{"name": "ingest", "role": "viewer", "ttl_hours": 1}, bearer(adminTok)...)
	if r.status != 201 {
		t.Fatalf("create key: %d %s", r.status, r.body)
	}
	var k struct{ ID, Key string }
	r.json(t, &k)
	list := e.do("GET", "/api/v1/apikeys", nil, bearer(adminTok)...)
	if strings.Contains(string(list.body), k.Key) || !strings.Contains(string(list.body), k.ID) {
		t.Fatal("key list shows the secret or lacks the key")
	}
	stored, _ := e.db.APIKey(context.Background(), k.ID)
	if strings.Contains(string(stored.SecretHash), k.Key[len(k.Key)-20:]) {
		t.Fatal("secret stored in clear")
	}
	for i := range 3 {
		if r := e.do("GET", "/api/v1/me", nil, "X-API-Key", k.Key); r.status != 200 {
			t.Fatalf("use %d: %d", i, r.status)
		}
	}
	if r := e.do("GET", "/api/v1/me", nil, "X-API-Key", k.Key); r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Fatalf("over the key's rate: %d", r.status)
	}
	if r := e.do("POST", "/api/v1/elements", "x", "X-API-Key", k.Key); r.status != 403 && r.status != 429 {
		t.Fatalf("viewer key writing: %d", r.status)
	}
	alt := "A"
	if strings.HasSuffix(k.Key, "A") {
		alt = "B"
	}
	if r := e.do("GET", "/api/v1/me", nil, "X-API-Key", k.Key[:len(k.Key)-1]+alt); r.status != 401 {
		t.Fatalf("altered key: %d", r.status)
	}
	if r := e.do("DELETE", "/api/v1/apikeys/"+k.ID, nil, bearer(adminTok)...); r.status != 200 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	e.advance(10 * time.Second) // refill the bucket: the 401 must come from revocation
	if r := e.do("GET", "/api/v1/me", nil, "X-API-Key", k.Key); r.status != 401 {
		t.Fatalf("revoked key: %d", r.status)
	}
	// Expiry.
	r = e.do("POST", "/api/v1/apikeys", map[string]any{"name": "short", "role": "viewer", "ttl_hours": 1}, bearer(adminTok)...)
	r.json(t, &k)
	e.advance(2 * time.Hour)
	if r := e.do("GET", "/api/v1/me", nil, "X-API-Key", k.Key); r.status != 401 {
		t.Fatalf("expired key: %d", r.status)
	}
	// Role change and disable are audited; the chain verifies.
	adminTok = e.login("admin").AccessToken
	if r := e.do("PATCH", "/api/v1/users/viewer", map[string]any{"role": "analyst"}, bearer(adminTok)...); r.status != 200 {
		t.Fatalf("set role: %d %s", r.status, r.body)
	}
	if r := e.do("PATCH", "/api/v1/users/admin", map[string]any{"disabled": true}, bearer(adminTok)...); r.status != 409 {
		t.Fatalf("self-disable: %d", r.status)
	}
	var v struct {
		OK      bool
		Entries int
	}
	e.do("GET", "/api/v1/audit/verify", nil, bearer(adminTok)...).json(t, &v)
	entries, _ := e.db.Audit(context.Background(), 0, 0)
	if !v.OK || v.Entries != len(entries) || store.VerifyAudit(entries) != nil {
		t.Fatalf("audit chain: %+v", v)
	}
	want := map[string]bool{"login": false, "apikey.create": false, "apikey.revoke": false, "user.role": false}
	for _, a := range entries {
		if _, ok := want[a.Action]; ok {
			want[a.Action] = true
		}
	}
	for a, ok := range want {
		if !ok {
			t.Errorf("no %s entry in the audit log", a)
		}
	}
}

func TestSigningKeyRotation(t *testing.T) {
	e := newEnv(t)
	adminTok := e.login("admin").AccessToken
	var before, after struct{ Keys []auth.JWK }
	e.do("GET", "/.well-known/jwks.json", nil).json(t, &before)
	if r := e.do("POST", "/api/v1/signing-keys/rotate", nil, bearer(adminTok)...); r.status != 200 {
		t.Fatalf("rotate: %d %s", r.status, r.body)
	}
	e.do("GET", "/.well-known/jwks.json", nil).json(t, &after)
	if len(before.Keys) != 1 || len(after.Keys) != 2 || after.Keys[1].KID != before.Keys[0].KID {
		t.Fatalf("jwks before %+v after %+v", before, after)
	}
	newTok := e.login("viewer").AccessToken
	if hdr := strings.Split(newTok, ".")[0]; !strings.Contains(mustB64(t, hdr), after.Keys[0].KID) {
		t.Fatal("new tokens not signed with the new key")
	}
	if r := e.do("GET", "/api/v1/me", nil, bearer(adminTok)...); r.status != 200 {
		t.Fatalf("old token within grace: %d", r.status)
	}
	e.advance(e.auth.Config().KeyGrace + time.Second)
	e.do("GET", "/.well-known/jwks.json", nil).json(t, &after)
	if len(after.Keys) != 1 {
		t.Fatalf("retired key still published: %+v", after)
	}
	if r := e.do("GET", "/api/v1/me", nil, bearer(adminTok)...); r.status != 401 {
		t.Fatalf("token of a retired key: %d", r.status)
	}
}

func mustB64(t *testing.T, s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSecretsNotLogged(t *testing.T) {
	e := newEnv(t)
	tok := e.login("admin")
	r := e.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": tok.RefreshToken})
	var tok2 auth.Tokens
	r.json(t, &tok2)
	r = e.do("POST", "/api/v1/apikeys", map[string]any{"name": "k", "role": "viewer"}, bearer(tok2.AccessToken)...)
	var k struct{ Key string }
	r.json(t, &k)
	e.do("GET", "/api/v1/me", nil, "X-API-Key", k.Key)
	newPw := "another-Secret-99"
	e.do("POST", "/api/v1/users", map[string]string{"username": "carol", "password": newPw, "role": "viewer"}, bearer(tok2.AccessToken)...)
	e.do("POST", "/api/v1/auth/login", map[string]string{"username": "carol", "password": "wrong-Secret-00"})
	e.do("GET", "/api/v1/me?access_token="+tok2.AccessToken[:20], nil, bearer("not-a-token-"+testPassword)...)
	logs := e.logs.String()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Fatal("no request logs captured")
	}
	for name, secret := range map[string]string{"password": testPassword, "new password": newPw, "wrong password": "wrong-Secret-00",
		"access token": tok.AccessToken, "access token 2": tok2.AccessToken, "refresh token": tok.RefreshToken, "refresh token 2": tok2.RefreshToken,
		"api key": k.Key, "api key secret": k.Key[len("ask_")+17:], "token prefix": tok2.AccessToken[:20]} {
		if strings.Contains(logs, secret) {
			t.Errorf("%s appears in the logs", name)
		}
	}
	entries, _ := e.db.Audit(context.Background(), 0, 0)
	b, _ := json.Marshal(entries)
	for _, secret := range []string{testPassword, newPw, tok.RefreshToken, k.Key} {
		if strings.Contains(string(b), secret) {
			t.Errorf("a secret appears in the audit log")
		}
	}
}

func TestRequestIDHeader(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/healthz", nil, "X-Request-ID", "abc-123")
	if r.header.Get("X-Request-ID") != "abc-123" {
		t.Fatalf("request id %q", r.header.Get("X-Request-ID"))
	}
	r = e.do("GET", "/healthz", nil, "X-Request-ID", "bad id\"with quotes")
	if id := r.header.Get("X-Request-ID"); id == "" || strings.Contains(id, " ") {
		t.Fatalf("unsafe request id kept: %q", id)
	}
	if !strings.Contains(e.logs.String(), `"request_id":"abc-123"`) {
		t.Fatal("request id not logged")
	}
	_ = http.StatusOK
}
