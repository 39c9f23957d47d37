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
package engage
