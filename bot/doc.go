// Package bot is tenderbot's core: the domain types (subscribers, profiles,
// notices, feeds, deliveries), the small interfaces it needs from the outside
// world (store, matcher, clock), and the use cases that decide what
// happens — commands from chat, ingesting notices from feeds, and enqueueing
// alerts in the outbox. Sending them is the outbox worker's (bot/outbox);
// the platform-facing interfaces it calls (Messenger, Paced, Reconciler,
// Connector) are declared here so that adapters need only this package.
//
// It imports only the standard library. Storage, matching, feed parsing and
// chat platforms live in their own packages, which import bot for its types;
// cmd/tenderbot passes their implementations in. Engagement events run in
// bot/engage, which the core reaches through the Engagement interface.
package bot
