// Package discord is tenderbot's Discord adapter, on
// github.com/bwmarrin/discordgo. It translates both ways between Discord
// and the core, and decides nothing itself.
//
// Inbound, the /tender slash command and its subcommands become the core's
// command lines ("/tender subscribe query:cpv:45" is "subscribe cpv:45"),
// a subscribe without a query opens a modal form that is previewed and then
// saved, "/tender event do:new" opens the event form (the fields a modal has
// room for; the rest come with "event update"), an event's Ask a question
// button opens a modal for the question, the buttons on alerts become core
// actions, and the cpv and region options autocomplete from the core's
// vocabulary. Every interaction is acknowledged at once — with a modal, or
// deferred and ephemeral — and answered by editing that response when the
// core has replied, so the 3-second limit holds however slow the work.
//
// Interactions arrive over the gateway websocket by default. When the
// application's public key is configured they arrive instead as signed HTTP
// requests (the "Interactions Endpoint URL" of the application), served by
// InteractionHandler: Ed25519 signatures are verified, and stale timestamps
// and replays refused.
//
// Outbound, Discord is a bot.Messenger: alerts become embeds with the
// card's buttons and a link to the notice, sent to a channel, or to a
// person's DM channel. discordgo's sleeping retries are off: a 429 becomes
// a *bot.RetryAfterError for the outbox to reschedule, and errors that no
// retry can fix (unknown channel, missing access, DMs refused) a
// *bot.PermanentError.
//
// The API's base URL is configurable so the whole adapter runs against a
// local fake (package fakediscord): requests are rewritten by the HTTP
// client's transport, never by changing discordgo's package-level endpoints.
package discord
