package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// lockEvents takes the transaction-scoped lock every event change holds:
// one at a time across every process on the database (and its schema), so
// what a change decides from the state (whether a place is left) still
// holds when it is written.
const lockEvents = `SELECT pg_advisory_xact_lock(hashtextextended('tenderbot events ' || current_schema(), 0))`

// ChangeEvent reads the state of event id, calls change with it and writes
// what change returns, in one transaction that holds the events' lock: no
// other event change, by this process or another, runs in between. For id
// 0 it first inserts an empty draft, and change gets EventState{Event:
// {ID: new id, Status: draft}}; if change fails the draft is rolled back
// with the rest. The change is written as the SQLite store writes it (see
// there): the event, registrations, questions, materials, audit entries
// that must follow on from the chain, cancellations, then deliveries.
//
// It returns the event as stored. An error from change is returned as it is
// and nothing is written; ENOTFOUND when there is no event id.
func (s *Store) ChangeEvent(ctx context.Context, id int64, change func(bot.EventState) (bot.EventChange, error)) (bot.Event, error) {
	var (
		stored    bot.Event
		changeErr error
	)
	what := "create event"
	if id != 0 {
		what = fmt.Sprintf("change event %d", id)
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockEvents); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if id == 0 {
			if err := tx.QueryRow(ctx, `INSERT INTO events (status) VALUES ($1) RETURNING id`, bot.EventDraft).Scan(&id); err != nil {
				return fmt.Errorf("insert draft: %w", err)
			}
			what = fmt.Sprintf("create event %d", id)
		}
		state, err := loadEventState(ctx, tx, id)
		if err != nil {
			return err
		}
		ch, err := change(state)
		if err != nil {
			changeErr = err
			return err
		}
		if err := codec.WriteEventChange(eventTx{ctx: ctx, tx: tx, id: id, now: s.now()}, state, ch); err != nil {
			return err
		}
		if stored, err = scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+` FROM events WHERE id = $1`, id)); err != nil {
			return fmt.Errorf("read back: %w", err)
		}
		return nil
	})
	if changeErr != nil {
		return bot.Event{}, err // changeErr itself, unless the rollback failed too
	}
	if err != nil {
		return bot.Event{}, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return stored, nil
}

// eventTx writes an event change in a transaction (codec.EventWriter).
type eventTx struct {
	ctx context.Context
	tx  pgx.Tx
	id  int64
	now time.Time
}

var _ codec.EventWriter = eventTx{}

// UpdateEvent replaces the row of e.
func (w eventTx) UpdateEvent(e bot.Event) error {
	docs, err := codec.EncodeList(e.Documents)
	if err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	const stmt = `
		UPDATE events SET title = $1, description = $2, kind = $3, start_at = $4, end_at = $5,
			start_utc = $6, place = $7, capacity = $8, register_by = $9, target = $10, related = $11,
			documents = $12, organizer_platform = $13, organizer_workspace = $14,
			organizer_user_id = $15, organizer_channel_id = $16, status = $17, sequence = $18,
			reason = $19, created_at = $20, updated_at = $21, published_at = $22, organiser = $23,
			contact = $24
		WHERE id = $25`
	return affectOne(w.tx.Exec(w.ctx, stmt, e.Title, e.Description, e.Kind, codec.NullZoned(e.Start),
		codec.NullZoned(e.End), nullTime(e.Start), e.Place, e.Capacity, codec.NullZoned(e.RegisterBy),
		e.Target, e.Related, docs, e.Organizer.Platform, e.Organizer.Workspace,
		e.Organizer.User, e.Organizer.Channel, e.Status, e.Sequence, e.Reason,
		nullTime(e.CreatedAt), nullTime(e.UpdatedAt), nullTime(e.PublishedAt), e.OrganiserName,
		e.Contact, e.ID))
}

// PutRegistration inserts r, or replaces the person's registration, which
// keeps its seq and so its place in the order.
func (w eventTx) PutRegistration(r bot.Registration) error {
	const stmt = `
		INSERT INTO event_registrations (event_id, platform, workspace, user_id, channel_id, name,
			company, status, invited, prior_involvement, language, registered_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (event_id, platform, workspace, user_id, channel_id) DO UPDATE SET
			name = excluded.name, company = excluded.company, status = excluded.status,
			invited = excluded.invited, prior_involvement = excluded.prior_involvement,
			language = excluded.language, registered_at = excluded.registered_at, updated_at = excluded.updated_at`
	_, err := w.tx.Exec(w.ctx, stmt, w.id, r.Who.Platform, r.Who.Workspace, r.Who.User, r.Who.Channel,
		r.Name, r.Company, r.Status, r.Invited, r.PriorInvolvement, r.Language,
		nullTime(r.RegisteredAt), nullTime(r.UpdatedAt))
	return err
}

