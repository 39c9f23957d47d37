// Package fakediscord is a local Discord for tests: an httptest server that
// speaks the parts of Discord's REST API (v9) and gateway websocket that
// tenderbot uses, with the real wire formats, so the real discordgo client
// can be pointed at it.
//
// It serves GET /gateway and /gateway/bot, the bulk overwrite of application
// commands (global and per guild), DM channel creation, channel messages,
// the interaction callback and the interaction webhook routes (edit the
// original response, follow-ups). REST calls need `Authorization: Bot
// <token>` except the interaction routes, whose token is in the URL, as on
// Discord. The gateway greets with HELLO, accepts IDENTIFY (or RESUME),
// answers heartbeats with ACKs and dispatches READY and INTERACTION_CREATE
// with increasing sequence numbers.
//
// Tests inject interactions (slash commands, button clicks, modal submits,
// autocomplete) over the gateway with Interact, or post them signed with
// Ed25519 to an HTTP interactions endpoint with Deliver, and wait for the
// bot's answers on the returned Exchange. Every call is recorded; the next N
// calls of a route can be answered with 429 and a retry_after body.
//
// It enforces Discord's rate limits (Options.Limits): 50 requests a second
// per bot in all and 5 messages per 5 seconds per channel, answering a
// request over one 429 with Discord's body (retry_after in seconds, the
// global flag) and headers (Retry-After, X-RateLimit-*, X-RateLimit-Scope),
// and counts those answers (RateLimited).
package fakediscord
