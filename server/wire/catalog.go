package wire

import "time"

// Bulk catalog transfer on GET /api/v1/catalog/changes?cursor=N&limit=M.
// Every stored element set has a server sequence (Seq) that increases in
// the order sets are stored; a page holds the sets with Seq > cursor in
// ascending order and NextCursor is the Seq of its last set (the request's
// cursor when the page is empty). A client that stores each page together
// with NextCursor resumes after any cut without loss or duplication.
// Accept: application/x-protobuf answers with catalogpb.CatalogChanges (the
// same content), anything JSON-compatible with CatalogChanges below; other
// Accept values get 406. Accept-Encoding: gzip compresses either.

// Content types of the bulk endpoints.
const (
	ContentTypeJSON     = "application/json"
	ContentTypeProtobuf = "application/x-protobuf"
)

// CatalogElementSet is one element set of a changes page.
type CatalogElementSet struct {
	Seq      int64     `json:"seq"`
	NORAD    int       `json:"norad"`
	Name     string    `json:"name"`
	COSPAR   string    `json:"cospar"`
	Epoch    time.Time `json:"epoch"`
	Format   string    `json:"format"` // "tle" (two lines) or "gp-json"
	Body     string    `json:"body"`
	Received time.Time `json:"received"`
}

// CatalogChanges is one page of the changes endpoint.
type CatalogChanges struct {
	ElementSets []CatalogElementSet `json:"element_sets"`
	NextCursor  int64               `json:"next_cursor"`
	More        bool                `json:"more"`
	Head        int64               `json:"head"` // newest Seq when the page was read
	// Remaining is the number of sets after NextCursor, present only when
	// the request asked with total=1 (counting costs a scan).
	Remaining *int64 `json:"remaining,omitempty"`
}
