package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// ChangeEvent reads the state of event id, calls change with it and writes
// what change returns, in one IMMEDIATE transaction on the writer
// connection: no other write of any kind runs in between, so what change
// decides from the state (such as whether a place is left) still holds when
// it is written. For id 0 it first inserts an empty draft, and change gets
// EventState{Event: {ID: new id, Status: draft}}; if change fails the draft
// is rolled back with the rest.
//
// change runs while the transaction holds the writer connection: it may read
// through the store, but a write from it waits for itself forever.
//
// The change is written in this order: the event (the whole row; its ID
// must be id), registrations (replaced by event and person), questions
// (replaced by event and number, numbered from 1), materials (inserted,
// numbered from 1), audit entries (appended; each must be for event id,
// follow on from the last entry by Seq and PrevHash, the first on
// audit.Genesis), cancellations of pending deliveries by key prefix, then
// the deliveries (a key that exists is skipped, as Enqueue does). A row for
// another event, or an entry that breaks the chain, fails the whole change.
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
	var alerts []madeAlert
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		if id == 0 {
			const draft = `INSERT INTO events (status) VALUES (?) RETURNING id`
			if err := tx.QueryRowContext(ctx, draft, bot.EventDraft).Scan(&id); err != nil {
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
		w := &eventTx{ctx: ctx, tx: tx, id: id, now: s.now()}
		if err := codec.WriteEventChange(w, state, ch); err != nil {
			return err
		}
		alerts = w.alerts
		stored, err = scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, id))
		if err != nil {
			return fmt.Errorf("read back: %w", err)
		}
		return nil
	})
	if changeErr != nil {
		return bot.Event{}, err // changeErr itself, unless the rollback failed too
	}
	if err != nil {
		return bot.Event{}, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	s.recent.add(alerts)
	return stored, nil
}

// eventTx writes an event change in a transaction on the writer
// (codec.EventWriter), keeping the alerts it enqueues for the store to
// remember once the transaction commits (recent.go).
type eventTx struct {
	ctx    context.Context
	tx     *sql.Tx
	id     int64
	now    time.Time
	alerts []madeAlert
}

var _ codec.EventWriter = (*eventTx)(nil)

// UpdateEvent replaces the row of e.
func (w *eventTx) UpdateEvent(e bot.Event) error {
	docs, err := encodeList(e.Documents)
	if err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	const stmt = `
		UPDATE events SET title = ?, description = ?, kind = ?, start_at = ?, end_at = ?,
			start_utc = ?, place = ?, capacity = ?, register_by = ?, target = ?, related = ?,
			documents = ?, organizer_platform = ?, organizer_workspace = ?,
			organizer_user_id = ?, organizer_channel_id = ?, status = ?, sequence = ?,
			reason = ?, created_at = ?, updated_at = ?, published_at = ?, organiser = ?,
			contact = ?
		WHERE id = ?`
	res, err := w.tx.ExecContext(w.ctx, stmt, e.Title, e.Description, e.Kind, nullZoned(e.Start),
		nullZoned(e.End), nullTime(e.Start), e.Place, e.Capacity, nullZoned(e.RegisterBy),
		e.Target, e.Related, docs, e.Organizer.Platform, e.Organizer.Workspace,
		e.Organizer.User, e.Organizer.Channel, e.Status, e.Sequence, e.Reason,
		nullTime(e.CreatedAt), nullTime(e.UpdatedAt), nullTime(e.PublishedAt), e.OrganiserName,
		e.Contact, e.ID)
	if err == nil {
		err = affectOne(res)
	}
	return err
}

// PutRegistration inserts r, or replaces the person's registration, which
// keeps its place in the order of rowids.
func (w *eventTx) PutRegistration(r bot.Registration) error {
	const stmt = `
		INSERT INTO event_registrations (event_id, platform, workspace, user_id, channel_id, name,
			company, status, invited, prior_involvement, language, registered_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event_id, platform, workspace, user_id, channel_id) DO UPDATE SET
			name = excluded.name, company = excluded.company, status = excluded.status,
			invited = excluded.invited, prior_involvement = excluded.prior_involvement,
			language = excluded.language, registered_at = excluded.registered_at, updated_at = excluded.updated_at`
	_, err := w.tx.ExecContext(w.ctx, stmt, w.id, r.Who.Platform, r.Who.Workspace, r.Who.User, r.Who.Channel,
		r.Name, r.Company, r.Status, r.Invited, r.PriorInvolvement, r.Language,
		nullTime(r.RegisteredAt), nullTime(r.UpdatedAt))
	return err
}

