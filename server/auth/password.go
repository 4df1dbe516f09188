// Package auth authenticates people and integrations (bcrypt passwords with
// login throttling, EdDSA JWT access tokens with rotating refresh tokens and
// signing keys, hashed API keys) and decides what each role may do.
package auth

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// MinCost is the lowest bcrypt cost a production hasher accepts.
const MinCost = 12

// DefaultCost is the bcrypt cost used when none is configured.
const DefaultCost = MinCost

// MaxPasswordBytes is bcrypt's input limit; longer passwords are refused
// rather than silently truncated.
const MaxPasswordBytes = 72

var (
	// ErrPasswordTooLong is returned for passwords over MaxPasswordBytes.
	ErrPasswordTooLong = errors.New("auth: password longer than 72 bytes")
	// ErrPasswordEmpty is returned for an empty password.
	ErrPasswordEmpty = errors.New("auth: password is empty")
)

// Hasher hashes and checks passwords with bcrypt at a fixed cost.
type Hasher struct {
	cost  int
	dummy []byte // a hash to compare against for unknown users
}

// NewHasher returns a hasher at cost, which must be at least MinCost.
func NewHasher(cost int) (*Hasher, error) {
	if cost < MinCost || cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("auth: bcrypt cost %d not in [%d, %d]", cost, MinCost, bcrypt.MaxCost)
	}
	return newHasher(cost), nil
}

// InsecureTestHasher returns a hasher below MinCost. It exists so that test
// suites can create many users quickly; production configuration goes
// through NewHasher.
func InsecureTestHasher(cost int) *Hasher { return newHasher(max(cost, bcrypt.MinCost)) }

func newHasher(cost int) *Hasher {
	d, err := bcrypt.GenerateFromPassword([]byte("astroshield-dummy-password"), cost)
	if err != nil {
		panic(err) // only for an out-of-range cost, excluded above
	}
	return &Hasher{cost: cost, dummy: d}
}

// Cost is the bcrypt cost in use.
func (h *Hasher) Cost() int { return h.cost }

// CheckPolicy reports a password that cannot be hashed faithfully.
func CheckPolicy(password string) error {
	switch {
	case len(password) == 0:
		return ErrPasswordEmpty
	case len(password) > MaxPasswordBytes:
		return ErrPasswordTooLong
	}
	return nil
}

// Hash returns the bcrypt hash of password.
func (h *Hasher) Hash(password string) ([]byte, error) {
	if err := CheckPolicy(password); err != nil {
		return nil, err
	}
	return bcrypt.GenerateFromPassword([]byte(password), h.cost)
}

// Compare reports whether password matches hash. A nil hash (unknown user)
// is compared against a dummy hash so that both cases take the same time.
func (h *Hasher) Compare(hash []byte, password string) bool {
	if hash == nil {
		bcrypt.CompareHashAndPassword(h.dummy, []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
}
