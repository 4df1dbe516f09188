package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// reload reads the signing keys from the store.
func (s *Service) reload(ctx context.Context) error {
	keys, err := s.st.SigningKeys(ctx)
	if err != nil {
		return err
	}
	verify := make(map[string]verifyKey, len(keys))
	var cur store.SigningKey
	for _, k := range keys {
		verify[k.KID] = verifyKey{pub: ed25519.PublicKey(k.PublicKey), retireAt: k.RetireAt}
		if k.RetireAt.IsZero() && !k.CreatedAt.Before(cur.CreatedAt) {
			cur = k
		}
	}
	s.mu.Lock()
	s.verify, s.current, s.reloaded = verify, cur, s.now()
	s.mu.Unlock()
	return nil
}

// RotateKey makes a new signing key current; the previous keys keep
// verifying for KeyGrace. It returns the new key's id.
func (s *Service) RotateKey(ctx context.Context, actor string) (string, error) {
	kid, err := RotateKey(ctx, s.st, actor, s.now(), s.cfg.KeyGrace)
	if err != nil {
		return "", err
	}
	return kid, s.reload(ctx)
}

// RotateKey adds a new Ed25519 signing key to st and retires the others at
// now+grace. The CLI uses it directly on a server's data directory.
func RotateKey(ctx context.Context, st store.Store, actor string, now time.Time, grace time.Duration) (kid string, err error) {
	err = st.Update(ctx, func(tx store.Tx) error {
		kid, err = RotateKeyTx(ctx, tx, actor, now, grace)
		return err
	})
	return kid, err
}

// RotateKeyTx is RotateKey inside a caller's transaction; call Reload after
// it commits.
func RotateKeyTx(ctx context.Context, tx store.Tx, actor string, now time.Time, grace time.Duration) (string, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	k := store.SigningKey{KID: randomHex(8), PrivateKey: priv.Seed(), PublicKey: pub, CreatedAt: now}
	if err := tx.AddSigningKey(ctx, k); err != nil {
		return "", err
	}
	if err := tx.RetireSigningKeys(ctx, k.KID, now.Add(grace)); err != nil {
		return "", err
	}
	return k.KID, Audit(ctx, tx, now, actor, "signing_key.rotate", "kid:"+k.KID, "previous keys verify until "+now.Add(grace).Format(time.RFC3339))
}

// Reload rereads the signing keys (after a rotation by another process or
// inside a caller's transaction).
func (s *Service) Reload(ctx context.Context) error { return s.reload(ctx) }

// CurrentKID is the id of the key that signs new tokens.
func (s *Service) CurrentKID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.current.KID
}

// RunRotation rotates the signing key whenever the current one is older
// than RotateEvery, checking every interval, until ctx ends.
func (s *Service) RunRotation(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.reload(ctx); err != nil {
			onErr(err)
			continue
		}
		s.mu.RLock()
		age := s.now().Sub(s.current.CreatedAt)
		s.mu.RUnlock()
		if age >= s.cfg.RotateEvery {
			if _, err := s.RotateKey(ctx, "scheduler"); err != nil {
				onErr(err)
			}
		}
	}
}

// JWK is one public key in a JWKS document (RFC 8037 OKP).
type JWK struct {
	KTY string `json:"kty"`
	CRV string `json:"crv"`
	X   string `json:"x"`
	KID string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// JWKS returns the JSON Web Key Set of every key that still verifies.
func (s *Service) JWKS(ctx context.Context) ([]byte, error) {
	keys, err := s.st.SigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	doc := struct {
		Keys []JWK `json:"keys"`
	}{Keys: []JWK{}}
	for i := len(keys) - 1; i >= 0; i-- { // newest first
		k := keys[i]
		if !k.RetireAt.IsZero() && now.After(k.RetireAt) {
			continue
		}
		doc.Keys = append(doc.Keys, JWK{KTY: "OKP", CRV: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k.PublicKey), KID: k.KID, Alg: "EdDSA", Use: "sig"})
	}
	return json.Marshal(doc)
}
