package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/store"
)

type webhookJSON struct {
	ID        string    `json:"id"`
	Owner     string    `json:"owner"`
	URL       string    `json:"url"`
	Channels  []string  `json:"channels"`
	CreatedAt time.Time `json:"created_at"`
	Secret    string    `json:"secret,omitempty"` // only in the create answer
}

func (s *Server) hookStore() (store.WebhookStore, error) {
	ws, ok := s.st.(store.WebhookStore)
	if !ok {
		return nil, &Error{http.StatusServiceUnavailable, "unavailable", "this storage has no webhooks"}
	}
	return ws, nil
}

// ownedHook returns a webhook of the caller (any for admins); others' are 404.
func (s *Server) ownedHook(r *http.Request, p auth.Principal) (store.WebhookStore, store.Webhook, error) {
	ws, err := s.hookStore()
	if err != nil {
		return nil, store.Webhook{}, err
	}
	h, err := ws.Webhook(r.Context(), r.PathValue("id"))
	if err == nil && h.Owner != p.Subject && p.Role < store.RoleAdmin {
		err = fmt.Errorf("webhook: %w", store.ErrNotFound)
	}
	return ws, h, err
}

func (s *Server) webhooks(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ws, err := s.hookStore()
	if err != nil {
		return err
	}
	owner := p.Subject
	if p.Role >= store.RoleAdmin {
		owner = ""
	}
	hs, err := ws.Webhooks(r.Context(), owner)
	if err != nil {
		return err
	}
	out := make([]webhookJSON, len(hs))
	for i, h := range hs {
		out[i] = webhookJSON{ID: h.ID, Owner: h.Owner, URL: h.URL, Channels: h.Channels, CreatedAt: h.CreatedAt}
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": out})
	return nil
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ws, err := s.hookStore()
	if err != nil {
		return err
	}
	var req struct {
		URL      string   `json:"url"`
		Channels []string `json:"channels"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(req.URL) > 2048 {
		return badRequest("url must be an absolute http or https URL")
	}
	if len(req.Channels) == 0 {
		return badRequest("channels: give at least one of %v", feed.Channels)
	}
	for _, c := range req.Channels {
		if !slices.Contains(feed.Channels, c) {
			return badRequest("channel %q: want one of %v", c, feed.Channels)
		}
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	h := store.Webhook{ID: newRequestID(), Owner: p.Subject, URL: req.URL, Channels: req.Channels, Secret: []byte(hex.EncodeToString(secret)), CreatedAt: s.now().UTC()}
	if err := ws.CreateWebhook(r.Context(), h); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, webhookJSON{ID: h.ID, Owner: h.Owner, URL: h.URL, Channels: h.Channels, CreatedAt: h.CreatedAt, Secret: string(h.Secret)})
	return nil
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ws, h, err := s.ownedHook(r, p)
	if err != nil {
		return err
	}
	if err := ws.DisableWebhook(r.Context(), h.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": h.ID, "status": "deleted"})
	return nil
}

func (s *Server) deliveries(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ws, h, err := s.ownedHook(r, p)
	if err != nil {
		return err
	}
	ds, err := ws.Deliveries(r.Context(), h.ID, 100)
	if err != nil {
		return err
	}
	type row struct {
		Channel string    `json:"channel"`
		Seq     int64     `json:"seq"`
		Attempt int       `json:"attempt"`
		Status  int       `json:"status"`
		Error   string    `json:"error,omitempty"`
		At      time.Time `json:"at"`
	}
	out := make([]row, len(ds))
	for i, d := range ds {
		out[i] = row{d.Channel, d.Seq, d.Attempt, d.Status, d.Error, d.At}
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": out})
	return nil
}
