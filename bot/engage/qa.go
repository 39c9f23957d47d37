package engage

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

// MaxQuestionLength is the longest question taken, in characters.
const MaxQuestionLength = 2000

// askQuestion answers "event ask <id> <question>": the question is
// numbered and goes to the organiser without the asker's name.
func (svc *Service) askQuestion(ctx context.Context, c bot.Command, id int64, text string) (bot.Message, error) {
	if text == "" {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "What is your question? Write `event ask %d <your question>`.", id)
	}
	if c.From.User == "" {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Only a person can ask a question.")
	}
	if n := utf8.RuneCountInString(text); n > MaxQuestionLength {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Your question is %d characters long; please keep it under %d.", n, MaxQuestionLength)
	}
	// The organisers hear of the question in their language, read before
	// the change.
	before, err := svc.store.EventState(ctx, id)
	if err != nil {
		return bot.Message{}, err
	}
	to := svc.readersOf(ctx, svc.organizers(before.Event))
	now := svc.clock.Now()
	var q bot.Question
	var title string
	_, err = svc.store.ChangeEvent(ctx, id, func(st bot.EventState) (bot.EventChange, error) {
		e := st.Event
		switch {
		case !e.Public():
			return bot.EventChange{}, bot.Errorf(bot.ENOTFOUND, "There is no event %d; `events` lists them.", id)
		case e.Status == bot.EventCancelled:
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "%q is cancelled.", e.Title)
		case eventOver(e, now):
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "%q is over; questions are closed.", e.Title)
		}
		title = e.Title
		q = bot.Question{EventID: id, Number: len(st.Questions) + 1, Text: text, Asker: c.From, AskedAt: now}
		// No audit entry yet: one written now would sit next to the asker's
		// RSVP in the chain and name them by its place. The question is
		// sealed when it is answered (answerQuestion), next to the answer.
		var out []bot.Delivery
		for _, org := range svc.organizers(e) {
			p := to.printer(org)
			msg := bot.Message{Text: p.Sprintf("Q%d for %q (event %d), asked anonymously:\n%s\nAnswer with `event answer %d %d <answer>`: the answer goes to every registrant and on the public page.",
				q.Number, e.Title, id, q.Text, id, q.Number), Language: p.Language()}
			out = append(out, bot.Delivery{Key: fmt.Sprintf("question:%d:%d:%s", id, q.Number, org.Key()), To: org, Purpose: bot.PurposeEvent, Message: msg, DueAt: now, CreatedAt: now})
		}
		return bot.EventChange{Questions: []bot.Question{q}, Deliveries: out}, nil
	})
	if err != nil {
		return bot.Message{}, err
	}
	svc.outbox.Wake()
	p := c.Printer()
	return bot.Message{Text: p.Sprintf("Your question is Q%d for %q. It reaches the organisers without your name; the answer is sent to every registrant, you included, and published on the event page.", q.Number, title), Language: p.Language()}, nil
}

