// Package engage runs early market engagement events — market
// consultations, supplier days, meet-the-buyer sessions, webinars — as
// Directive 2014/24/EU (Articles 40–41) asks: announced publicly before
// the targeted invitations go out, every question answered once to every
// registrant, and every step appended to a hash-chained audit log that
// staff export for the procurement file.
//
// The core routes the event commands, buttons and form answers to a
// Service through bot.Engagement; the Service reaches the core's store,
// outbox and matcher only through the small interfaces in engage.go. The
// event domain types (bot.Event, bot.Registration, bot.Question) and the
// store they live in (bot.EventStore) stay in the core.
//
// Everything an event says is said in its reader's language (bot/text):
// a reply in the language of whoever typed or pressed, and every message
// to others — announcements, invitations, answers, materials, changes,
// reminders, places from the waitlist — in the language each recipient's
// settings pick, else the workspace's default (Options.Language). Those
// who registered on the public page read the language of that page, which
// their registration keeps. The languages are read before a change, as
// the audit pseudonyms are, since the change runs inside the store's
// transaction.
package engage