// PutQuestion inserts q, or replaces the question with its number.
func (w *eventTx) PutQuestion(q bot.Question) error {
	const stmt = `
		INSERT INTO event_questions (event_id, number, text, asker_platform, asker_workspace,
			asker_user_id, asker_channel_id, asked_at, answer, answered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event_id, number) DO UPDATE SET
			text = excluded.text, asker_platform = excluded.asker_platform,
			asker_workspace = excluded.asker_workspace, asker_user_id = excluded.asker_user_id,
			asker_channel_id = excluded.asker_channel_id, asked_at = excluded.asked_at,
			answer = excluded.answer, answered_at = excluded.answered_at`
	_, err := w.tx.ExecContext(w.ctx, stmt, w.id, q.Number, q.Text, q.Asker.Platform, q.Asker.Workspace,
		q.Asker.User, q.Asker.Channel, nullTime(q.AskedAt), q.Answer, nullTime(q.AnsweredAt))
	return err
}

// AddMaterial inserts m.
func (w *eventTx) AddMaterial(m bot.Material) error {
	const stmt = `INSERT INTO event_materials (event_id, number, title, url, added_at) VALUES (?, ?, ?, ?, ?)`
	_, err := w.tx.ExecContext(w.ctx, stmt, w.id, m.Number, m.Title, m.URL, nullTime(m.AddedAt))
	return err
}

// AppendAudit appends e to the chain exactly as it is: the hashes were
// computed over these bytes.
func (w *eventTx) AppendAudit(e audit.Entry) error {
	const stmt = `
		INSERT INTO audit_log (event_id, seq, time, action, actor, data, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	_, err := w.tx.ExecContext(w.ctx, stmt, w.id, e.Seq, e.Time, e.Action, e.Actor, codec.AuditData(e), e.PrevHash, e.Hash)
	return err
}

// CancelPending cancels the pending deliveries under prefix.
func (w *eventTx) CancelPending(prefix string) error {
	return cancelPending(w.ctx, w.tx, prefix)
}

// Enqueue enqueues ds, skipping those whose key exists.
func (w *eventTx) Enqueue(ds []bot.Delivery) error {
	alerts, err := enqueueAll(w.ctx, w.tx, ds, w.now)
	w.alerts = alerts
	return err
}

// EventState returns event id and everything that hangs on it, read in
// one snapshot; ENOTFOUND when there is none.
func (s *Store) EventState(ctx context.Context, id int64) (bot.EventState, error) {
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return bot.EventState{}, fmt.Errorf("sqlite: event %d: %w", id, err)
	}
	defer tx.Rollback() // read only: nothing to commit
	state, err := loadEventState(ctx, tx, id)
	if err != nil {
		return bot.EventState{}, fmt.Errorf("sqlite: event %d: %w", id, err)
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
	st.Event, err = scanEvent(q.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, id))
	if err != nil {
		return bot.EventState{}, translate(err, text.N("there is no event %d"), id)
	}
	if st.Registrations, err = queryRegistrations(ctx, q, `event_id = ?`, id); err != nil {
		return bot.EventState{}, fmt.Errorf("registrations: %w", err)
	}
	if st.Questions, err = queryQuestions(ctx, q, `event_id = ?`, id); err != nil {
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
	args := make([]any, len(statuses))
	for i, st := range statuses {
		args[i] = string(st)
	}
	q := `SELECT ` + eventColumns + ` FROM events
		WHERE status IN (` + strings.Repeat("?, ", len(statuses)-1) + `?)
		ORDER BY start_utc, id`
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	defer rows.Close()
	var events []bot.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	return events, nil
}

// eventColumns are the columns scanEvent reads, in its order.
const eventColumns = `id, title, description, kind, start_at, end_at, place, capacity,
	register_by, target, related, documents, organizer_platform, organizer_workspace,
	organizer_user_id, organizer_channel_id, status, sequence, reason, created_at,
	updated_at, published_at, organiser, contact`

// scanEvent reads one row of eventColumns.
func scanEvent(row scanner) (bot.Event, error) {
	var (
		e                            bot.Event
		start, end, registerBy, docs sql.NullString
		created, updated, published  sql.NullString
	)
	err := row.Scan(&e.ID, &e.Title, &e.Description, &e.Kind, &start, &end, &e.Place, &e.Capacity,
		&registerBy, &e.Target, &e.Related, &docs, &e.Organizer.Platform, &e.Organizer.Workspace,
		&e.Organizer.User, &e.Organizer.Channel, &e.Status, &e.Sequence, &e.Reason, &created,
		&updated, &published, &e.OrganiserName, &e.Contact)
	if err != nil {
		return bot.Event{}, err
	}
	fields := []struct {
		name  string
		to    *time.Time
		from  sql.NullString
		parse func(sql.NullString) (time.Time, error)
	}{
		{"start", &e.Start, start, parseNullZoned},
		{"end", &e.End, end, parseNullZoned},
		{"register by", &e.RegisterBy, registerBy, parseNullZoned},
		{"created", &e.CreatedAt, created, parseNullTime},
		{"updated", &e.UpdatedAt, updated, parseNullTime},
		{"published", &e.PublishedAt, published, parseNullTime},
	}
	for _, f := range fields {
		if *f.to, err = f.parse(f.from); err != nil {
			return bot.Event{}, fmt.Errorf("event %d: %s: %w", e.ID, f.name, err)
		}
	}
	if e.Documents, err = decodeList(docs); err != nil {
		return bot.Event{}, fmt.Errorf("event %d: documents: %w", e.ID, err)
	}
	return e, nil
}

// queryRegistrations returns the registrations that match where, by event,
// then in registration order.
func queryRegistrations(ctx context.Context, q querier, where string, args ...any) ([]bot.Registration, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT event_id, platform, workspace, user_id, channel_id, name, company, status, invited,
			prior_involvement, language, registered_at, updated_at
		FROM event_registrations
		WHERE `+where+`
		ORDER BY event_id, registered_at, rowid`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var regs []bot.Registration
	for rows.Next() {
		var (
			r                   bot.Registration
			registered, updated sql.NullString
		)
		if err := rows.Scan(&r.EventID, &r.Who.Platform, &r.Who.Workspace, &r.Who.User, &r.Who.Channel,
			&r.Name, &r.Company, &r.Status, &r.Invited, &r.PriorInvolvement, &r.Language, &registered, &updated); err != nil {
			return nil, err
		}
		if r.RegisteredAt, err = parseNullTime(registered); err != nil {
			return nil, fmt.Errorf("registration of %s: %w", r.Who.Key(), err)
		}
		if r.UpdatedAt, err = parseNullTime(updated); err != nil {
			return nil, fmt.Errorf("registration of %s: %w", r.Who.Key(), err)
		}
		regs = append(regs, r)
	}
	return regs, rows.Err()
}

