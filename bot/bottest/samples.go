package bottest

import (
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Sample is a message of one of the kinds the bot sends, under a name fit
// for a golden file.
type Sample struct {
	Name    string
	Message bot.Message
}

// SampleLocation is the time zone adapters render the samples in, fixed so
// that golden files do not depend on the machine's zone database.
var SampleLocation = time.FixedZone("CET", 60*60)

// SampleMessages are one message of each kind the bot sends, worded as the
// core words them: an instant alert from a partner's feed, a digest, an
// update to a followed tender, an event invitation with its RSVP buttons,
// and the notice that the hourly cap was reached. Every adapter renders
// the same set into its golden files, so a change of wording or of a card's
// facts shows in each adapter's diff.
func SampleMessages() []Sample {
	sporthal := sampleCard("twente-2026-0412", 7)
	sporthal.Via = "Twente Business Desk"

	early := sampleCard("almelo-2027-0031", 7)
	early.Notice.Title = "Marktconsultatie zonnepanelen op gemeentelijke daken"
	early.Notice.Kind = bot.KindEarly
	early.Notice.Description = "De gemeente wil zonnepanelen op twaalf daken en vraagt de markt vooraf om ideeën."
	early.Notice.URL = "https://www.almelo.nl/marktconsultatie/zonnepanelen"
	early.Notice.Value, early.Notice.Deadline, early.DaysLeft = nil, time.Time{}, 0
	early.CPV = []bot.CodeName{{Code: "09331200", Label: "Solar photovoltaic modules"}}
	early.Regions = []bot.CodeName{{Code: "NL213"}}
	early.Reasons = []string{"keyword 'zonnepanelen' in title"}
	early.Profile = "Zon"

	closing := sampleCard("hengelo-2026-0977", 7)
	closing.Notice.Title = "Onderhoud sportvelden"
	closing.Notice.Buyer = "Gemeente Hengelo"
	closing.Notice.URL = "javascript:alert(1)" // not a web link: shown nowhere
	closing.Notice.Value = &bot.Money{Amount: 1250000.5, Currency: "EUR"}
	closing.Notice.Deadline = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	closing.DaysLeft = 0

	followed := sampleCard("twente-2026-0412", 0)
	followed.Notice.Deadline = time.Date(2027, 1, 29, 11, 0, 0, 0, time.UTC)
	followed.DaysLeft, followed.Profile, followed.Reasons, followed.Actions = 63, "", nil, nil

	event := int64(3)
	return []Sample{
		{"alert", bot.Message{
			Text:  `New tender for your profile "Bouw":`,
			Cards: []bot.Card{sporthal},
		}},
		{"digest", bot.Message{
			Text: "Today's digest: 2 notice(s) matched your profiles — early engagement first, then tenders by closing date.\n" +
				"1 of them arrived after you reached your hourly alert limit.",
			Cards: []bot.Card{early, closing},
		}},
		{"followup", bot.Message{
			Text:    `Update on "Renovatie sporthal De Sluis": the deadline moved from Fri 15 Jan 2027 12:00 to Fri 29 Jan 2027 12:00.`,
			Cards:   []bot.Card{followed},
			ReplyTo: "msg-1",
		}},
		{"invite", bot.Message{
			Text: "You're invited: Marktconsultatie zonnepanelen (market consultation)\n" +
				"Tue 9 Feb 2027, 14:00–16:00 (UTC+01:00) · Stadhuis Almelo\n" +
				"Matched because cpv 09331200 under 09331200 (your profile \"Zon\").\n" +
				"Press Going, Maybe or Can't go, or write `event rsvp 3 going`. Ask a question with `event ask 3 <question>`: it reaches the organisers without your name, and the answer goes to everyone.\n" +
				"https://tenderbot.example.org/events/3 · calendar: https://tenderbot.example.org/events/3.ics",
			Actions: []bot.Action{
				{Kind: bot.ActionGoing, EventID: event},
				{Kind: bot.ActionMaybe, EventID: event},
				{Kind: bot.ActionCantGo, EventID: event},
				{Kind: bot.ActionAsk, EventID: event},
			},
		}},
		{"cap", bot.Message{
			Text: "You have had 10 alerts in the last hour, the most I send in one. The rest of this hour's matches go into your next daily digest (at 08:00); nothing is lost.",
		}},
	}
}

// sampleCard is a tender card as an instant alert shows it to profile
// (0 for none: no buttons but the link).
func sampleCard(id string, profile int64) bot.Card {
	ref := bot.NoticeRef(id)
	c := bot.Card{
		Notice: bot.Notice{
			ID: id, Title: "Renovatie sporthal De Sluis", Buyer: "Gemeente Almelo", Kind: bot.KindTender,
			Description: "Renovatie van sporthal De Sluis: dak, gevel & installaties <fase 1>.",
			Value:       &bot.Money{Amount: 450000, Currency: "EUR"},
			Deadline:    time.Date(2027, 1, 15, 11, 0, 0, 0, time.UTC),
			Published:   time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
			URL:         "https://aanbestedingen.example/twente/2026-0412",
			Language:    "nl",
		},
		CPV:      []bot.CodeName{{Code: "45212225", Label: "Bouwen van sporthallen"}, {Code: "45453000"}},
		Regions:  []bot.CodeName{{Code: "NL213", Label: "Twente"}},
		Profile:  "Bouw",
		Reasons:  []string{"cpv 45212225 under 45", "nuts NL213 under NL21"},
		Ref:      ref,
		DaysLeft: 49,
	}
	if profile != 0 {
		c.Actions = []bot.Action{
			{Kind: bot.ActionFollow, ProfileID: profile, NoticeRef: ref},
			{Kind: bot.ActionNotRelevant, ProfileID: profile, NoticeRef: ref},
			{Kind: bot.ActionMuteBuyer, ProfileID: profile, NoticeRef: ref},
		}
	}
	return c
}
