package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/astroshield/astroshield/server/store"
)

var (
	// ErrBadCredentials is the one answer to an unknown user, a wrong
	// password and a disabled account.
	ErrBadCredentials = errors.New("auth: invalid username or password")
	// ErrUnauthenticated is returned for a missing, malformed, expired or
	// forged token or API key.
	ErrUnauthenticated = errors.New("auth: not authenticated")
	// ErrRefreshReused is returned when a used refresh token comes back; its
	// whole family is revoked.
	ErrRefreshReused = errors.New("auth: refresh token already used; session revoked")
	// ErrForbidden is returned when the caller's role is too low.
	ErrForbidden = errors.New("auth: role does not allow this")
	// ErrBadRole is returned for an unknown role name.
	ErrBadRole = errors.New("auth: unknown role (want viewer, analyst, operator or admin)")
)

// RetryError is returned when a caller must wait (throttled login, API key
// over its rate).
type RetryError struct {
	After  time.Duration
	Reason string
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("auth: %s; retry after %s", e.Reason, e.After.Round(time.Second))
}

// Config holds the service's settings; zero durations take the defaults.
type Config struct {
	Issuer   string // JWT iss, e.g. the server's base URL
	Audience string // JWT aud

	AccessTTL   time.Duration // access-token lifetime (default 10 min)
	RefreshTTL  time.Duration // refresh-token lifetime (default 7 days)
	RotateEvery time.Duration // signing-key age that triggers rotation (default 24 h)
	// KeyGrace is how long a replaced signing key still verifies (default
	// AccessTTL + 1 min, so every token it signed can expire naturally).
	KeyGrace time.Duration

	Hasher          *Hasher   // required
	AccountThrottle *Throttle // default 5 failures / 15 min, 1 min lockout doubling
	AddrThrottle    *Throttle // default 20 failures / 15 min, 1 min lockout doubling
	APIKeyLimit     *Bucket   // default 50 req/s, burst 100 per key
	Now             func() time.Time
}

// Principal is an authenticated caller.
type Principal struct {
	Subject  string // username, or "apikey:<id>"
	UserID   int64  // 0 for API keys
	APIKeyID string
	Role     store.Role
	TokenID  string // jti of the access token
}

// Tokens is what login and refresh return.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"` // seconds
}

// Service authenticates callers against a store.
type Service struct {
	cfg Config
	st  store.Store

	mu       sync.RWMutex
	current  store.SigningKey
	verify   map[string]verifyKey
	reloaded time.Time

	// verified caches tokens whose signature and claims checked out, by
	// SHA-256 of the token text, so a token is verified once, not on every
	// request; the kid, expiry and user are still checked on every use.
	cacheMu  sync.Mutex
	verified map[[32]byte]accessClaims
	users    map[int64]cachedUser
	// apiKeys caches API-key records by SHA-256 of the whole key text, only
	// after the secret matched, for userCacheTTL; revocation and expiry are
	// checked on every use, and a revocation through this process drops the
	// entry at once (ForgetAPIKey).
	apiKeys map[[32]byte]cachedKey
}

type cachedKey struct {
	k  store.APIKey
	at time.Time
}

// userCacheTTL bounds how long a role change or disable takes to reach
// requests carrying an access token, and a revocation made by another
// process (astroshield apikeys revoke) takes to reach requests carrying
// an API key.
const userCacheTTL = time.Second

type cachedUser struct {
	u  store.User
	at time.Time
}

type verifyKey struct {
	pub      ed25519.PublicKey
	retireAt time.Time
}

// accessClaims are the access token's claims.
type accessClaims struct {
	jwt.RegisteredClaims
	Role string `json:"role"`
	UID  int64  `json:"uid"`
	kid  string // from the header, kept for the verification cache
}

