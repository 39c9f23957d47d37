// Package schedule does the work that falls due at set times rather than
// on a message: the daily and weekly digests, and the retention period.
//
// A Scheduler is constructed in cmd beside the outbox worker and runs once
// a minute; what it enqueues, the worker sends. It reaches the store only
// through the small Store interface in scheduler.go.
package schedule
