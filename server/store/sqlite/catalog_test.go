package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

func TestCatalogChanges(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	epoch := time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)
	put := func(norad, day int, name string) bool {
		var added bool
		if err := db.Update(ctx, func(tx store.Tx) error {
			var err error
			added, err = tx.PutElementSet(ctx, name, fmt.Sprintf("2022-%03dA", norad), store.ElementSet{NORAD: norad,
				Epoch: epoch.Add(time.Duration(day) * 24 * time.Hour), Format: "tle", Body: fmt.Sprintf("%d/%d", norad, day), Received: epoch})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return added
	}
	if h, err := db.ElementSetHead(ctx); err != nil || h != 0 {
		t.Fatalf("empty head %d, %v", h, err)
	}
	for day := range 4 {
		for norad := 1; norad <= 3; norad++ {
			put(norad, day, fmt.Sprintf("OBJ %d", norad))
		}
	}
	if put(2, 1, "OBJ 2") {
		t.Fatal("a duplicate (NORAD, epoch) was stored")
	}
	put(2, 9, "RENAMED") // newest set renames the object

	all, err := db.ElementSetChanges(ctx, 0, 0)
	if err != nil || len(all) != 13 {
		t.Fatalf("all changes: %d, %v", len(all), err)
	}
	for i, c := range all {
		if i > 0 && c.ID <= all[i-1].ID {
			t.Fatalf("not ascending at %d", i)
		}
		if c.NORAD == 2 && c.Name != "RENAMED" || c.COSPAR != fmt.Sprintf("2022-%03dA", c.NORAD) {
			t.Fatalf("change %+v: want the object's current name and designator", c)
		}
	}
	if all[12].Body != "2/9" {
		t.Fatalf("last change %+v", all[12])
	}
	page, err := db.ElementSetChanges(ctx, all[4].ID, 3)
	if err != nil || len(page) != 3 || page[0].ID != all[5].ID || page[2].ID != all[7].ID {
		t.Fatalf("page after #4: %+v, %v", page, err)
	}
	head, _ := db.ElementSetHead(ctx)
	n, err := db.CountElementSetChanges(ctx, all[4].ID)
	if head != all[12].ID || err != nil || n != 8 {
		t.Fatalf("head %d, count after #4 %d, %v", head, n, err)
	}

	hist, err := db.ElementSetsBefore(ctx, 2, time.Time{}, 2)
	if err != nil || len(hist) != 2 || hist[0].Body != "2/9" || hist[1].Body != "2/3" {
		t.Fatalf("newest 2 of 2: %+v, %v", hist, err)
	}
	hist, err = db.ElementSetsBefore(ctx, 2, hist[1].Epoch, 10)
	if err != nil || len(hist) != 3 || hist[0].Body != "2/2" || hist[2].Body != "2/0" {
		t.Fatalf("before day 3: %+v, %v", hist, err)
	}
}
