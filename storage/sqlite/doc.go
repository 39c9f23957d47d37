// Package sqlite is tenderbot's embedded store: it implements bot.Store on a
// single SQLite file through modernc.org/sqlite (pure Go, no cgo).
//
// # Connections
//
// A Store holds two pools on the same file. Every write goes through one
// writer connection whose transactions begin IMMEDIATE, so writers queue in
// Go instead of racing for SQLite's lock and failing with SQLITE_BUSY halfway
// through a transaction. Reads go through a separate pool of read-only
// connections (mode=ro); in WAL mode they never wait for the writer.
//
// # Schema
//
// The schema is a sequence of migrations embedded from migrations/NNNN_name.sql
// and applied in order when the store is opened, each in its own transaction
// and recorded in schema_migrations; opening an up-to-date database applies
// nothing. A database whose schema is newer than this binary is refused.
//
// # Values
//
// Times are stored as UTC text in a fixed-width layout
// (2006-01-02T15:04:05.000000000Z), so comparing and sorting the text compares
// and sorts the times; they come back in UTC, to the nanosecond. A zero time
// that means "not stated" (a notice's deadline, a feed not yet polled, a
// delivery not yet sent) is stored as NULL and comes back zero.
//
// An event's start, end and registration deadline are shown in the zone
// they were given in, so they are stored as given instead: RFC 3339 at their
// offset, with the zone's name appended in brackets as RFC 9557 does
// (2026-03-10T14:00:00+01:00[Europe/Brussels]). They come back at the same
// offset, in the named zone when this machine knows it and it agrees with
// the offset, in a fixed zone at that offset otherwise. The start is also
// stored in UTC, for ordering.
//
// Audit entries are stored exactly as they were sealed, their data byte
// for byte, since their hashes cover that text; triggers refuse to change or
// delete them.
//
// Lists (a notice's CPV and NUTS codes, its lots) are stored as JSON. A list
// with no elements is stored as NULL and comes back nil, whether it was nil
// or empty when saved. A delivery's message is stored as the JSON of
// bot.Message, except that a notice's card is stored once, in cards, and an
// alert or digest item that shows it keeps only its recipient's part beside
// the card's id (card.go).
//
// # Errors
//
// Constraint violations a person can cause are translated to the core's
// error codes (bot.ECONFLICT, bot.ENOTFOUND); anything else is wrapped with
// the operation that failed and reads as bot.EINTERNAL.
package sqlite