// New returns a service and makes sure a signing key exists.
func New(ctx context.Context, st store.Store, cfg Config) (*Service, error) {
	if cfg.Hasher == nil {
		return nil, errors.New("auth: Config.Hasher is required")
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "astroshield"
	}
	if cfg.Audience == "" {
		cfg.Audience = "astroshield-api"
	}
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = 10 * time.Minute
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = 7 * 24 * time.Hour
	}
	if cfg.RotateEvery <= 0 {
		cfg.RotateEvery = 24 * time.Hour
	}
	if cfg.KeyGrace <= 0 {
		cfg.KeyGrace = cfg.AccessTTL + time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AccountThrottle == nil {
		cfg.AccountThrottle = NewThrottle(5, 15*time.Minute, time.Minute)
	}
	if cfg.AddrThrottle == nil {
		cfg.AddrThrottle = NewThrottle(20, 15*time.Minute, time.Minute)
	}
	if cfg.APIKeyLimit == nil {
		cfg.APIKeyLimit = NewBucket(50, 100)
	}
	cfg.AccountThrottle.Now, cfg.AddrThrottle.Now, cfg.APIKeyLimit.Now = cfg.Now, cfg.Now, cfg.Now
	s := &Service{cfg: cfg, st: st, verified: map[[32]byte]accessClaims{}, users: map[int64]cachedUser{}, apiKeys: map[[32]byte]cachedKey{}}
	if err := s.reload(ctx); err != nil {
		return nil, err
	}
	if s.current.KID == "" {
		if _, err := s.RotateKey(ctx, "system"); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// Audit appends one entry to the audit log inside tx.
func Audit(ctx context.Context, tx store.Tx, at time.Time, actor, action, target, detail string) error {
	_, err := tx.AppendAudit(ctx, store.AuditEntry{At: at, Actor: actor, Action: action, Target: target, Detail: detail})
	return err
}

func randomText(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// TokenHash is the SHA-256 stored in place of a refresh token or API-key secret.
func TokenHash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// clip bounds caller-supplied text written to the audit log.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// Login checks a username and password from addr and returns tokens. The
// throttles are consulted before bcrypt runs.
func (s *Service) Login(ctx context.Context, username, password, addr string) (Tokens, error) {
	if err := CheckPolicy(password); err != nil {
		return Tokens{}, err
	}
	acctKey, addrKey := "user:"+strings.ToLower(username), "addr:"+addr
	if wait := max(s.cfg.AccountThrottle.Blocked(acctKey), s.cfg.AddrThrottle.Blocked(addrKey)); wait > 0 {
		return Tokens{}, &RetryError{After: wait, Reason: "too many failed logins"}
	}
	u, err := s.st.UserByName(ctx, username)
	var hash []byte
	if err == nil {
		hash = u.PasswordHash
	} else if !errors.Is(err, store.ErrNotFound) {
		return Tokens{}, err
	}
	ok := s.cfg.Hasher.Compare(hash, password) && !u.Disabled
	now := s.now()
	if !ok {
		lockA := s.cfg.AccountThrottle.Fail(acctKey)
		lockB := s.cfg.AddrThrottle.Fail(addrKey)
		err := s.st.Update(ctx, func(tx store.Tx) error {
			if err := Audit(ctx, tx, now, clip(username), "login.failure", "user:"+clip(username), "addr="+addr); err != nil {
				return err
			}
			if lockA || lockB {
				return Audit(ctx, tx, now, clip(username), "login.lockout", "user:"+clip(username), fmt.Sprintf("addr=%s account=%v address=%v", addr, lockA, lockB))
			}
			return nil
		})
		return Tokens{}, errors.Join(ErrBadCredentials, err)
	}
	s.cfg.AccountThrottle.Succeed(acctKey)
	var t Tokens
	err = s.st.Update(ctx, func(tx store.Tx) error {
		var err error
		t, err = s.issue(ctx, tx, u, randomHex(16))
		if err != nil {
			return err
		}
		return Audit(ctx, tx, now, u.Username, "login", "user:"+u.Username, "addr="+addr)
	})
	return t, err
}

// issue signs an access token and stores a new refresh token in family.
func (s *Service) issue(ctx context.Context, tx store.Tx, u store.User, family string) (Tokens, error) {
	access, err := s.signAccess(u)
	if err != nil {
		return Tokens{}, err
	}
	refresh := "asr_" + randomText(32)
	err = tx.AddRefreshToken(ctx, store.RefreshToken{Hash: TokenHash(refresh), FamilyID: family, UserID: u.ID, ExpiresAt: s.now().Add(s.cfg.RefreshTTL)})
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", ExpiresIn: int(s.cfg.AccessTTL / time.Second)}, nil
}

func (s *Service) signAccess(u store.User) (string, error) {
	s.mu.RLock()
	k := s.current
	s.mu.RUnlock()
	now := s.now()
	c := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.cfg.Issuer,
			Subject:   u.Username,
			Audience:  jwt.ClaimStrings{s.cfg.Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(s.cfg.AccessTTL)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        randomHex(16),
		},
		Role: u.Role.String(),
		UID:  u.ID,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	tok.Header["kid"] = k.KID
	return tok.SignedString(ed25519.NewKeyFromSeed(k.PrivateKey))
}

// Refresh exchanges a refresh token for a new pair. A token presented a
// second time revokes every token of its family.
func (s *Service) Refresh(ctx context.Context, token string) (Tokens, error) {
	var out Tokens
	var outErr error
	now := s.now()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		// A store may run this more than once (PostgreSQL retries
		// serialisation failures): start each run clean.
		out, outErr = Tokens{}, nil
		rt, err := tx.RefreshToken(ctx, TokenHash(token))
		if errors.Is(err, store.ErrNotFound) {
			outErr = ErrUnauthenticated
			return nil
		} else if err != nil {
			return err
		}
		u, err := tx.UserByID(ctx, rt.UserID)
		if err != nil {
			return err
		}
		if !rt.UsedAt.IsZero() || !rt.RevokedAt.IsZero() {
			outErr = ErrRefreshReused
			if err := tx.RevokeRefreshFamily(ctx, rt.FamilyID, now); err != nil {
				return err
			}
			return Audit(ctx, tx, now, u.Username, "token.refresh_reuse", "user:"+u.Username, "family="+rt.FamilyID+" revoked")
		}
		if now.After(rt.ExpiresAt) || u.Disabled {
			outErr = ErrUnauthenticated
			return nil
		}
		if ok, err := tx.UseRefreshToken(ctx, rt.Hash, now); err != nil || !ok {
			outErr = ErrUnauthenticated
			return err
		}
		if out, err = s.issue(ctx, tx, u, rt.FamilyID); err != nil {
			return err
		}
		return Audit(ctx, tx, now, u.Username, "token.refresh", "user:"+u.Username, "family="+rt.FamilyID)
	})
	if err != nil {
		return Tokens{}, err
	}
	return out, outErr
}

// Logout revokes the family of a refresh token.
func (s *Service) Logout(ctx context.Context, token string) error {
	now := s.now()
	return s.st.Update(ctx, func(tx store.Tx) error {
		rt, err := tx.RefreshToken(ctx, TokenHash(token))
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnauthenticated
		} else if err != nil {
			return err
		}
		if err := tx.RevokeRefreshFamily(ctx, rt.FamilyID, now); err != nil {
			return err
		}
		return Audit(ctx, tx, now, fmt.Sprint("uid:", rt.UserID), "token.revoke", "family:"+rt.FamilyID, "logout")
	})
}

