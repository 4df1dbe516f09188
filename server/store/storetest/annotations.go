package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// testAnnotations: notes and acknowledgements of a conjunction event keep
// the event version their author saw next to the one the server held; a
// second ack of the same version by the same author is not stored twice;
// an unknown event is ErrNotFound.
func testAnnotations(t *testing.T, st store.Store) {
	ctx := context.Background()
	as, ok := st.(store.AnnotationStore)
	if !ok {
		t.Fatalf("%T does not implement store.AnnotationStore", st)
	}
	tca := epoch.Add(5 * time.Hour)
	v1 := epoch.Add(time.Minute).Add(123 * time.Millisecond)
	v2 := v1.Add(time.Hour)
	var c store.Conjunction
	annotate := func(fn func(ctx context.Context, tx store.AnnotationTx) error) error {
		return st.Update(ctx, func(tx store.Tx) error {
			at, ok := tx.(store.AnnotationTx)
			if !ok {
				t.Fatalf("%T does not implement store.AnnotationTx", tx)
			}
			return fn(ctx, at)
		})
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		c, err = tx.UpsertConjunction(ctx, store.Conjunction{Norad1: 100, Norad2: 200, TCA: tca, MissDistanceKm: 1, RelativeSpeedKmS: 10, Pc: 1e-4, UpdatedAt: v1}, "job:a")
		return err
	})

	var fresh, stale store.Note
	if err := annotate(func(ctx context.Context, tx store.AnnotationTx) error {
		var err error
		fresh, err = tx.AddNote(ctx, store.Note{ConjunctionID: c.ID, Author: "ana", Text: "Δv plan: none needed ✓", SeenUpdatedAt: v1, EventUpdatedAt: v1, CreatedAt: v1.Add(time.Second)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// A new estimate arrives; a note written against v1 is still stored.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		c, err = tx.UpsertConjunction(ctx, store.Conjunction{Norad1: 100, Norad2: 200, TCA: tca, MissDistanceKm: 0.2, RelativeSpeedKmS: 10, Pc: 3e-3, UpdatedAt: v2}, "cdm:b")
		return err
	})
	if err := annotate(func(ctx context.Context, tx store.AnnotationTx) error {
		var err error
		stale, err = tx.AddNote(ctx, store.Note{ConjunctionID: c.ID, Author: "bo", Text: "written offline", SeenUpdatedAt: v1, EventUpdatedAt: v2, CreatedAt: v2.Add(time.Second)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if fresh.ID == 0 || stale.ID <= fresh.ID || fresh.Conflict() || !stale.Conflict() {
		t.Fatalf("notes: %+v %+v", fresh, stale)
	}
	notes, err := as.Notes(ctx, c.ID, 0, 10)
	if err != nil || len(notes) != 2 {
		t.Fatalf("Notes: %+v, %v", notes, err)
	}
	if n := notes[0]; n != fresh || n.Text != "Δv plan: none needed ✓" || !n.SeenUpdatedAt.Equal(v1) || !n.CreatedAt.Equal(v1.Add(time.Second)) {
		t.Errorf("first note read back %+v, stored %+v", n, fresh)
	}
	if n := notes[1]; n != stale || !n.Conflict() || !n.EventUpdatedAt.Equal(v2) || n.Author != "bo" {
		t.Errorf("second note read back %+v, stored %+v", n, stale)
	}
	if page, _ := as.Notes(ctx, c.ID, fresh.ID, 10); len(page) != 1 || page[0].ID != stale.ID {
		t.Errorf("Notes after %d: %+v", fresh.ID, page)
	}
	if page, _ := as.Notes(ctx, c.ID, 0, 1); len(page) != 1 || page[0].ID != fresh.ID {
		t.Errorf("Notes limit 1: %+v", page)
	}

	// Acks: one per author and version.
	var first, again, other store.Ack
	var added1, added2, added3 bool
	if err := annotate(func(ctx context.Context, tx store.AnnotationTx) error {
		var err error
		if first, added1, err = tx.AddAck(ctx, store.Ack{ConjunctionID: c.ID, Author: "ana", Comment: "seen", SeenUpdatedAt: v2, CreatedAt: v2.Add(time.Minute)}); err != nil {
			return err
		}
		if again, added2, err = tx.AddAck(ctx, store.Ack{ConjunctionID: c.ID, Author: "ana", Comment: "twice", SeenUpdatedAt: v2, CreatedAt: v2.Add(2 * time.Minute)}); err != nil {
			return err
		}
		other, added3, err = tx.AddAck(ctx, store.Ack{ConjunctionID: c.ID, Author: "bo", SeenUpdatedAt: v2, CreatedAt: v2.Add(3 * time.Minute)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !added1 || added2 || !added3 || first.ID == 0 || again != first || other.ID == first.ID {
		t.Fatalf("acks: %+v %v / %+v %v / %+v %v", first, added1, again, added2, other, added3)
	}
	acks, err := as.Acks(ctx, c.ID, 10)
	if err != nil || len(acks) != 2 || acks[0] != other || acks[1] != first || acks[1].Comment != "seen" || !acks[1].SeenUpdatedAt.Equal(v2) {
		t.Fatalf("Acks: %+v, %v", acks, err)
	}

	// Unknown events: nothing is stored.
	for name, fn := range map[string]func(ctx context.Context, tx store.AnnotationTx) error{
		"note": func(ctx context.Context, tx store.AnnotationTx) error {
			_, err := tx.AddNote(ctx, store.Note{ConjunctionID: c.ID + 1000, Author: "ana", Text: "x", SeenUpdatedAt: v1, EventUpdatedAt: v1, CreatedAt: v1})
			return err
		},
		"ack": func(ctx context.Context, tx store.AnnotationTx) error {
			_, _, err := tx.AddAck(ctx, store.Ack{ConjunctionID: c.ID + 1000, Author: "ana", SeenUpdatedAt: v1, CreatedAt: v1})
			return err
		},
	} {
		if err := annotate(fn); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s on a missing conjunction: %v, want ErrNotFound", name, err)
		}
	}
	if ns, err := as.Notes(ctx, c.ID+1000, 0, 10); err != nil || len(ns) != 0 {
		t.Errorf("notes of a missing conjunction: %+v, %v", ns, err)
	}
}
