package engage

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

// The files of an event's record for the procurement file.
const (
	RecordEvent      = "event.json"
	RecordQA         = "qa.json"
	RecordAttendance = "attendance.csv"
	RecordAudit      = "audit.jsonl"
)

// RecordFiles lists the record's files in the order they are written.
var RecordFiles = []string{RecordEvent, RecordQA, RecordAttendance, RecordAudit}

// eventFile is event.json: the event, the counts, the suppliers flagged
// for prior involvement and what was shared with everybody.
type eventFile struct {
	Event            bot.Event          `json:"event"`
	Page             string             `json:"page,omitempty"`
	Registrations    map[bot.RSVP]int   `json:"registrations"`
	Invited          int                `json:"invited_registrants"`
	PriorInvolvement []involvedSupplier `json:"prior_involvement"`
	// SharedWithAll is what every registrant received: the answers and
	// the materials.
	SharedWithAll sharedInformation `json:"shared_with_all"`
	ExportedAt    time.Time         `json:"exported_at"`
	AuditEntries  int               `json:"audit_entries"`
	AuditHead     string            `json:"audit_head_hash"`
}

type involvedSupplier struct {
	Name    string    `json:"name"`
	Company string    `json:"company"`
	Note    string    `json:"note"`
	Date    time.Time `json:"date,omitzero"` // when staff flagged it
}

// erasedSupplier names, in the record, a flagged supplier who has since
// been erased ("forget me"): that the involvement happened stays on file.
const erasedSupplier = "an erased person"

type sharedInformation struct {
	Answers   []bot.Question `json:"answers"`
	Materials []bot.Material `json:"materials"`
}

// EventRecord writes the record of an event for the procurement file:
// event.json, qa.json, attendance.csv and audit.jsonl, by file name. The
// export itself is a staff action and is appended to the audit chain
// first, by actor (a pseudonym, or a word such as "operator").
func (svc *Service) EventRecord(ctx context.Context, id int64, actor string) (map[string][]byte, error) {
	now := svc.clock.Now()
	_, err := svc.store.ChangeEvent(ctx, id, func(st bot.EventState) (bot.EventChange, error) {
		trail := newAuditTrail(st, now)
		// The chain holds the questions once answered; how many were asked
		// by the export is sealed here, so an unanswered one is on record.
		if err := trail.add("export", actor, map[string]any{"files": RecordFiles, "questions": len(st.Questions)}); err != nil {
			return bot.EventChange{}, err
		}
		return bot.EventChange{Audit: trail.entries}, nil
	})
	if err != nil {
		return nil, err
	}
	st, err := svc.store.EventState(ctx, id)
	if err != nil {
		return nil, err
	}
	chain, err := svc.store.AuditLog(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("audit log of event %d: %w", id, err)
	}
	auditLines, err := auditJSONL(chain)
	if err != nil {
		return nil, err
	}
	people := make([]bot.Subscriber, 0, len(st.Registrations))
	for _, r := range st.Registrations {
		people = append(people, r.Who)
	}
	actors, err := svc.store.AuditActors(ctx, people)
	if err != nil {
		return nil, fmt.Errorf("audit actors of event %d: %w", id, err)
	}
	eventJSON, err := jsonFile(RecordEvent, svc.eventSummaryFile(st, chain, actors, now))
	if err != nil {
		return nil, err
	}
	qaJSON, err := jsonFile(RecordQA, anonymousQA(st.Questions))
	if err != nil {
		return nil, err
	}
	attendance, err := attendanceCSV(st)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		RecordEvent:      eventJSON,
		RecordQA:         qaJSON,
		RecordAttendance: attendance,
		RecordAudit:      auditLines,
	}, nil
}

// eventSummaryFile is event.json for the event's state and its audit chain
// as exported at now; actors are the registrants' audit pseudonyms.
func (svc *Service) eventSummaryFile(st bot.EventState, chain []audit.Entry, actors map[bot.Subscriber]string, now time.Time) eventFile {
	ev := eventFile{Event: st.Event, Page: svc.eventURL(st.Event.ID), Registrations: map[bot.RSVP]int{}, ExportedAt: now,
		PriorInvolvement: []involvedSupplier{}, AuditEntries: len(chain)}
	flagged := involvementsInChain(chain)
	if len(chain) > 0 {
		ev.AuditHead = chain[len(chain)-1].Hash // of the log as written, whatever came after
	}
	ev.SharedWithAll.Materials = append([]bot.Material{}, st.Materials...)
	ev.SharedWithAll.Answers = []bot.Question{}
	for _, r := range st.Registrations {
		ev.Registrations[r.Status]++
		if r.Invited {
			ev.Invited++
		}
		if r.PriorInvolvement != "" {
			inv := involvedSupplier{Name: r.Name, Company: r.Company, Note: r.PriorInvolvement}
			if f, ok := flagged[actors[r.Who]]; ok {
				inv.Date = f.Date
			}
			ev.PriorInvolvement = append(ev.PriorInvolvement, inv)
		}
		delete(flagged, actors[r.Who])
	}
	// Whoever the chain flags and is no longer registered was erased: the
	// chain keeps the note under a pseudonym that names nobody now.
	var erased []involvedSupplier
	for _, f := range flagged {
		erased = append(erased, f)
	}
	slices.SortFunc(erased, func(a, b involvedSupplier) int { return a.Date.Compare(b.Date) })
	ev.PriorInvolvement = append(ev.PriorInvolvement, erased...)
	for _, q := range anonymousQA(st.Questions) {
		if q.Answered() {
			ev.SharedWithAll.Answers = append(ev.SharedWithAll.Answers, q)
		}
	}
	return ev
}

