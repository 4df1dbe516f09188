package sync

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// Secret is a credential (refresh token, access token, API key). Every
// way of printing or logging it — fmt verbs, JSON, slog — shows
// "[redacted]"; only Reveal gives the value, for the Authorization header.
type Secret struct{ v string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{s} }

// Reveal returns the value itself.
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether s is empty.
func (s Secret) IsZero() bool { return s.v == "" }

func (s Secret) String() string               { return "[redacted]" }
func (s Secret) GoString() string             { return "sync.Secret{[redacted]}" }
func (s Secret) LogValue() slog.Value         { return slog.StringValue("[redacted]") }
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// ErrTokenFileMode: the token file is readable by others than its owner.
var ErrTokenFileMode = errors.New("sync: token file permissions too open")

// TokenFile keeps the refresh token in a file only its owner can read
// (0600, in a 0700 directory), written atomically.
type TokenFile struct{ Path string }

// DefaultTokenFile is astroshield/refresh-token under the user's config
// directory.
func DefaultTokenFile() (TokenFile, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return TokenFile{}, fmt.Errorf("sync: locating the config directory: %w", err)
	}
	return TokenFile{Path: filepath.Join(dir, "astroshield", "refresh-token")}, nil
}

// Save replaces the stored token.
func (f TokenFile) Save(tok Secret) error {
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("sync: token directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".refresh-token-*")
	if err != nil {
		return fmt.Errorf("sync: token file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("sync: token file: %w", err)
	}
	if _, err := tmp.WriteString(tok.v + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("sync: token file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync: token file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sync: token file: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("sync: token file: %w", err)
	}
	return nil
}

// Load returns the stored token; a missing file gives a zero Secret and no
// error. A file others can read is refused (ErrTokenFileMode).
func (f TokenFile) Load() (Secret, error) {
	fh, err := os.Open(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return Secret{}, nil
	}
	if err != nil {
		return Secret{}, fmt.Errorf("sync: token file: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return Secret{}, fmt.Errorf("sync: token file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return Secret{}, fmt.Errorf("%w: %s is %v; run chmod 600 on it", ErrTokenFileMode, f.Path, st.Mode().Perm())
	}
	b := make([]byte, 8192)
	n, _ := fh.Read(b)
	return Secret{strings.TrimSpace(string(b[:n]))}, nil
}

// Clear removes the stored token (logout).
func (f TokenFile) Clear() error {
	if err := os.Remove(f.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("sync: token file: %w", err)
	}
	return nil
}
