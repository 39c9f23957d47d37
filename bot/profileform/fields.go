package profileform

import (
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Input is how a chat form asks for a field.
type Input string

// The inputs a form field may take. A chat without an input of the kind
// asks for it as text: codes and choices as a list with commas.
const (
	Text     Input = "text"      // one line of text
	LongText Input = "long_text" // several lines of text
	Codes    Input = "codes"     // classification codes, completed from Vocabulary
	PickOne  Input = "pick_one"  // one of Choices
	PickAny  Input = "pick_any"  // any of Choices, none meaning all
)

// Choice is one choice of a form field: its value and what a person
// reads.
type Choice struct {
	Value string
	Label string
}

// Field is one field of the profile form as a chat form (a Slack modal, a
// Discord modal) shows it, its words as message ids to say with
// Printer.Text. Key is what Parse reads its value by and what
// bot.Error.Field names.
type Field struct {
	Key         string
	Label       string // at most 45 characters
	Hint        string // help for chats that show it beside the input
	Placeholder string // an example, at most 100 characters; for codes and choices, as typed in a text input
	Input       Input
	Vocabulary  string   // for Codes: "cpv" or "nuts", the field Suggest completes
	Choices     []Choice // for PickOne and PickAny
	Default     string   // the value chosen until the person chooses; "" for none
	Required    bool
	MaxLength   int // the longest value taken, in characters
}

// Fields are the profile form's fields, in order. Chats that
// cannot show a field (a form limited to text inputs and a choice) leave
// it to its default.
func Fields() []Field {
	return []Field{
		{Key: bot.FieldName, Label: text.N("Name"), Input: Text, MaxLength: bot.MaxProfileNameLength,
			Hint:        text.N("Shown in your list of profiles. Leave it empty to name the profile after its search."),
			Placeholder: text.N("e.g. Sports halls in Twente")},
		{Key: bot.FieldWords, Label: text.N("What you sell, in plain words"), Input: LongText, MaxLength: 1000,
			Hint:        text.N(`Words to find in a notice's title, description or buyer. "Quotes" for a phrase, -word to leave a word out, OR for either.`),
			Placeholder: text.N(`e.g. renovatie sporthal, "openbare verlichting", -asbest`)},
		{Key: bot.FieldCPV, Label: text.N("CPV codes"), Input: Codes, Vocabulary: "cpv", MaxLength: 400,
			Hint:        text.N("Type a code or a word. A code covers everything under it: 45 is all construction work."),
			Placeholder: text.N("e.g. 45, 45210000")},
		{Key: bot.FieldRegions, Label: text.N("Regions (NUTS codes)"), Input: Codes, Vocabulary: "nuts", MaxLength: 200,
			Hint:        text.N("Type a NUTS code or a region's name. NL21 covers Overijssel and its parts; NL, the whole country."),
			Placeholder: text.N("e.g. NL21, NL213")},
		{Key: bot.FieldValue, Label: text.N("Contract value"), Input: Text, MaxLength: 50,
			Hint:        text.N("Amounts such as 50000, 50k or 2m, in the notice's currency. Notices that state no value always pass."),
			Placeholder: text.N("e.g. 50k..2m, 50k.. (at least) or ..2m (at most)")},
		{Key: bot.FieldKinds, Label: text.N("Kinds of notice"), Input: PickAny, MaxLength: 100,
			Hint:        text.N("None for every kind."),
			Placeholder: text.N("early, tender (empty: every kind)"),
			Choices: []Choice{
				{string(bot.KindEarly), text.N("Early engagement: market consultations, prior information")},
				{string(bot.KindTender), text.N("Tenders: calls for competition with a deadline")},
			}},
		{Key: bot.FieldDelivery, Label: text.N("Delivery"), Input: PickOne, Required: true, Default: string(bot.DeliverInstant),
			Hint: text.N("Instant alerts, or the matches of a day or a week in one message. /tender digest changes it later."),
			Choices: []Choice{
				{string(bot.DeliverInstant), text.N("Instant: one message per matching notice")},
				{string(bot.DeliverDaily), text.N("Daily: one digest a day")},
				{string(bot.DeliverWeekly), text.N("Weekly: one digest a week")},
			}},
	}
}
