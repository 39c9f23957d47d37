package engage

import (
	"context"
	"maps"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// readers are the languages of the people a change writes to. They are
// read before the change begins, as the audit pseudonyms are, for the
// change runs inside the store's transaction; whoever turned up in
// between reads the workspace's default.
type readers struct {
	langs    map[bot.Subscriber]text.Language
	fallback text.Language
}

// printer is the Printer of the language who reads.
func (r readers) printer(who bot.Subscriber) text.Printer {
	if l, ok := r.langs[who]; ok {
		return text.For(l)
	}
	return text.For(r.fallback)
}

// withRegistrations returns r with each person who registered on the
// public page reading the language of that page.
func (r readers) withRegistrations(regs ...bot.Registration) readers {
	langs := maps.Clone(r.langs)
	if langs == nil {
		langs = map[bot.Subscriber]text.Language{}
	}
	for _, reg := range regs {
		if reg.Language != "" {
			langs[reg.Who] = reg.Language
		}
	}
	return readers{langs: langs, fallback: r.fallback}
}

// readersOf reads the language of each of who: what they chose, else
// what their chat reports, else the workspace's default. Settings that
// cannot be read leave everybody on the default: a message in the wrong
// language is better than none.
func (svc *Service) readersOf(ctx context.Context, who []bot.Subscriber) readers {
	r := readers{langs: map[bot.Subscriber]text.Language{}, fallback: svc.language}
	if len(who) == 0 {
		return r
	}
	settings, err := svc.store.SettingsOf(ctx, who)
	if err != nil {
		svc.log.Warn("settings unread; writing in the default language", "err", err)
		return r
	}
	for _, s := range who {
		st := settings[s]
		r.langs[s] = text.Pick(string(st.Language), st.Locale, string(svc.language))
	}
	return r
}

// printerOf is the Printer of the language who reads, for a reply that
// comes from no command: a button, a form.
func (svc *Service) printerOf(ctx context.Context, who bot.Subscriber) text.Printer {
	return svc.readersOf(ctx, []bot.Subscriber{who}).printer(who)
}

// kindLabels are the kinds of event in words.
var kindLabels = map[bot.EventKind]string{
	bot.EventConsultation: text.N("Market consultation"),
	bot.EventSupplierDay:  text.N("Supplier day"),
	bot.EventMeetBuyer:    text.N("Meet the buyer"),
	bot.EventWebinar:      text.N("Webinar"),
}

// kindLabel is the kind of event in p's language: "Market consultation",
// "Marktconsultatie".
func kindLabel(p text.Printer, k bot.EventKind) string {
	if l, ok := kindLabels[k]; ok {
		return p.Text(l)
	}
	return k.Label()
}
