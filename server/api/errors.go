package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/catalog"
	"github.com/astroshield/astroshield/server/jobs"
	"github.com/astroshield/astroshield/server/store"
)

// Error is the body of every error answer: {"error":{"code","message"}}.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func badRequest(format string, a ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "invalid_argument", Message: sprintf(format, a...)}
}

var errIdempotencyMismatch = &Error{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused",
	Message: "this Idempotency-Key was used with a different request"}

// toError maps any error to the answer the client sees. It is the one place
// where errors become status codes; unexpected errors are logged, not shown.
func toError(err error, log *slog.Logger, reqID string) (*Error, time.Duration) {
	var e *Error
	var retry *auth.RetryError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &e):
		return e, 0
	case errors.As(err, &retry):
		return &Error{http.StatusTooManyRequests, "rate_limited", retry.Reason}, retry.After
	case errors.As(err, &tooBig):
		return &Error{http.StatusRequestEntityTooLarge, "payload_too_large", "request body over " + strconv.FormatInt(tooBig.Limit, 10) + " bytes"}, 0
	case errors.Is(err, auth.ErrBadCredentials):
		return &Error{http.StatusUnauthorized, "invalid_credentials", "invalid username or password"}, 0
	case errors.Is(err, auth.ErrRefreshReused):
		return &Error{http.StatusUnauthorized, "refresh_token_reused", "refresh token already used; the session is revoked, log in again"}, 0
	case errors.Is(err, auth.ErrUnauthenticated):
		return &Error{http.StatusUnauthorized, "unauthenticated", "missing, invalid or expired credentials"}, 0
	case errors.Is(err, auth.ErrForbidden):
		return &Error{http.StatusForbidden, "forbidden", "your role does not allow this"}, 0
	case errors.Is(err, auth.ErrPasswordTooLong):
		return &Error{http.StatusBadRequest, "password_too_long", "passwords are limited to 72 bytes"}, 0
	case errors.Is(err, auth.ErrPasswordEmpty):
		return &Error{http.StatusBadRequest, "invalid_argument", "password is empty"}, 0
	case errors.Is(err, auth.ErrBadRole), errors.Is(err, auth.ErrBadUsername), errors.Is(err, jobs.ErrParams), errors.Is(err, catalog.ErrNoElementSets):
		return &Error{http.StatusBadRequest, "invalid_argument", err.Error()}, 0
	case errors.Is(err, store.ErrNotFound):
		return &Error{http.StatusNotFound, "not_found", "no such resource"}, 0
	case errors.Is(err, store.ErrConflict):
		return &Error{http.StatusConflict, "conflict", "already exists"}, 0
	case errors.Is(err, store.ErrInvalid):
		return &Error{http.StatusBadRequest, "invalid_argument", "a text value holds a NUL byte or invalid UTF-8, which cannot be stored"}, 0
	}
	log.Error("internal error", "request_id", reqID, "err", err)
	return &Error{http.StatusInternalServerError, "internal", "internal error (request " + reqID + ")"}, 0
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"encoding failed"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, retry := toError(err, s.log, requestID(r.Context()))
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((retry+time.Second-1)/time.Second)))
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="astroshield"`)
	}
	writeJSON(w, e.Status, map[string]*Error{"error": e})
}
