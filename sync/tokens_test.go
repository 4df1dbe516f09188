package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokenFileRoundTripAndMode(t *testing.T) {
	f := TokenFile{Path: filepath.Join(t.TempDir(), "cfg", "refresh-token")}
	if tok, err := f.Load(); err != nil || !tok.IsZero() {
		t.Fatalf("missing file: %v %v", tok, err)
	}
	if err := f.Save(NewSecret("rt-1")); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(NewSecret("rt-2")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", st.Mode().Perm())
	}
	if d, _ := os.Stat(filepath.Dir(f.Path)); d.Mode().Perm() != 0o700 {
		t.Errorf("token directory mode %v, want 0700", d.Mode().Perm())
	}
	tok, err := f.Load()
	if err != nil || tok.Reveal() != "rt-2" {
		t.Fatalf("Load: %q %v", tok.Reveal(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(f.Path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := os.Chmod(f.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Load(); !errors.Is(err, ErrTokenFileMode) {
		t.Errorf("world-readable token file: err %v", err)
	}
	if err := f.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Clear left the file: %v", err)
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	s := NewSecret("hunter2-token")
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	log.Info("login", "token", s, "struct", struct{ T Secret }{s})
	j, _ := json.Marshal(map[string]any{"t": s})
	out := strings.Join([]string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q", s, s, s, s, s), string(j), logs.String()}, "\n")
	if strings.Contains(out, "hunter2") {
		t.Errorf("secret leaked:\n%s", out)
	}
	if s.Reveal() != "hunter2-token" {
		t.Error("Reveal lost the value")
	}
}
