// Package store defines the server's domain records and the Store interface
// that storage implementations (server/store/sqlite, later postgres) satisfy.
package store

import (
	"context"
	"errors"
	"time"
)

var (
	// ErrNotFound is returned when a record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict is returned when a unique value is already taken.
	ErrConflict = errors.New("store: conflict")
	// ErrInvalid is returned for a value the storage cannot hold (for
	// PostgreSQL, text with a NUL byte or invalid UTF-8); the request was
	// wrong, not the server.
	ErrInvalid = errors.New("store: value cannot be stored")
)

// Role is a user's or API key's privilege level; higher includes lower.
type Role int

// Roles in increasing privilege.
const (
	RoleNone Role = iota
	RoleViewer
	RoleAnalyst
	RoleOperator
	RoleAdmin
)

var roleNames = [...]string{"none", "viewer", "analyst", "operator", "admin"}

func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return "none"
	}
	return roleNames[r]
}

// ParseRole returns the role named s, or RoleNone and false.
func ParseRole(s string) (Role, bool) {
	for i, n := range roleNames {
		if i > 0 && n == s {
			return Role(i), true
		}
	}
	return RoleNone, false
}

// User is an account that logs in with a password.
type User struct {
	ID           int64
	Username     string
	PasswordHash []byte
	Role         Role
	Disabled     bool
	CreatedAt    time.Time
}

// APIKey is an integration credential; only a hash of its secret is kept.
type APIKey struct {
	ID         string // public identifier, part of the key text
	Name       string
	SecretHash []byte // SHA-256 of the secret part
	Role       Role
	CreatedBy  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  time.Time // zero while valid
}

// SigningKey is one Ed25519 key used to sign access tokens.
type SigningKey struct {
	KID        string
	PrivateKey []byte // ed25519 seed (32 bytes)
	PublicKey  []byte
	CreatedAt  time.Time
	// RetireAt is when verification with this key stops; zero for the
	// current key (the newest one not retired).
	RetireAt time.Time
}

// RefreshToken is one link of a rotating refresh-token family.
type RefreshToken struct {
	Hash      []byte // SHA-256 of the token text
	FamilyID  string
	UserID    int64
	ExpiresAt time.Time
	UsedAt    time.Time
	RevokedAt time.Time
}

// Object is one catalogued space object with its latest element set.
type Object struct {
	NORAD     int
	Name      string
	COSPAR    string
	Epoch     time.Time // latest element set's epoch
	Sets      int       // element sets in history
	UpdatedAt time.Time
}

// ElementSet is one stored element set of an object's history.
type ElementSet struct {
	ID       int64
	NORAD    int
	Epoch    time.Time
	Format   string // "tle" or "omm-json"
	Body     string // the element set as received (TLE lines or OMM JSON)
	Received time.Time
}

// ObjectQuery filters and pages the catalog.
type ObjectQuery struct {
	Name   string // case-insensitive substring
	NORAD  int
	COSPAR string // prefix
	After  int    // NORAD cursor: objects with a greater number
	Limit  int
}

// Job is a screening job.
type Job struct {
	ID         string
	Owner      string
	State      string // queued, running, done, failed, cancelled
	Params     string // JSON
	Progress   float64
	Stage      string
	Error      string
	Events     int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt time.Time
}

// Job states.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// Conjunction is a close approach between two objects, keyed by the pair and
// the TCA rounded to the minute; later screenings add history rows.
type Conjunction struct {
	ID               int64
	Norad1, Norad2   int
	TCA              time.Time
	MissDistanceKm   float64
	RelativeSpeedKmS float64
	Pc               float64
	JobID            string
	UpdatedAt        time.Time
	History          []ConjunctionUpdate
}

// ConjunctionUpdate is one past estimate of a conjunction.
type ConjunctionUpdate struct {
	At             time.Time
	TCA            time.Time
	MissDistanceKm float64
	Pc             float64
	Source         string
}

// CDM is a stored conjunction data message.
type CDM struct {
	ID             int64
	MessageID      string
	Norad1, Norad2 int
	TCA            time.Time
	MissDistanceKm float64
	Body           string // KVN as stored
	CreatedAt      time.Time
}

// Maneuver is a detected manoeuvre.
type Maneuver struct {
	ID         int64
	NORAD      int
	Epoch      time.Time
	DeltaVMS   float64
	Kind       string
	Confidence float64
	DetectedAt time.Time
}

// AuditEntry is one record of the hash-chained audit log.
type AuditEntry struct {
	Seq      int64
	At       time.Time
	Actor    string
	Action   string
	Target   string
	Detail   string
	PrevHash []byte
	Hash     []byte
}

// FeedEvent is one event of a live-feed channel.
type FeedEvent struct {
	Channel string
	Seq     int64
	Kind    string
	Payload []byte // JSON
	At      time.Time
}