// queryQuestions returns the questions that match where, by event and
// number.
func queryQuestions(ctx context.Context, db querier, where string, args ...any) ([]bot.Question, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT event_id, number, text, asker_platform, asker_workspace, asker_user_id,
			asker_channel_id, asked_at, answer, answered_at
		FROM event_questions
		WHERE `+where+`
		ORDER BY event_id, number`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var qs []bot.Question
	for rows.Next() {
		var (
			q               bot.Question
			asked, answered sql.NullString
		)
		if err := rows.Scan(&q.EventID, &q.Number, &q.Text, &q.Asker.Platform, &q.Asker.Workspace,
			&q.Asker.User, &q.Asker.Channel, &asked, &q.Answer, &answered); err != nil {
			return nil, err
		}
		if q.AskedAt, err = parseNullTime(asked); err != nil {
			return nil, fmt.Errorf("question %d: %w", q.Number, err)
		}
		if q.AnsweredAt, err = parseNullTime(answered); err != nil {
			return nil, fmt.Errorf("question %d: %w", q.Number, err)
		}
		qs = append(qs, q)
	}
	return qs, rows.Err()
}

// queryMaterials returns the materials of event id, by number.
func queryMaterials(ctx context.Context, q querier, id int64) ([]bot.Material, error) {
	rows, err := q.QueryContext(ctx, `SELECT event_id, number, title, url, added_at FROM event_materials WHERE event_id = ? ORDER BY number`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []bot.Material
	for rows.Next() {
		var (
			m     bot.Material
			added sql.NullString
		)
		if err := rows.Scan(&m.EventID, &m.Number, &m.Title, &m.URL, &added); err != nil {
			return nil, err
		}
		if m.AddedAt, err = parseNullTime(added); err != nil {
			return nil, fmt.Errorf("material %d: %w", m.Number, err)
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// lastAuditEntry returns the newest entry of event id's chain, zero when
// the chain is empty.
func lastAuditEntry(ctx context.Context, q querier, id int64) (audit.Entry, error) {
	const stmt = `SELECT ` + auditColumns + ` FROM audit_log WHERE event_id = ? ORDER BY seq DESC LIMIT 1`
	e, err := scanAuditEntry(q.QueryRowContext(ctx, stmt, id))
	if errors.Is(err, sql.ErrNoRows) {
		return audit.Entry{}, nil
	}
	return e, err
}