// involvementsInChain reads the prior-involvement flags from an event's
// audit chain, the last one for each supplier, by pseudonym, as erased
// suppliers.
func involvementsInChain(chain []audit.Entry) map[string]involvedSupplier {
	flagged := map[string]involvedSupplier{}
	for _, e := range chain {
		if e.Action != "prior_involvement" {
			continue
		}
		var data struct{ Supplier, Note string }
		if err := json.Unmarshal(e.Data, &data); err != nil || data.Supplier == "" {
			continue
		}
		at, _ := time.Parse(time.RFC3339Nano, e.Time)
		flagged[data.Supplier] = involvedSupplier{Name: erasedSupplier, Note: data.Note, Date: at.UTC()}
	}
	return flagged
}

// anonymousQA is the questions without their askers, and with the time
// each was asked kept to the minute: to the nanosecond it lines up with the
// asker's RSVP.
func anonymousQA(questions []bot.Question) []bot.Question {
	qa := make([]bot.Question, len(questions))
	for i, q := range questions {
		q.Asker = bot.Subscriber{}
		q.AskedAt = q.AskedAt.Truncate(time.Minute)
		qa[i] = q
	}
	return qa
}

// auditJSONL is the audit chain as JSON Lines, one entry a line.
func auditJSONL(chain []audit.Entry) ([]byte, error) {
	var buf bytes.Buffer
	for _, e := range chain {
		line, err := e.Line()
		if err != nil {
			return nil, fmt.Errorf("audit line %d: %w", e.Seq, err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// jsonFile is v as an indented JSON file named name, ending in a newline.
func jsonFile(name string, v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return append(data, '\n'), nil
}

// attendanceCSV is the registrations as CSV: name, company, status,
// registered at, whether invited or flagged for prior involvement, and
// the e-mail address of those who registered on the event's page (chat
// registrants are reached in chat; their column stays empty). The address
// comes last, so the columns before it stay where readers of the file
// have them.
func attendanceCSV(st bot.EventState) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"name", "company", "status", "registered_at", "invited", "prior_involvement", "email"})
	for _, r := range st.Registrations {
		addr := ""
		if r.Who.Platform == email.Platform {
			addr = r.Who.User
		}
		w.Write([]string{csvSafe(r.Name), csvSafe(r.Company), string(r.Status), r.RegisteredAt.UTC().Format(time.RFC3339), strconv.FormatBool(r.Invited), csvSafe(r.PriorInvolvement), csvSafe(addr)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("attendance.csv: %w", err)
	}
	return buf.Bytes(), nil
}

// csvSafe keeps a value a spreadsheet would run as a formula from being one.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

// attendees answers "event attendees <id>" with the registrations as CSV,
// for staff only.
func (svc *Service) attendees(ctx context.Context, c bot.Command, id int64, _ string) (bot.Message, error) {
	p := c.Printer()
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("see who registered")); err != nil {
		return bot.Message{}, err
	}
	var st bot.EventState
	_, err := svc.changeWithActors(ctx, id, []bot.Subscriber{c.From}, func(s bot.EventState, actors map[bot.Subscriber]string, _ readers) (bot.EventChange, error) {
		st = s
		trail := newAuditTrail(s, svc.clock.Now())
		if err := trail.add("attendees", actors[c.From], map[string]any{"registrations": len(s.Registrations)}); err != nil {
			return bot.EventChange{}, err
		}
		return bot.EventChange{Audit: trail.entries}, nil
	})
	if err != nil {
		return bot.Message{}, err
	}
	data, err := attendanceCSV(st)
	if err != nil {
		return bot.Message{}, err
	}
	page := eventPage(st, svc.clock.Now())
	return bot.Message{
		Text:       p.Sprintf("%d registration(s) for %q: %d going, %d on the waitlist.", len(st.Registrations), st.Event.Title, page.Going, page.Waitlisted),
		Attachment: &bot.Attachment{Name: fmt.Sprintf("event-%d-attendance.csv", id), ContentType: "text/csv", Data: data},
		Language:   p.Language(),
	}, nil
}

// exportEvent answers "event export <id>" with the record for the
// procurement file as a zip of its four files.
func (svc *Service) exportEvent(ctx context.Context, c bot.Command, id int64, _ string) (bot.Message, error) {
	p := c.Printer()
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("export events")); err != nil {
		return bot.Message{}, err
	}
	actors, err := svc.store.AuditActors(ctx, []bot.Subscriber{c.From})
	if err != nil {
		return bot.Message{}, fmt.Errorf("export: %w", err)
	}
	files, err := svc.EventRecord(ctx, id, actors[c.From])
	if err != nil {
		return bot.Message{}, err
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, name := range RecordFiles {
		w, err := z.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("event-%d/%s", id, name), Method: zip.Deflate, Modified: svc.clock.Now()})
		if err != nil {
			return bot.Message{}, fmt.Errorf("export zip: %w", err)
		}
		if _, err := w.Write(files[name]); err != nil {
			return bot.Message{}, fmt.Errorf("export zip: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return bot.Message{}, fmt.Errorf("export zip: %w", err)
	}
	return bot.Message{
		Text: p.Sprintf("The record of event %d for the procurement file: event.json, qa.json, attendance.csv and audit.jsonl "+
			"(on the server, `tenderbot export-event %d --out DIR` writes the same files, and `tenderbot verify-audit DIR/audit.jsonl` checks the chain).", id, id),
		Attachment: &bot.Attachment{Name: fmt.Sprintf("event-%d-record.zip", id), ContentType: "application/zip", Data: buf.Bytes()},
		Language:   p.Language(),
	}, nil
}
