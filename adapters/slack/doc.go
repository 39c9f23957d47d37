// Package slack is tenderbot's Slack app, on github.com/slack-go/slack.
//
// It translates both ways between Slack's wire types and the core's: a
// /tender slash command, a direct message to the bot, a button click, a
// modal submission or the opening of the App Home tab becomes a call on the
// core (Handle, HandleAction, PreviewForm, SubscribeForm, CheckEventForm,
// SubmitEventForm, Ask, Home, Suggest), and the core's platform-neutral
// bot.Message comes back as Block Kit. It decides nothing the core decides.
// "/tender subscribe" and "/tender event new" with nothing after them open
// modal forms, and an event's Ask a question button a modal for the
// question.
//
// Requests arrive over Socket Mode (an app-level token; no public URL
// needed) or, with a signing secret, as signed HTTP requests on the bot's
// listener (HTTPHandler). Either way every request is acknowledged within
// Slack's three seconds and the slower work goes on afterwards, in tasks
// that Run owns.
//
// One bot token serves one workspace. Distributed to many (OAuth v2, "Add
// to Slack"), the app has no token of its own: /slack/install links to
// Slack's authorize page with a state that a signed, HttpOnly cookie binds
// to the browser, /slack/oauth/callback checks that state and exchanges
// the code for the workspace's bot token (oauth.v2.access), and every Web
// API call about a workspace is made with that workspace's token.
// app_uninstalled and tokens_revoked forget the workspace, whose pending
// deliveries then fail with the reason.
//
// Slack is also the core's bot.Messenger for the slack platform: Send posts
// an alert to a channel, or to a person's direct message with the bot. Rate
// limits come back as *bot.RetryAfterError for the outbox to reschedule
// (the client never sleeps or retries by itself), and errors that no retry
// can mend (channel_not_found, not_in_channel, account_inactive, …) as
// *bot.PermanentError. It tells the outbox Slack's pace (bot.Paced), threads
// follow-ups under the alert they follow, and labels every delivery with its
// idempotency key in the message metadata, so that after a crash the outbox
// can ask whether a direct message arrived (bot.Reconciler).
package slack
