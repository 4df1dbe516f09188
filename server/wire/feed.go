// Package wire holds the message types the server and its clients share
// (DESIGN.md §2: sync imports only this package of the server). It has no
// behaviour and imports only the standard library.
package wire

import "encoding/json"

// Feed protocol on GET /api/v1/ws (WebSocket, text frames, one JSON object
// each). The client sends Subscribe for each channel it wants, with the last
// sequence number it has applied (0 for none); the server replays the
// channel's stored events with seq > Since in order and then sends new ones
// live. Sequence numbers start at 1 per channel and have no gaps, so a
// client applies an event only when it is exactly cursor+1, ignores
// anything at or below its cursor, and resubscribes from its cursor when it
// sees a gap.

// Feed message types.
const (
	TypeSubscribe   = "subscribe"   // client → server
	TypeUnsubscribe = "unsubscribe" // client → server
	TypeSubscribed  = "subscribed"  // server → client: acknowledgement, Seq = the channel's latest
	TypeEvent       = "event"       // server → client
	TypeError       = "error"       // server → client, then the server closes
)

// Feed channels.
const (
	ChannelCatalog      = "catalog"
	ChannelConjunctions = "conjunctions"
	ChannelManeuvers    = "maneuvers"
	ChannelCCDM         = "ccdm"
	ChannelJobs         = "jobs"
)

// Subscribe asks for a channel's events after Since. Objects, when not
// empty, filters by NORAD number.
type Subscribe struct {
	Type    string `json:"type"`
	Channel string `json:"channel"`
	Since   int64  `json:"since"`
	Objects []int  `json:"objects,omitempty"`
}

// FeedMessage is what the server sends.
type FeedMessage struct {
	Type    string          `json:"type"`
	Channel string          `json:"channel,omitempty"`
	Seq     int64           `json:"seq,omitempty"`
	Kind    string          `json:"kind,omitempty"` // e.g. "element_set", "conjunction", "maneuver"
	Data    json.RawMessage `json:"data,omitempty"`
	Error   string          `json:"error,omitempty"`
}
