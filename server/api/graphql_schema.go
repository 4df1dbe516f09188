package api

// graphqlSDL is the GraphQL schema served at /api/v1/graphql (and as text at
// /api/v1/graphql/schema). Every list of objects takes a limit argument: the
// complexity limit multiplies a list's children by it (graphql.go). Fields
// that need a higher role are nullable, so that a refusal (FORBIDDEN) nulls
// only that field.
//
// Left out because server/store has no reader for them (yet): an object's
// kind (payload, rocket body, debris), idempotency records. CCDM
// indicators, assessments and models come from store.CCDMStore
// (graphql_ccdm.go).
const graphqlSDL = `
schema { query: Query }

"RFC 3339 date-time, UTC."
scalar Time

type Query {
  "The authenticated caller."
  me: Me!
  "One catalogued object, or null when the catalog does not hold it."
  object(norad: Int!): Object
  "Catalog search: name substring (q), NORAD number, COSPAR prefix; objects with NORAD > after."
  objects(q: String, norad: Int, cospar: String, after: Int, limit: Int = 100): [Object!]!
  "One conjunction event with its history, or null."
  conjunction(id: ID!): Conjunction
  "Conjunction events in id order (id > after), optionally those of one object."
  conjunctions(norad: Int, after: ID, limit: Int = 100): [Conjunction!]!
  "One stored CDM, or null."
  cdm(id: ID!): CDM
  "Stored CDMs in id order (id > after), optionally those of one object."
  cdms(norad: Int, after: ID, limit: Int = 100): [CDM!]!
  "Detected manoeuvres in id order (id > after), optionally those of one object."
  maneuvers(norad: Int, after: ID, limit: Int = 100): [Maneuver!]!
  "CCDM indicators that fired, id order (id > after), optionally of one object and one kind (e.g. maneuvers-detected)."
  indicators(norad: Int, kind: String, after: ID, limit: Int = 100): [Indicator!]!
  "Registered ONNX models (registry metadata)."
  models(limit: Int = 100): [Model!]!
  "One of your screening jobs (any for admins), or null."
  screening(id: ID!): ScreeningJob
  "Your screening jobs, newest first; admins see everyone's, or one owner's."
  screenings(owner: String, limit: Int = 100): [ScreeningJob!]!
  "Your webhooks (all for admins). Operator role or higher."
  webhooks(limit: Int = 100): [Webhook!]
  "User accounts. Admin only."
  users(limit: Int = 100): [User!]
  "API keys, never their secrets. Admin only."
  apiKeys(limit: Int = 100): [APIKey!]
  "The hash-chained audit log (seq > after). Admin only."
  audit(after: ID, limit: Int = 100): [AuditEntry!]
}

type Me {
  subject: String!
  role: String!
}

type Object {
  norad: Int!
  name: String!
  cospar: String!
  "Epoch of the newest element set."
  epoch: Time!
  elementSetCount: Int!
  updatedAt: Time!
  "Element-set history, newest first."
  elements(limit: Int = 10): [ElementSet!]!
  "Conjunction events this object is in, id order (id > after)."
  conjunctions(after: ID, limit: Int = 20): [Conjunction!]!
  "CDMs naming this object, id order (id > after)."
  cdms(after: ID, limit: Int = 20): [CDM!]!
  "Manoeuvres detected for this object, id order (id > after)."
  maneuvers(after: ID, limit: Int = 20): [Maneuver!]!
  "CCDM indicators that fired for this object, id order (id > after), optionally one kind."
  indicators(kind: String, after: ID, limit: Int = 20): [Indicator!]!
  "The newest CCDM threat assessment, or null before the first analysis."
  assessment: Assessment
}

type ElementSet {
  id: ID!
  norad: Int!
  epoch: Time!
  "tle or omm-json"
  format: String!
  "The element set as received (TLE lines or OMM JSON)."
  body: String!
  received: Time!
}

type Conjunction {
  id: ID!
  norad1: Int!
  norad2: Int!
  tca: Time!
  missKm: Float!
  relSpeedKmS: Float!
  pc: Float!
  jobId: String
  updatedAt: Time!
  "The object with the lower NORAD number, null when not catalogued."
  primary: Object
  "The object with the higher NORAD number, null when not catalogued."
  secondary: Object
  "Past estimates (Pc history), oldest first."
  history(limit: Int = 100): [ConjunctionUpdate!]!
  "Stored CDMs for this pair whose TCA falls in the event's minute, id order."
  cdms(limit: Int = 20): [CDM!]!
  "Notes on the event, oldest first."
  notes(limit: Int = 100): [Note!]!
  "Acknowledgements, newest first."
  acks(limit: Int = 20): [Ack!]!
  "Whether some user acknowledged the event as it now stands (its current updatedAt)."
  acknowledged: Boolean!
}

"A note on a conjunction event; conflict: written against an older version of the event than the server held."
type Note {
  id: ID!
  author: String!
  text: String!
  seenUpdatedAt: Time!
  eventUpdatedAt: Time!
  conflict: Boolean!
  createdAt: Time!
}

"An acknowledgement of one version of a conjunction event; current: that version is still the event's."
type Ack {
  id: ID!
  author: String!
  comment: String!
  seenUpdatedAt: Time!
  current: Boolean!
  createdAt: Time!
}

type ConjunctionUpdate {
  at: Time!
  tca: Time!
  missKm: Float!
  pc: Float!
  source: String!
}

type CDM {
  id: ID!
  messageId: String!
  norad1: Int!
  norad2: Int!
  tca: Time!
  missKm: Float!
  createdAt: Time!
  "The message as CCSDS KVN."
  kvn: String!
}

type Maneuver {
  id: ID!
  norad: Int!
  epoch: Time!
  deltaVMS: Float!
  kind: String!
  confidence: Float!
  detectedAt: Time!
  object: Object
}

"A CCDM indicator (Welders Arc SS4 name) that fired for an object, with its evidence."
type Indicator {
  id: ID!
  norad: Int!
  "SS4 indicator name, e.g. maneuvers-detected"
  indicator: String!
  "Welders Arc topic, ss4.indicators.<name>"
  topic: String!
  "Sub-classification (manoeuvre kind, proximity pattern), empty when none."
  pattern: String!
  "Monotone confidence in [0, 1], not a calibrated probability."
  confidence: Float!
  "When the finding applies (event epoch, or the assessment epoch)."
  epoch: Time!
  "First and last element-set epochs the analysis used."
  windowStart: Time!
  windowEnd: Time!
  "Rule identifier (engine/ccdm)."
  method: String!
  "The finding as JSON text: rule, thresholds, evidence with units, notes."
  detail: String!
  createdAt: Time!
  object: Object
}

"A CCDM threat assessment of one object at one epoch."
type Assessment {
  id: ID!
  norad: Int!
  assessmentEpoch: Time!
  "assessed, or insufficient-data when no indicator could be judged"
  status: String!
  "NONE, LOW, MEDIUM, HIGH or CRITICAL; null with insufficient data."
  level: String
  score: Float!
  windowStart: Time!
  windowEnd: Time!
  elementSetsUsed: Int!
  method: String!
  "JSON text: reasons with weights, indicators not judged and why, notes."
  summary: String!
  createdAt: Time!
  "The stored indicators the score rests on."
  indicators(limit: Int = 20): [Indicator!]!
}

"Metadata of a registered model version."
type Model {
  id: ID!
  name: String!
  kind: String!
  sha256: String!
  bytes: Float!
  active: Boolean!
  "JSON text: training, metrics, outcomes."
  detail: String!
  createdAt: Time!
}

type ScreeningJob {
  id: ID!
  owner: String!
  "queued, running, done, failed or cancelled"
  state: String!
  "The job's parameters as JSON text."
  params: String!
  progress: Float!
  stage: String!
  error: String!
  events: Int!
  createdAt: Time!
  updatedAt: Time!
  finishedAt: Time
}

type Webhook {
  id: ID!
  owner: String!
  url: String!
  channels: [String!]!
  createdAt: Time!
  "Delivery attempts, newest first."
  deliveries(limit: Int = 20): [Delivery!]!
}

type Delivery {
  channel: String!
  seq: ID!
  attempt: Int!
  status: Int!
  error: String!
  at: Time!
}

type User {
  username: String!
  role: String!
  disabled: Boolean!
  createdAt: Time!
}

type APIKey {
  id: ID!
  name: String!
  role: String!
  createdBy: String!
  createdAt: Time!
  expiresAt: Time!
  revokedAt: Time
}

type AuditEntry {
  seq: ID!
  at: Time!
  actor: String!
  action: String!
  target: String!
  detail: String!
  "SHA-256 chain hash, hex."
  hash: String!
}
`
