// Package mail sends the bot's messages by e-mail over SMTP, to the people
// who registered for an event on its public page instead of in chat. It
// implements bot.Messenger for email.Platform; the outbox calls it as
// it calls the chats, with the same idempotency keys and retries.
package mail