// PutQuestion inserts q, or replaces the question with its number.
func (w eventTx) PutQuestion(q bot.Question) error {
	const stmt = `
		INSERT INTO event_questions (event_id, number, text, asker_platform, asker_workspace,
			asker_user_id, asker_channel_id, asked_at, answer, answered_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (event_id, number) DO UPDATE SET
			text = excluded.text, asker_platform = excluded.asker_platform,
			asker_workspace = excluded.asker_workspace, asker_user_id = excluded.asker_user_id,
			asker_channel_id = excluded.asker_channel_id, asked_at = excluded.asked_at,
			answer = excluded.answer, answered_at = excluded.answered_at`
	_, err := w.tx.Exec(w.ctx, stmt, w.id, q.Number, q.Text, q.Asker.Platform, q.Asker.Workspace,
		q.Asker.User, q.Asker.Channel, nullTime(q.AskedAt), q.Answer, nullTime(q.AnsweredAt))
	return err
}

// AddMaterial inserts m.
func (w eventTx) AddMaterial(m bot.Material) error {
	const stmt = `INSERT INTO event_materials (event_id, number, title, url, added_at) VALUES ($1, $2, $3, $4, $5)`
	_, err := w.tx.Exec(w.ctx, stmt, w.id, m.Number, m.Title, m.URL, nullTime(m.AddedAt))
	return err
}

