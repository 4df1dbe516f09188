// Package sync is the desktop client's side of the server protocol: login
// and token refresh, a local cache the app can analyse from with no network,
// a durable outbox of actions taken offline, and a reconnecting live feed.
//
// Files that also need the standard library's sync import it as
// gosync; other packages import this one as assync (DESIGN.md §2).
package sync