// answerQuestion answers "event answer <id> <n> <text>": the answer is
// published once, with the question and without the asker, to every
// registrant and on the public page. It cannot be sent to the asker alone.
func (svc *Service) answerQuestion(ctx context.Context, c bot.Command, id int64, args string) (bot.Message, error) {
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("answer questions")); err != nil {
		return bot.Message{}, err
	}
	word, text, _ := strings.Cut(args, " ")
	n, err := strconv.Atoi(strings.TrimLeft(strings.ToUpper(word), "QV")) // Q1, or V1 as Dutch writes it
	text = strings.TrimSpace(text)
	if err != nil || n <= 0 || text == "" {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Write `event answer %d <question number> <answer>`, e.g. `event answer %d 1 Yes, consortia may respond.`", id, id)
	}
	text = bot.Truncate(text, 4000)
	now := svc.clock.Now()
	var sent int
	_, err = svc.changeWithActors(ctx, id, []bot.Subscriber{c.From}, func(st bot.EventState, actors map[bot.Subscriber]string, to readers) (bot.EventChange, error) {
		i := slices.IndexFunc(st.Questions, func(q bot.Question) bool { return q.Number == n })
		if i < 0 {
			return bot.EventChange{}, bot.Errorf(bot.ENOTFOUND, "Event %d has no Q%d; it has %d question(s).", id, n, len(st.Questions))
		}
		q := st.Questions[i]
		if q.Answered() {
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "Q%d is answered already: answers are published once, to everyone. Add a correction as a material with `event material %d <url> <title>`.", n, id)
		}
		q.Answer, q.AnsweredAt = text, now
		trail := newAuditTrail(st, now)
		// The question enters the chain here, at the staff's answer, so its
		// place in the chain says nothing about who asked it; the asker
		// stays anonymous in the log too, for a pseudonym would tie the
		// question to their RSVPs.
		if err := trail.add("question", anonymousActor, map[string]any{"number": q.Number, "question": q.Text}); err != nil {
			return bot.EventChange{}, err
		}
		if err := trail.add("answer", actors[c.From], map[string]any{"number": n, "question": q.Text, "answer": q.Answer}); err != nil {
			return bot.EventChange{}, err
		}
		recipients := registrants(st)
		if q.Asker != (bot.Subscriber{}) && !slices.Contains(recipients, q.Asker) {
			recipients = append(recipients, q.Asker)
		}
		out := make([]bot.Delivery, len(recipients))
		for j, who := range recipients {
			p := to.printer(who)
			msg := bot.Message{Text: p.Sprintf("Q&A for %q — Q%d answered, for every registrant:\nQ%d: %s\nA: %s", st.Event.Title, n, n, q.Text, q.Answer), Language: p.Language()}
			if u := svc.eventURL(id); u != "" {
				msg.Text += "\n" + p.Sprintf("All questions and answers: %s", u)
			}
			out[j] = bot.Delivery{Key: fmt.Sprintf("answer:%d:%d:%s", id, n, who.Key()), To: who, Purpose: bot.PurposeEvent, Message: msg, DueAt: now, CreatedAt: now}
		}
		sent = len(out)
		return bot.EventChange{Questions: []bot.Question{q}, Audit: trail.entries, Deliveries: out}, nil
	})
	if err != nil {
		return bot.Message{}, err
	}
	svc.outbox.Wake()
	p := c.Printer()
	return bot.Message{Text: p.Sprintf("Q%d answered: it goes to %d registrant(s) and is on the public page and in the Atom feed.", n, sent), Language: p.Language()}, nil
}

// addMaterial answers "event material <id> <url> [title]": slides,
// minutes or a recording go to every registrant, no-shows included, and
// on the page.
func (svc *Service) addMaterial(ctx context.Context, c bot.Command, id int64, args string) (bot.Message, error) {
	p := c.Printer()
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("share materials")); err != nil {
		return bot.Message{}, err
	}
	link, title, _ := strings.Cut(args, " ")
	if err := checkLink(link); err != nil {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Write `event material %d <link> <title>`: %s", id, bot.ErrorText(p, err))
	}
	title = strings.TrimSpace(title)
	if title == "" {
		title = link
	}
	now := svc.clock.Now()
	var sent int
	_, err := svc.changeWithActors(ctx, id, []bot.Subscriber{c.From}, func(st bot.EventState, actors map[bot.Subscriber]string, to readers) (bot.EventChange, error) {
		if !st.Event.Public() {
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "Event %d is a draft; publish it first, so everybody gets the materials at once.", id)
		}
		m := bot.Material{EventID: id, Number: len(st.Materials) + 1, Title: bot.Truncate(title, 200), URL: link, AddedAt: now}
		trail := newAuditTrail(st, now)
		if err := trail.add("material", actors[c.From], map[string]any{"number": m.Number, "title": m.Title, "url": m.URL}); err != nil {
			return bot.EventChange{}, err
		}
		var out []bot.Delivery
		for _, who := range registrants(st) {
			p := to.printer(who)
			msg := bot.Message{Text: p.Sprintf("New material for %q, for every registrant: %s\n%s", st.Event.Title, m.Title, m.URL), Language: p.Language()}
			out = append(out, bot.Delivery{Key: fmt.Sprintf("material:%d:%d:%s", id, m.Number, who.Key()), To: who, Purpose: bot.PurposeEvent, Message: msg, DueAt: now, CreatedAt: now})
		}
		sent = len(out)
		return bot.EventChange{Materials: []bot.Material{m}, Audit: trail.entries, Deliveries: out}, nil
	})
	if err != nil {
		return bot.Message{}, err
	}
	svc.outbox.Wake()
	return bot.Message{Text: p.Sprintf("Material shared with %d registrant(s) and on the public page.", sent), Language: p.Language()}, nil
}

