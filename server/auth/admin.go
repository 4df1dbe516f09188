package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// CheckNewUser validates a username and role before the password is hashed.
func CheckNewUser(username string, role store.Role) error {
	if err := checkUsername(username); err != nil {
		return err
	}
	if role == store.RoleNone {
		return ErrBadRole
	}
	return nil
}

// CreateUser adds a user with an already computed password hash (hash
// outside the transaction: bcrypt is slow and the writer is shared).
func CreateUser(ctx context.Context, tx store.Tx, actor, username string, role store.Role, hash []byte, now time.Time) (store.User, error) {
	if err := CheckNewUser(username, role); err != nil {
		return store.User{}, err
	}
	u, err := tx.CreateUser(ctx, store.User{Username: username, PasswordHash: hash, Role: role, CreatedAt: now})
	if err != nil {
		return u, err
	}
	return u, Audit(ctx, tx, now, actor, "user.create", "user:"+username, "role="+role.String())
}

// ErrBadUsername is returned for a username outside the allowed characters.
var ErrBadUsername = fmt.Errorf("auth: username must be 1-64 characters of a-z A-Z 0-9 . _ - @")

func checkUsername(u string) error {
	if len(u) == 0 || len(u) > 64 {
		return ErrBadUsername
	}
	for _, r := range u {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-', r == '@':
		default:
			return ErrBadUsername
		}
	}
	return nil
}

// UpdateUser changes a user's role and/or disabled flag (nil leaves it).
func UpdateUser(ctx context.Context, tx store.Tx, actor, username string, role *store.Role, disabled *bool, now time.Time) (store.User, error) {
	u, err := func() (store.User, error) {
		u, err := tx.UserByName(ctx, username)
		if err != nil {
			return u, err
		}
		if role != nil {
			if *role == store.RoleNone {
				return u, ErrBadRole
			}
			if err := Audit(ctx, tx, now, actor, "user.role", "user:"+username, u.Role.String()+"->"+role.String()); err != nil {
				return u, err
			}
			u.Role = *role
		}
		if disabled != nil {
			if err := Audit(ctx, tx, now, actor, "user.disable", "user:"+username, fmt.Sprint("disabled=", *disabled)); err != nil {
				return u, err
			}
			u.Disabled = *disabled
		}
		return u, tx.UpdateUser(ctx, u)
	}()
	return u, err
}

// CreateAPIKey makes a key with role that expires after ttl. The returned
// text is the only time the secret exists outside the caller's hands.
func CreateAPIKey(ctx context.Context, tx store.Tx, actor, name string, role store.Role, ttl time.Duration, now time.Time) (text string, k store.APIKey, err error) {
	if role == store.RoleNone {
		return "", k, ErrBadRole
	}
	if ttl <= 0 || ttl > 366*24*time.Hour {
		return "", k, fmt.Errorf("auth: API key lifetime %s not in (0, 366 days]", ttl)
	}
	id, secret := randomHex(8), randomText(32)
	k = store.APIKey{ID: id, Name: clip(name), SecretHash: TokenHash(secret), Role: role, CreatedBy: actor, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := tx.CreateAPIKey(ctx, k); err != nil {
		return "", k, err
	}
	err = Audit(ctx, tx, now, actor, "apikey.create", "apikey:"+id, "role="+role.String()+" expires="+k.ExpiresAt.Format(time.RFC3339))
	return "ask_" + id + "_" + secret, k, err
}

// RevokeAPIKey revokes a key by id.
func RevokeAPIKey(ctx context.Context, tx store.Tx, actor, id string, now time.Time) error {
	if err := tx.RevokeAPIKey(ctx, id, now); err != nil {
		return err
	}
	return Audit(ctx, tx, now, actor, "apikey.revoke", "apikey:"+id, "")
}

// Allowed reports whether a caller with role may use an endpoint needing min.
func Allowed(role, min store.Role) bool { return role >= min && min > store.RoleNone }
