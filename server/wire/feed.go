// Package wire holds the message types the server and its clients share
// (DESIGN.md §2: sync imports only this package of the server). It has no
// behaviour and imports only the standard library.
package wire

import (
	"encoding/json"
	"time"
)

// Feed protocol on GET /api/v1/ws (WebSocket, text frames, one JSON Message
// each). The client sends a subscribe for each channel it wants, with After
// = the last sequence number it has applied (0 for none); the server
// answers subscribed (Seq = where it resumes, Head = the channel's latest),
// replays the channel's stored events with seq > After in order, then sends
// new ones live, and a heartbeat every 15 s. Sequence numbers start at 1 per
// channel and have no gaps, so a client applies an event only when it is
// exactly cursor+1, ignores anything at or below its cursor, and
// resubscribes from its cursor when it sees a gap. A client that does not
// read fast enough is closed with code 4008; invalid UTF-8 closes with 1007.

// Message types.
const (
	TypeSubscribe    = "subscribe"    // client → server
	TypeUnsubscribe  = "unsubscribe"  // client → server
	TypeSubscribed   = "subscribed"   // server → client
	TypeUnsubscribed = "unsubscribed" // server → client
	TypeEvent        = "event"        // server → client
	TypeHeartbeat    = "heartbeat"    // server → client
	TypeError        = "error"        // server → client
)

// Channels.
const (
	ChannelCatalog      = "catalog"
	ChannelConjunctions = "conjunctions"
	ChannelManeuvers    = "maneuvers"
	ChannelCCDM         = "ccdm"
	ChannelJobs         = "jobs"
)

// Message travels in both directions; fields are used by type.
type Message struct {
	Type    string          `json:"type"`
	Channel string          `json:"channel,omitempty"`
	After   *int64          `json:"after,omitempty"` // subscribe: resume after this sequence
	Seq     int64           `json:"seq,omitempty"`
	Head    *int64          `json:"head,omitempty"`
	Kind    string          `json:"kind,omitempty"` // event: e.g. "element_set", "conjunction"
	At      *time.Time      `json:"at,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
	Message string          `json:"message,omitempty"` // error text
}
