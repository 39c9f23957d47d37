// Package bot is tenderbot's core: the domain types (subscribers, profiles,
// notices, feeds, deliveries), the small interfaces it needs from the outside
// world (store, matcher, messengers, clock), and the use cases that decide what
// happens — commands from chat, ingesting notices from feeds, and delivering
// alerts through the outbox.
//
// It imports only the standard library. Storage, matching, feed parsing and
// chat platforms live in their own packages, which import bot for its types;
// cmd/tenderbot passes their implementations in. Engagement events run in
// bot/engage, which the core reaches through the Engagement interface.
package bot
