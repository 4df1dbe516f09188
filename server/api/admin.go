package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
)

type userJSON struct {
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

func toUserJSON(u store.User) userJSON {
	return userJSON{u.Username, u.Role.String(), u.Disabled, u.CreatedAt}
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	us, err := s.st.Users(r.Context())
	if err != nil {
		return err
	}
	out := make([]userJSON, len(us))
	for i, u := range us {
		out[i] = toUserJSON(u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

func parseRole(name string) (store.Role, error) {
	role, ok := store.ParseRole(name)
	if !ok {
		return role, auth.ErrBadRole
	}
	return role, nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req struct {
		Username string `json:"username"`
		Password string `json:"password"`
		Role     string `json:"role"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	role, err := parseRole(req.Role)
	if err != nil {
		return err
	}
	if err := auth.CheckNewUser(req.Username, role); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(req.Password) // before the transaction: bcrypt is slow
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.commit(w, r, http.StatusCreated, func(tx store.Tx) (any, error) {
		u, err := auth.CreateUser(r.Context(), tx, p.Subject, req.Username, role, hash, now)
		return toUserJSON(u), err
	}, nil)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req struct {
		Role     *string `json:"role"`
		Disabled *bool   `json:"disabled"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	var role *store.Role
	if req.Role != nil {
		rl, err := parseRole(*req.Role)
		if err != nil {
			return err
		}
		role = &rl
	}
	name := r.PathValue("username")
	if name == p.Subject && (role != nil && *role < store.RoleAdmin || req.Disabled != nil && *req.Disabled) {
		return &Error{http.StatusConflict, "conflict", "admins cannot demote or disable themselves"}
	}
	now := s.now().UTC()
	var id int64
	return s.commit(w, r, http.StatusOK, func(tx store.Tx) (any, error) {
		u, err := auth.UpdateUser(r.Context(), tx, p.Subject, name, role, req.Disabled, now)
		id = u.ID
		return toUserJSON(u), err
	}, func() { s.auth.Forget(id) })
}

type apiKeyJSON struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	Key       string     `json:"key,omitempty"` // only in the create answer
}

func toKeyJSON(k store.APIKey) apiKeyJSON {
	out := apiKeyJSON{ID: k.ID, Name: k.Name, Role: k.Role.String(), CreatedBy: k.CreatedBy, CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt}
	if !k.RevokedAt.IsZero() {
		out.RevokedAt = &k.RevokedAt
	}
	return out
}

func (s *Server) apiKeys(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	ks, err := s.st.APIKeys(r.Context())
	if err != nil {
		return err
	}
	out := make([]apiKeyJSON, len(ks))
	for i, k := range ks {
		out[i] = toKeyJSON(k)
	}
	writeJSON(w, http.StatusOK, map[string]any{"api_keys": out})
	return nil
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req struct {
		Name     string  `json:"name"`
		Role     string  `json:"role"`
		TTLHours float64 `json:"ttl_hours"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	role, err := parseRole(req.Role)
	if err != nil {
		return err
	}
	if req.TTLHours == 0 {
		req.TTLHours = 90 * 24
	}
	now := s.now().UTC()
	// The idempotent replay of this answer holds the key text: a retried
	// create returns the same key instead of minting a second one.
	return s.commit(w, r, http.StatusCreated, func(tx store.Tx) (any, error) {
		text, k, err := auth.CreateAPIKey(r.Context(), tx, p.Subject, req.Name, role, time.Duration(req.TTLHours*float64(time.Hour)), now)
		if err != nil {
			return nil, badRequestIf(err)
		}
		out := toKeyJSON(k)
		out.Key = text
		return out, nil
	}, nil)
}

// badRequestIf turns a validation error from auth into a 400.
func badRequestIf(err error) error {
	if err == nil {
		return nil
	}
	return &Error{http.StatusBadRequest, "invalid_argument", err.Error()}
}

func (s *Server) revokeAPIKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	now := s.now().UTC()
	return s.commit(w, r, http.StatusOK, func(tx store.Tx) (any, error) {
		id := r.PathValue("id")
		return map[string]string{"id": id, "status": "revoked"}, auth.RevokeAPIKey(r.Context(), tx, p.Subject, id, now)
	}, func() { s.auth.ForgetAPIKey(r.PathValue("id")) })
}

func (s *Server) rotateKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	now := s.now().UTC()
	err := s.commit(w, r, http.StatusOK, func(tx store.Tx) (any, error) {
		kid, err := auth.RotateKeyTx(r.Context(), tx, p.Subject, now, s.auth.Config().KeyGrace)
		return map[string]string{"kid": kid}, err
	}, nil)
	if err == nil {
		err = s.auth.Reload(r.Context())
	}
	return err
}

type auditJSON struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Detail string    `json:"detail"`
	Hash   string    `json:"hash"`
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	_, after, lim, err := listParams(r)
	if err != nil {
		return err
	}
	es, err := s.st.Audit(r.Context(), after, lim)
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(es))
	for i, e := range es {
		out[i] = auditJSON{e.Seq, e.At, e.Actor, e.Action, e.Target, e.Detail, fmt.Sprintf("%x", e.Hash)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out})
	return nil
}

func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	es, err := s.st.Audit(r.Context(), 0, 0)
	if err != nil {
		return err
	}
	if err := store.VerifyAudit(es); err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "entries": len(es), "error": err.Error()})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "entries": len(es)})
	return nil
}