// Idempotent is a stored response to a write carrying an Idempotency-Key.
type Idempotent struct {
	Scope       string // principal the key belongs to
	Key         string
	RequestHash []byte
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// Reader holds the queries that do not change state.
type Reader interface {
	UserByName(ctx context.Context, username string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context) ([]User, error)
	APIKey(ctx context.Context, id string) (APIKey, error)
	APIKeys(ctx context.Context) ([]APIKey, error)
	SigningKeys(ctx context.Context) ([]SigningKey, error)
	RefreshToken(ctx context.Context, hash []byte) (RefreshToken, error)
	Object(ctx context.Context, norad int) (Object, error)
	Objects(ctx context.Context, q ObjectQuery) ([]Object, error)
	ElementSets(ctx context.Context, norad int, limit int) ([]ElementSet, error)
	LatestElementSets(ctx context.Context, norads []int) ([]ElementSet, error)
	Job(ctx context.Context, id string) (Job, error)
	Jobs(ctx context.Context, owner string, limit int) ([]Job, error)
	Conjunction(ctx context.Context, id int64) (Conjunction, error)
	Conjunctions(ctx context.Context, norad int, after int64, limit int) ([]Conjunction, error)
	CDM(ctx context.Context, id int64) (CDM, error)
	CDMs(ctx context.Context, norad int, after int64, limit int) ([]CDM, error)
	Maneuvers(ctx context.Context, norad int, after int64, limit int) ([]Maneuver, error)
	Audit(ctx context.Context, after int64, limit int) ([]AuditEntry, error)
	FeedEvents(ctx context.Context, channel string, after int64, limit int) ([]FeedEvent, error)
	FeedHead(ctx context.Context, channel string) (int64, error)
	Idempotent(ctx context.Context, scope, key string) (Idempotent, error)
}

// Tx is one write transaction: everything done through it commits together
// (durably, before the caller acknowledges) or not at all.
type Tx interface {
	Reader
	CreateUser(ctx context.Context, u User) (User, error)
	UpdateUser(ctx context.Context, u User) error
	CreateAPIKey(ctx context.Context, k APIKey) error
	RevokeAPIKey(ctx context.Context, id string, at time.Time) error
	AddSigningKey(ctx context.Context, k SigningKey) error
	RetireSigningKeys(ctx context.Context, exceptKID string, at time.Time) error
	AddRefreshToken(ctx context.Context, t RefreshToken) error
	// UseRefreshToken marks the token used; it returns false when it was
	// already used or revoked.
	UseRefreshToken(ctx context.Context, hash []byte, at time.Time) (bool, error)
	RevokeRefreshFamily(ctx context.Context, family string, at time.Time) error
	// PutElementSet adds an element set to an object's history and updates
	// the object; it returns false when the same (NORAD, epoch) is stored.
	PutElementSet(ctx context.Context, name, cospar string, e ElementSet) (bool, error)
	CreateJob(ctx context.Context, j Job) error
	UpdateJob(ctx context.Context, j Job) error
	// UpsertConjunction stores a new estimate, appending history for a known one.
	UpsertConjunction(ctx context.Context, c Conjunction, source string) (Conjunction, error)
	AddCDM(ctx context.Context, c CDM) (CDM, error)
	AddManeuver(ctx context.Context, m Maneuver) (Maneuver, bool, error)
	// AppendAudit chains e onto the log (Seq, PrevHash and Hash are set).
	AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error)
	// AppendFeed assigns the channel's next sequence number to e.
	AppendFeed(ctx context.Context, e FeedEvent) (FeedEvent, error)
	PutIdempotent(ctx context.Context, r Idempotent) error
}

// Store is the storage the server uses.
type Store interface {
	Reader
	// Update runs fn in one write transaction; fn's error rolls it back.
	Update(ctx context.Context, fn func(Tx) error) error
	// Ping reports whether storage answers.
	Ping(ctx context.Context) error
	Close() error
}

// Webhook is a subscription that receives feed events by HTTP POST.
type Webhook struct {
	ID        string
	Owner     string
	URL       string
	Channels  []string
	Secret    []byte // HMAC-SHA256 key; kept because signing needs it
	CreatedAt time.Time
	Disabled  bool
}

// Delivery is one attempt to deliver an event to a webhook.
type Delivery struct {
	WebhookID string
	Channel   string
	Seq       int64
	Attempt   int
	Status    int // HTTP status; 0 when no answer
	Error     string
	At        time.Time
}

// WebhookStore is the webhook part of the storage (implemented by the
// same types as Store).
type WebhookStore interface {
	Webhooks(ctx context.Context, owner string) ([]Webhook, error)
	Webhook(ctx context.Context, id string) (Webhook, error)
	// Delivered is the highest sequence of channel finished for the webhook
	// (delivered, or given up after the last attempt).
	Delivered(ctx context.Context, webhookID, channel string, maxAttempts int) (int64, error)
	Deliveries(ctx context.Context, webhookID string, limit int) ([]Delivery, error)
	CreateWebhook(ctx context.Context, w Webhook) error
	DisableWebhook(ctx context.Context, id string) error
	AddDelivery(ctx context.Context, d Delivery) error
}

// ElementSetChange is a stored element set with its object's current name
// and designator, as the bulk catalog transfer sends it. ElementSet.ID is
// the change cursor.
type ElementSetChange struct {
	ElementSet
	Name   string
	COSPAR string
}

// CatalogStore is the bulk-transfer part of the storage (implemented by the
// same types as Store). Element-set IDs serve as the change cursor: an
// implementation must make them visible in increasing order (a reader that
// has seen ID n never later finds a new set with an ID below n).
type CatalogStore interface {
	// ElementSetChanges returns at most limit element sets with ID > after,
	// in ascending ID order.
	ElementSetChanges(ctx context.Context, after int64, limit int) ([]ElementSetChange, error)
	// ElementSetHead is the highest element-set ID (0 when none).
	ElementSetHead(ctx context.Context) (int64, error)
	// CountElementSetChanges is the number of element sets with ID > after.
	CountElementSetChanges(ctx context.Context, after int64) (int64, error)
	// ElementSetsBefore returns at most limit of an object's element sets
	// with epoch before `before` (zero: no bound), newest first.
	ElementSetsBefore(ctx context.Context, norad int, before time.Time, limit int) ([]ElementSet, error)
}