// flagInvolvement answers "event involve <id> <user> <note>": staff record
// that a registered supplier gave substantive input (Art. 41 of Directive
// 2014/24/EU); the export lists them beside what was shared with everybody.
func (svc *Service) flagInvolvement(ctx context.Context, c bot.Command, id int64, args string) (bot.Message, error) {
	p := c.Printer()
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("flag prior involvement")); err != nil {
		return bot.Message{}, err
	}
	word, note, _ := strings.Cut(args, " ")
	who, ok := bot.ParseUserRef(c.From, word)
	note = strings.TrimSpace(note)
	if !ok || note == "" {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Write `event involve %d <user> <what input they gave>`.", id)
	}
	now := svc.clock.Now()
	_, err := svc.changeWithActors(ctx, id, []bot.Subscriber{c.From, who}, func(st bot.EventState, actors map[bot.Subscriber]string, _ readers) (bot.EventChange, error) {
		i := slices.IndexFunc(st.Registrations, func(r bot.Registration) bool { return r.Who == who })
		if i < 0 {
			return bot.EventChange{}, bot.Errorf(bot.ENOTFOUND, "%s has not registered for event %d; only registrants can be flagged.", who.User, id)
		}
		reg := st.Registrations[i]
		reg.PriorInvolvement = bot.Truncate(note, 1000)
		trail := newAuditTrail(st, now)
		if err := trail.add("prior_involvement", actors[c.From], map[string]any{"supplier": actors[who], "note": reg.PriorInvolvement}); err != nil {
			return bot.EventChange{}, err
		}
		return bot.EventChange{Registrations: []bot.Registration{reg}, Audit: trail.entries}, nil
	})
	if err != nil {
		return bot.Message{}, err
	}
	return bot.Message{Text: p.Sprintf("Flagged %s for prior involvement in event %d. The export lists them with everything shared with all registrants.", who.User, id), Language: p.Language()}, nil
}

// organizers are who hear of an event's questions: the staff member who
// posted it or, once they are gone, the admins.
func (svc *Service) organizers(e bot.Event) []bot.Subscriber {
	if e.Organizer != (bot.Subscriber{}) {
		return []bot.Subscriber{e.Organizer}
	}
	return svc.admins
}

// registrants are everybody registered for the event, whatever they
// answered: answers and materials reach no-shows too. The exception is an
// e-mail registrant who can't go: the only way to say so is the
// unsubscribe link, which asks for no more mail.
func registrants(st bot.EventState) []bot.Subscriber {
	out := make([]bot.Subscriber, 0, len(st.Registrations))
	for _, r := range st.Registrations {
		if r.Who.Platform == email.Platform && r.Status == bot.RSVPNotGoing {
			continue
		}
		out = append(out, r.Who)
	}
	return out
}

// qaBacklog is the event's answered questions and its materials, in p's
// language, for a late registrant and for `event <id>`; "" when there are
// none.
func qaBacklog(p text.Printer, st bot.EventState) string {
	var sb strings.Builder
	for _, q := range st.Questions {
		if q.Answered() {
			if sb.Len() == 0 {
				sb.WriteString(p.Sprintf("Questions and answers so far:"))
			}
			sb.WriteString("\n" + p.Sprintf("Q%d: %s\nA: %s", q.Number, q.Text, q.Answer))
		}
	}
	if len(st.Materials) > 0 {
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(p.Sprintf("Materials:"))
		for _, m := range st.Materials {
			fmt.Fprintf(&sb, "\n%d. %s — %s", m.Number, m.Title, m.URL)
		}
	}
	return sb.String()
}
