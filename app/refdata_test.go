package app

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/astroshield/astroshield/engine/catalog"
)

// refPath locates a reference file under ASTROSHIELD_TESTDATA (default
// ../../shared/testdata from this package) and skips when it is absent.
func refPath(t testing.TB, elem ...string) string {
	t.Helper()
	dir := os.Getenv("ASTROSHIELD_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "testdata")
	}
	p := filepath.Join(append([]string{dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("reference data not found (%v): set ASTROSHIELD_TESTDATA or place shared/testdata beside the repository", err)
	}
	return p
}

var (
	fullOnce sync.Once
	fullCat  *Catalog
	fullErr  error
)

// fullCatalog is the 24,132-object 2022-07-15 snapshot, loaded once.
func fullCatalog(t testing.TB) *Catalog {
	t.Helper()
	p := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	fullOnce.Do(func() {
		sets, _, err := catalog.ReadFile(p)
		fullErr = err
		fullCat = NewCatalog(sets, p)
	})
	if fullErr != nil {
		t.Fatal(fullErr)
	}
	return fullCat
}
