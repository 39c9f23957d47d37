// Package postgres is tenderbot's store for deployments that outgrow one
// machine: it implements bot.Store on PostgreSQL (14 or newer) through
// github.com/jackc/pgx/v5 and its pool, pgxpool. Several processes may share
// one database.
//
// # Schema
//
// The schema is a sequence of migrations embedded from migrations/NNNN_name.sql,
// its own, not SQLite's: the two dialects differ. They are applied in order
// when the store is opened, in one transaction that holds an advisory lock
// named after the schema, so replicas starting together migrate once, and
// are recorded in schema_migrations. A database whose schema is newer than
// this program is refused with the version found (SchemaTooNewError); an
// older one is brought forward. Tables live in the connection's current
// schema (search_path), so one database can hold several deployments, or
// the tests' many schemas.
//
// Table and column names are those of storage/sqlite, so a deployment
// copies over table by table (Import, and tenderbot migrate-store), and the
// compact fan-out is the same: a notice's card stored once in cards and
// referenced by every delivery and digest item showing it (the bytes of
// storage/internal/codec), a sent delivery keeping its key, status and
// platform message id but not its message, and partial indexes over the
// pending rows only. A fan-out writes its deliveries with one multi-row
// INSERT from arrays, and its digest items with another.
//
// # Values
//
// Times are BIGINT nanoseconds since the Unix epoch, UTC (timestamptz keeps
// microseconds only); NULL is "not stated". An event's start, end and
// registration deadline are text in their own zone, as in SQLite. Lists are
// JSONB; messages, cards and audit data are TEXT, kept byte for byte. A
// trigger refuses any UPDATE, DELETE or TRUNCATE of audit_log.
//
// # Search
//
// notices.search is a generated tsvector of fold(title) (weight A),
// fold(buyer) (B) and fold(description) (C) in the 'simple' configuration,
// indexed with GIN; queries fold their words the same way, so "cafe" finds
// "café". fold is unaccent when the extension is installed or can be, and a
// translate() of the Latin diacritics otherwise.
//
// # Errors
//
// Constraint violations a person can cause are translated to the core's
// error codes (bot.ECONFLICT, bot.ENOTFOUND); anything else is wrapped with
// the operation that failed and reads as bot.EINTERNAL.
package postgres
