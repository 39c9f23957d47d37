// Package fakeslack is a local Slack for tests: an httptest server that
// speaks the parts of Slack's wire protocol tenderbot uses, so the real
// slack-go client can be pointed at it.
//
// It serves the Web API methods the bot calls (auth.test,
// conversations.open, conversations.history, chat.postMessage,
// chat.postEphemeral, views.open, views.update, views.push, views.publish,
// files.getUploadURLExternal with its upload URL, files.completeUploadExternal,
// apps.connections.open) with form or JSON bodies and the token in a token= field or an Authorization: Bearer
// header; it records every call. apps.connections.open hands out a Socket
// Mode WebSocket URL; the socket sends hello, pings, envelopes the test
// injects (slash commands, button clicks, view submissions, block
// suggestions, events) and waits for their acks, as Slack does. Posts to the
// response_url it hands out are recorded too. It can answer the next calls
// of a method with 429 and Retry-After, or with a Slack error. Views are
// checked against Block Kit's limits as Slack checks them (see CheckView)
// and refused with invalid_arguments.
//
// For Slack's HTTP mode, Sign and the payload builders make the signed
// requests Slack would send to the bot's listener.
//
// For an app distributed to many workspaces it serves OAuth v2: an
// authorize page (AuthorizeURL) that sends the browser back to the app's
// redirect URL with a code and the state, and oauth.v2.access, which
// checks the client id and secret, the code and the redirect URL and hands
// out a bot token for that workspace. Every Web API call records the
// workspace its token works in (Call.Team). Uninstall revokes a
// workspace's tokens; AppUninstalled and TokensRevoked build the events
// Slack then sends.
package fakeslack