// AppendAudit appends e to the chain exactly as it is: the hashes were
// computed over these bytes.
func (w eventTx) AppendAudit(e audit.Entry) error {
	const stmt = `
		INSERT INTO audit_log (event_id, seq, time, action, actor, data, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	_, err := w.tx.Exec(w.ctx, stmt, w.id, e.Seq, e.Time, e.Action, e.Actor, codec.AuditData(e), e.PrevHash, e.Hash)
	return err
}

// CancelPending cancels the pending deliveries under prefix.
func (w eventTx) CancelPending(prefix string) error {
	return cancelPending(w.ctx, w.tx, prefix)
}

// Enqueue enqueues ds, skipping those whose key exists.
func (w eventTx) Enqueue(ds []bot.Delivery) error {
	return enqueueAll(w.ctx, w.tx, ds, w.now)
}

// EventState returns event id and everything that hangs on it, read in
// one snapshot (a repeatable-read transaction); ENOTFOUND when there is
// none.
func (s *Store) EventState(ctx context.Context, id int64) (bot.EventState, error) {
	var state bot.EventState
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		state, err = loadEventState(ctx, tx, id)
		return err
	})
	if err != nil {
		return bot.EventState{}, fmt.Errorf("postgres: event %d: %w", id, err)
	}
	return state, nil
}

// loadEventState reads event id and what hangs on it through q; ENOTFOUND
// when there is no such event.
func loadEventState(ctx context.Context, q querier, id int64) (bot.EventState, error) {
	var (
		st  bot.EventState
		err error
	)
	st.Event, err = scanEvent(q.QueryRow(ctx, `SELECT `+eventColumns+` FROM events WHERE id = $1`, id))
	if err != nil {
		return bot.EventState{}, translate(err, text.N("there is no event %d"), id)
	}
	if st.Registrations, err = queryRegistrations(ctx, q, `event_id = $1`, id); err != nil {
		return bot.EventState{}, fmt.Errorf("registrations: %w", err)
	}
	if st.Questions, err = queryQuestions(ctx, q, `event_id = $1`, id); err != nil {
		return bot.EventState{}, fmt.Errorf("questions: %w", err)
	}
	if st.Materials, err = queryMaterials(ctx, q, id); err != nil {
		return bot.EventState{}, fmt.Errorf("materials: %w", err)
	}
	if st.Last, err = lastAuditEntry(ctx, q, id); err != nil {
		return bot.EventState{}, fmt.Errorf("audit log: %w", err)
	}
	return st, nil
}

// Events returns the events in the statuses given, by start time (in UTC;
// events with none first), then by id. No statuses returns none: a caller
// that forgot them must not show drafts.
func (s *Store) Events(ctx context.Context, statuses ...bot.EventStatus) ([]bot.Event, error) {
	if len(statuses) == 0 {
		return nil, nil
	}
	names := make([]string, len(statuses))
	for i, st := range statuses {
		names[i] = string(st)
	}
	const q = `SELECT ` + eventColumns + ` FROM events WHERE status = ANY($1) ORDER BY start_utc NULLS FIRST, id`
	rows, err := s.pool.Query(ctx, q, names)
	events, err := collect(rows, err, func(row pgx.Rows) (bot.Event, error) { return scanEvent(row) })
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	return events, nil
}

// eventColumns are the columns scanEvent reads, in its order.
const eventColumns = `id, title, description, kind, start_at, end_at, place, capacity,
	register_by, target, related, documents, organizer_platform, organizer_workspace,
	organizer_user_id, organizer_channel_id, status, sequence, reason, created_at,
	updated_at, published_at, organiser, contact`

// scanEvent reads one row of eventColumns.
func scanEvent(row pgx.Row) (bot.Event, error) {
	var (
		e                           bot.Event
		start, end, registerBy      *string
		docs                        []byte
		created, updated, published *int64
	)
	err := row.Scan(&e.ID, &e.Title, &e.Description, &e.Kind, &start, &end, &e.Place, &e.Capacity,
		&registerBy, &e.Target, &e.Related, &docs, &e.Organizer.Platform, &e.Organizer.Workspace,
		&e.Organizer.User, &e.Organizer.Channel, &e.Status, &e.Sequence, &e.Reason, &created,
		&updated, &published, &e.OrganiserName, &e.Contact)
	if err != nil {
		return bot.Event{}, err
	}
	zoned := []struct {
		name string
		to   *time.Time
		from *string
	}{
		{"start", &e.Start, start},
		{"end", &e.End, end},
		{"register by", &e.RegisterBy, registerBy},
	}
	for _, f := range zoned {
		if *f.to, err = codec.ParseNullZoned(f.from); err != nil {
			return bot.Event{}, fmt.Errorf("event %d: %s: %w", e.ID, f.name, err)
		}
	}
	e.CreatedAt, e.UpdatedAt, e.PublishedAt = fromNullNano(created), fromNullNano(updated), fromNullNano(published)
	if e.Documents, err = codec.DecodeList[string](docs); err != nil {
		return bot.Event{}, fmt.Errorf("event %d: documents: %w", e.ID, err)
	}
	return e, nil
}

// queryRegistrations returns the registrations that match where, by event,
// then in registration order.
func queryRegistrations(ctx context.Context, q querier, where string, args ...any) ([]bot.Registration, error) {
	rows, err := q.Query(ctx, `
		SELECT event_id, platform, workspace, user_id, channel_id, name, company, status, invited,
			prior_involvement, language, registered_at, updated_at
		FROM event_registrations
		WHERE `+where+`
		ORDER BY event_id, registered_at NULLS FIRST, seq`, args...)
	return collect(rows, err, func(row pgx.Rows) (bot.Registration, error) {
		var (
			r                   bot.Registration
			registered, updated *int64
		)
		err := row.Scan(&r.EventID, &r.Who.Platform, &r.Who.Workspace, &r.Who.User, &r.Who.Channel,
			&r.Name, &r.Company, &r.Status, &r.Invited, &r.PriorInvolvement, &r.Language, &registered, &updated)
		r.RegisteredAt, r.UpdatedAt = fromNullNano(registered), fromNullNano(updated)
		return r, err
	})
}

// queryQuestions returns the questions that match where, by event and
// number.
func queryQuestions(ctx context.Context, db querier, where string, args ...any) ([]bot.Question, error) {
	rows, err := db.Query(ctx, `
		SELECT event_id, number, text, asker_platform, asker_workspace, asker_user_id,
			asker_channel_id, asked_at, answer, answered_at
		FROM event_questions
		WHERE `+where+`
		ORDER BY event_id, number`, args...)
	return collect(rows, err, func(row pgx.Rows) (bot.Question, error) {
		var (
			q               bot.Question
			asked, answered *int64
		)
		err := row.Scan(&q.EventID, &q.Number, &q.Text, &q.Asker.Platform, &q.Asker.Workspace,
			&q.Asker.User, &q.Asker.Channel, &asked, &q.Answer, &answered)
		q.AskedAt, q.AnsweredAt = fromNullNano(asked), fromNullNano(answered)
		return q, err
	})
}

// queryMaterials returns the materials of event id, by number.
func queryMaterials(ctx context.Context, q querier, id int64) ([]bot.Material, error) {
	rows, err := q.Query(ctx, `SELECT event_id, number, title, url, added_at FROM event_materials WHERE event_id = $1 ORDER BY number`, id)
	return collect(rows, err, func(row pgx.Rows) (bot.Material, error) {
		var (
			m     bot.Material
			added *int64
		)
		err := row.Scan(&m.EventID, &m.Number, &m.Title, &m.URL, &added)
		m.AddedAt = fromNullNano(added)
		return m, err
	})
}

// lastAuditEntry returns the newest entry of event id's chain, zero when
// the chain is empty.
func lastAuditEntry(ctx context.Context, q querier, id int64) (audit.Entry, error) {
	const stmt = `SELECT ` + auditColumns + ` FROM audit_log WHERE event_id = $1 ORDER BY seq DESC LIMIT 1`
	e, err := scanAuditEntry(q.QueryRow(ctx, stmt, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return audit.Entry{}, nil
	}
	return e, err
}