// VerifyAccess checks an access token (signature by a published key, EdDSA
// only, iss, aud, exp, nbf, iat) and that its user is still enabled; the
// role is the user's current one.
func (s *Service) VerifyAccess(ctx context.Context, token string) (Principal, error) {
	c, err := s.verifyToken(token)
	if err != nil {
		return Principal{}, ErrUnauthenticated
	}
	u, err := s.user(ctx, c.UID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (u.Disabled || u.Username != c.Subject)) {
		return Principal{}, ErrUnauthenticated
	} else if err != nil {
		return Principal{}, err
	}
	return Principal{Subject: u.Username, UserID: u.ID, Role: u.Role, TokenID: c.ID}, nil
}

const maxVerifiedCache = 100_000

func (s *Service) verifyToken(token string) (accessClaims, error) {
	key := sha256.Sum256([]byte(token))
	now := s.cfg.Now()
	s.cacheMu.Lock()
	c, ok := s.verified[key]
	s.cacheMu.Unlock()
	if ok {
		if _, live := s.verifyKey(c.kid); live && now.Before(c.ExpiresAt.Add(5*time.Second)) {
			return c, nil
		}
		s.cacheMu.Lock()
		delete(s.verified, key)
		s.cacheMu.Unlock()
		return c, ErrUnauthenticated
	}
	tok, err := jwt.ParseWithClaims(token, &c, s.keyFunc,
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(s.cfg.Issuer),
		jwt.WithAudience(s.cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(5*time.Second),
		jwt.WithTimeFunc(s.cfg.Now),
		jwt.WithStrictDecoding(),
	)
	if err != nil || c.NotBefore == nil || c.IssuedAt == nil || c.ID == "" {
		return c, ErrUnauthenticated
	}
	c.kid, _ = tok.Header["kid"].(string)
	s.cacheMu.Lock()
	if len(s.verified) >= maxVerifiedCache {
		clear(s.verified)
	}
	s.verified[key] = c
	s.cacheMu.Unlock()
	return c, nil
}

// Forget drops a user from the cache (after a role change or disable made
// through this process).
func (s *Service) Forget(id int64) {
	s.cacheMu.Lock()
	delete(s.users, id)
	s.cacheMu.Unlock()
}

// user reads a user through a cache of userCacheTTL.
func (s *Service) user(ctx context.Context, id int64) (store.User, error) {
	now := s.cfg.Now()
	s.cacheMu.Lock()
	cu, ok := s.users[id]
	s.cacheMu.Unlock()
	if ok && now.Sub(cu.at) < userCacheTTL && now.Sub(cu.at) >= 0 {
		return cu.u, nil
	}
	u, err := s.st.UserByID(ctx, id)
	if err != nil {
		return u, err
	}
	s.cacheMu.Lock()
	if len(s.users) >= maxVerifiedCache {
		clear(s.users)
	}
	s.users[id] = cachedUser{u, now}
	s.cacheMu.Unlock()
	return u, nil
}

func (s *Service) keyFunc(t *jwt.Token) (any, error) {
	kid, ok := t.Header["kid"].(string)
	if !ok || kid == "" {
		return nil, errors.New("auth: token has no kid")
	}
	k, ok := s.verifyKey(kid)
	if !ok {
		return nil, errors.New("auth: unknown kid")
	}
	return k, nil
}

func (s *Service) verifyKey(kid string) (ed25519.PublicKey, bool) {
	s.mu.RLock()
	k, ok := s.verify[kid]
	stale := s.now().Sub(s.reloaded) > time.Second
	s.mu.RUnlock()
	if !ok && stale {
		// Another process (astroshield keys rotate) may have added a key.
		if err := s.reload(context.Background()); err == nil {
			s.mu.RLock()
			k, ok = s.verify[kid]
			s.mu.RUnlock()
		}
	}
	if !ok || (!k.retireAt.IsZero() && s.now().After(k.retireAt)) {
		return nil, false
	}
	return k.pub, true
}

// AuthenticateAPIKey checks an API key ("ask_<id>_<secret>") and its rate.
func (s *Service) AuthenticateAPIKey(ctx context.Context, text string) (Principal, error) {
	id, secret, ok := SplitAPIKey(text)
	if !ok {
		return Principal{}, ErrUnauthenticated
	}
	now := s.now()
	k, err := s.apiKey(ctx, text, id, secret, now)
	if err != nil {
		return Principal{}, err
	}
	if !k.RevokedAt.IsZero() || now.After(k.ExpiresAt) {
		return Principal{}, ErrUnauthenticated
	}
	if ok, wait := s.cfg.APIKeyLimit.Allow(k.ID); !ok {
		return Principal{}, &RetryError{After: wait, Reason: "API key over its rate limit"}
	}
	return Principal{Subject: "apikey:" + k.ID, APIKeyID: k.ID, Role: k.Role}, nil
}

// SplitAPIKey splits key text into its public id and secret.
func SplitAPIKey(text string) (id, secret string, ok bool) {
	rest, ok := strings.CutPrefix(text, "ask_")
	if !ok {
		return "", "", false
	}
	id, secret, ok = strings.Cut(rest, "_")
	if !ok || len(id) != 16 || len(secret) < 32 {
		return "", "", false
	}
	return id, secret, true
}

// apiKey returns the record of the key whose full text is text once its
// secret matched, through the apiKeys cache.
func (s *Service) apiKey(ctx context.Context, text, id, secret string, now time.Time) (store.APIKey, error) {
	h := sha256.Sum256([]byte(text))
	s.cacheMu.Lock()
	ck, ok := s.apiKeys[h]
	s.cacheMu.Unlock()
	if ok && now.Sub(ck.at) < userCacheTTL && now.Sub(ck.at) >= 0 {
		return ck.k, nil
	}
	k, err := s.st.APIKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.APIKey{}, ErrUnauthenticated
	} else if err != nil {
		return store.APIKey{}, err
	}
	if subtle.ConstantTimeCompare(TokenHash(secret), k.SecretHash) != 1 {
		return store.APIKey{}, ErrUnauthenticated
	}
	s.cacheMu.Lock()
	if len(s.apiKeys) >= maxVerifiedCache {
		clear(s.apiKeys)
	}
	s.apiKeys[h] = cachedKey{k, now}
	s.cacheMu.Unlock()
	return k, nil
}

// ForgetAPIKey drops a key from the cache (after a revocation made
// through this process).
func (s *Service) ForgetAPIKey(id string) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	for h, ck := range s.apiKeys {
		if ck.k.ID == id {
			delete(s.apiKeys, h)
		}
	}
}
