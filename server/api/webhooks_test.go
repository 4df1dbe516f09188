package api

import (
	"testing"
)

func TestWebhookAPI(t *testing.T) {
	e := newEnv(t)
	op := e.login("operator").AccessToken
	if r := e.do("POST", "/api/v1/webhooks", map[string]any{"url": "ftp://x", "channels": []string{"catalog"}}, bearer(op)...); r.status != 400 {
		t.Fatalf("ftp url: %d", r.status)
	}
	if r := e.do("POST", "/api/v1/webhooks", map[string]any{"url": "http://127.0.0.1:1/h", "channels": []string{"nope"}}, bearer(op)...); r.status != 400 {
		t.Fatalf("bad channel: %d", r.status)
	}
	r := e.do("POST", "/api/v1/webhooks", map[string]any{"url": "http://127.0.0.1:1/h", "channels": []string{"catalog", "conjunctions"}}, bearer(op)...)
	var h webhookJSON
	r.json(t, &h)
	if r.status != 201 || h.Secret == "" || h.ID == "" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var list struct{ Webhooks []webhookJSON }
	e.do("GET", "/api/v1/webhooks", nil, bearer(op)...).json(t, &list)
	if len(list.Webhooks) != 1 || list.Webhooks[0].Secret != "" {
		t.Fatalf("list: %+v", list)
	}
	e.addUser("operator2", 3)
	other := e.login("operator2").AccessToken
	e.do("GET", "/api/v1/webhooks", nil, bearer(other)...).json(t, &list)
	if len(list.Webhooks) != 0 {
		t.Fatal("another operator sees the webhook")
	}
	if r := e.do("DELETE", "/api/v1/webhooks/"+h.ID, nil, bearer(other)...); r.status != 404 {
		t.Fatalf("another operator deletes: %d", r.status)
	}
	if r := e.do("GET", "/api/v1/webhooks/"+h.ID+"/deliveries", nil, bearer(op)...); r.status != 200 {
		t.Fatalf("deliveries: %d", r.status)
	}
	if r := e.do("DELETE", "/api/v1/webhooks/"+h.ID, nil, bearer(op)...); r.status != 200 {
		t.Fatalf("delete: %d", r.status)
	}
	e.do("GET", "/api/v1/webhooks", nil, bearer(op)...).json(t, &list)
	if len(list.Webhooks) != 0 {
		t.Fatal("deleted webhook still listed")
	}
}
