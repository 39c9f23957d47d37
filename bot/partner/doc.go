// Package partner runs the feeds that partners — business desks, chambers,
// agencies — share with the bot: a proposed feed's preview (what it holds,
// how far it would reach), managing one's feeds, their reach in totals,
// the list of every feed the bot reads with how its reads went, reading
// feeds out of turn, and telling a feed's owner when it keeps failing or
// falls silent.
//
// The core routes the feed commands and each poll's outcome to a Service
// through bot.Partners; it keeps which feeds are read and ingests what they
// bring. The Service reaches the core's store and outbox through the small
// Store interface in partner.go.
package partner
