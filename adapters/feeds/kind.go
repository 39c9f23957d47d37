package feeds

import (
	"regexp"

	"github.com/tenderbot/tenderbot/bot"
)

// Kinds from wording. A title says what a notice is ("Gegund: …",
// "Marktconsultatie …"); a description also says what it is not ("na de
// marktconsultatie", "de opdracht wordt gegund aan de inschrijver met…",
// "the contract will be awarded to…"), so descriptions are held to stricter
// phrases.
var (
	earlyRe = regexp.MustCompile(`(?i)marktconsultatie|marktverkenning|market (?:consultation|engagement)|` +
		`pre-market|vooraankondiging|prior information|supplier day|leveranciersdag|meet the buyer|` +
		`early engagement|request for information`)
	titleAwardRe  = regexp.MustCompile(`(?i)\bgunning\b|\bgegund|gunningsbeslissing|contract award|\bawarded\b|award notice`)
	titleChangeRe = regexp.MustCompile(`(?i)rectificatie|corrigendum|\bwijziging\b|\bcorrection\b|modification notice`)
	descAwardRe   = regexp.MustCompile(`(?i)\b(?:is|zijn|werd|werden) gegund\b|gegunde opdracht|gunningsbeslissing|` +
		`voornemen tot gunning|definitieve gunning|contract award notice|\b(?:has|have) been awarded\b|\b(?:was|were) awarded\b`)
	descChangeRe = regexp.MustCompile(`(?i)rectificatie|corrigendum`)
	callRe       = regexp.MustCompile(`(?i)aanbesteding|\btender\b|inschrijving|invitation to tender|` +
		`call for (?:tenders|competition)|contract notice|aankondiging van (?:een )?opdracht|offerteaanvraag|` +
		`request for (?:quotations?|proposals?)|ausschreibung`)
)

// kind classifies a notice from its title, description and whether it
// states a deadline (see ARCHITECTURE.md, "Notice kinds").
func kind(title, description string, hasDeadline bool) bot.Kind {
	switch {
	case titleChangeRe.MatchString(title):
		return bot.KindChange
	case titleAwardRe.MatchString(title):
		return bot.KindAward
	case earlyRe.MatchString(title):
		return bot.KindEarly
	case callRe.MatchString(title):
		return bot.KindTender
	case descChangeRe.MatchString(description):
		return bot.KindChange
	case descAwardRe.MatchString(description):
		return bot.KindAward
	case earlyRe.MatchString(description):
		return bot.KindEarly
	case hasDeadline || callRe.MatchString(description):
		return bot.KindTender
	}
	return bot.KindOther
}
