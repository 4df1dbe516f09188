package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	gosync "sync"
	"time"
)

// Client talks to an astroshield server's REST API (DESIGN.md §6): it logs
// in with a username and password or uses an API key, keeps the access
// token in memory, stores the rotating refresh token in a TokenFile, and
// refreshes before expiry or once after a 401.
type Client struct {
	BaseURL string // e.g. http://127.0.0.1:8080
	HTTP    *http.Client
	Tokens  TokenFile // where the refresh token lives; zero Path: memory only
	APIKey  Secret    // when set, sent as X-API-Key instead of tokens

	mu      gosync.Mutex
	access  Secret
	refresh Secret
	expires time.Time
}

// ErrAuth: the server refused the credentials or the refresh token (the
// user must log in again).
var ErrAuth = errors.New("sync: not authenticated")

// APIError is a non-2xx answer with the server's stable error code.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("server answered %d %s: %s", e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("server answered %d", e.Status)
}

type tokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// Login exchanges a username and password for a token pair.
func (c *Client) Login(ctx context.Context, username string, password Secret) error {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password.Reveal()})
	return c.tokenRequest(ctx, "/api/v1/auth/login", body)
}

// Resume loads the stored refresh token and refreshes with it, so a
// restarted app is logged in without asking for the password.
func (c *Client) Resume(ctx context.Context) error {
	if c.Tokens.Path == "" {
		return fmt.Errorf("%w: no token file", ErrAuth)
	}
	tok, err := c.Tokens.Load()
	if err != nil {
		return err
	}
	if tok.IsZero() {
		return fmt.Errorf("%w: no stored session", ErrAuth)
	}
	c.mu.Lock()
	c.refresh = tok
	c.mu.Unlock()
	return c.Refresh(ctx)
}

// Refresh rotates the token pair with the current refresh token.
func (c *Client) Refresh(ctx context.Context) error {
	c.mu.Lock()
	rt := c.refresh
	c.mu.Unlock()
	if rt.IsZero() {
		return fmt.Errorf("%w: no refresh token", ErrAuth)
	}
	body, _ := json.Marshal(map[string]string{"refresh_token": rt.Reveal()})
	return c.tokenRequest(ctx, "/api/v1/auth/refresh", body)
}

func (c *Client) tokenRequest(ctx context.Context, path string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sync: %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("sync: %s: %w", path, errors.Join(ErrOffline, err))
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return fmt.Errorf("sync: %s: %w: %w", path, ErrAuth, apiError(resp.StatusCode, raw))
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sync: %s: %w", path, apiError(resp.StatusCode, raw))
	}
	var p tokenPair
	if err := json.Unmarshal(raw, &p); err != nil || p.AccessToken == "" || p.RefreshToken == "" {
		return fmt.Errorf("sync: %s: malformed token answer", path)
	}
	c.mu.Lock()
	c.access, c.refresh = NewSecret(p.AccessToken), NewSecret(p.RefreshToken)
	c.expires = time.Now().Add(time.Duration(p.ExpiresIn) * time.Second)
	c.mu.Unlock()
	if c.Tokens.Path != "" {
		if err := c.Tokens.Save(NewSecret(p.RefreshToken)); err != nil {
			return err
		}
	}
	return nil
}

func apiError(status int, raw []byte) *APIError {
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(raw, &b)
	return &APIError{Status: status, Code: b.Error.Code, Message: b.Error.Message}
}

// authorize sets the credential headers, refreshing a token about to expire.
func (c *Client) authorize(ctx context.Context, h http.Header) error {
	if !c.APIKey.IsZero() {
		h.Set("X-API-Key", c.APIKey.Reveal())
		return nil
	}
	c.mu.Lock()
	stale := c.access.IsZero() || time.Until(c.expires) < 10*time.Second
	c.mu.Unlock()
	if stale {
		if err := c.Refresh(ctx); err != nil {
			return err
		}
	}
	c.mu.Lock()
	h.Set("Authorization", "Bearer "+c.access.Reveal())
	c.mu.Unlock()
	return nil
}

// AuthHeader returns the headers that authenticate a request (for the
// WebSocket upgrade).
func (c *Client) AuthHeader(ctx context.Context) (http.Header, error) {
	h := http.Header{}
	return h, c.authorize(ctx, h)
}

// Do sends an authenticated request and returns the status and body. A 401
// triggers one refresh and one retry. headers may carry Idempotency-Key.
func (c *Client) Do(ctx context.Context, method, path string, headers http.Header, body []byte) (int, []byte, error) {
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, bytes.NewReader(body))
		if err != nil {
			return 0, nil, fmt.Errorf("sync: %s %s: %w", method, path, err)
		}
		for k, v := range headers {
			req.Header[k] = v
		}
		if body != nil && req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if err := c.authorize(ctx, req.Header); err != nil {
			return 0, nil, err
		}
		resp, err := c.httpClient().Do(req)
		if err != nil {
			return 0, nil, fmt.Errorf("sync: %s %s: %w", method, path, errors.Join(ErrOffline, err))
		}
		raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
		resp.Body.Close()
		if err != nil {
			return 0, nil, fmt.Errorf("sync: %s %s: %w", method, path, errors.Join(ErrOffline, err))
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 && c.APIKey.IsZero() {
			if err := c.Refresh(ctx); err != nil {
				return resp.StatusCode, raw, err
			}
			continue
		}
		return resp.StatusCode, raw, nil
	}
}

// Sender returns the outbox sender that sends each action through Do with
// its Idempotency-Key.
func (c *Client) Sender() Sender {
	return func(ctx context.Context, a Action) (int, []byte, error) {
		h := http.Header{}
		h.Set("Idempotency-Key", a.Key)
		h.Set("Content-Type", a.ContentType)
		status, body, err := c.Do(ctx, a.Method, a.Path, h, a.Body)
		if err != nil {
			// Offline, or the session needs a new login: keep it queued.
			return 0, nil, err
		}
		return status, body, nil
	}
}
