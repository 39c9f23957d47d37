package profileform

import "github.com/tenderbot/tenderbot/bot"

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
// Discord modal) shows it. Key is what Parse reads its value by and what
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
		{Key: bot.FieldName, Label: "Name", Input: Text, MaxLength: bot.MaxProfileNameLength,
			Hint:        "Shown in your list of profiles. Leave it empty to name the profile after its search.",
			Placeholder: "e.g. Sports halls in Twente"},
		{Key: bot.FieldWords, Label: "What you sell, in plain words", Input: LongText, MaxLength: 1000,
			Hint:        `Words to find in a notice's title, description or buyer. "Quotes" for a phrase, -word to leave a word out, OR for either.`,
			Placeholder: `e.g. renovatie sporthal, "openbare verlichting", -asbest`},
		{Key: bot.FieldCPV, Label: "CPV codes", Input: Codes, Vocabulary: "cpv", MaxLength: 400,
			Hint:        "Type a code or a word. A code covers everything under it: 45 is all construction work.",
			Placeholder: "e.g. 45, 45210000"},
		{Key: bot.FieldRegions, Label: "Regions (NUTS codes)", Input: Codes, Vocabulary: "nuts", MaxLength: 200,
			Hint:        "Type a NUTS code or a region's name. NL21 covers Overijssel and its parts; NL, the whole country.",
			Placeholder: "e.g. NL21, NL213"},
		{Key: bot.FieldValue, Label: "Contract value", Input: Text, MaxLength: 50,
			Hint:        "Amounts such as 50000, 50k or 2m, in the notice's currency. Notices that state no value always pass.",
			Placeholder: "e.g. 50k..2m, 50k.. (at least) or ..2m (at most)"},
		{Key: bot.FieldKinds, Label: "Kinds of notice", Input: PickAny, MaxLength: 100,
			Hint:        "None for every kind.",
			Placeholder: "early, tender (empty: every kind)",
			Choices: []Choice{
				{string(bot.KindEarly), "Early engagement: market consultations, prior information"},
				{string(bot.KindTender), "Tenders: calls for competition with a deadline"},
			}},
		{Key: bot.FieldDelivery, Label: "Delivery", Input: PickOne, Required: true, Default: string(bot.DeliverInstant),
			Hint: "Instant alerts, or the matches of a day or a week in one message. /tender digest changes it later.",
			Choices: []Choice{
				{string(bot.DeliverInstant), "Instant: one message per matching notice"},
				{string(bot.DeliverDaily), "Daily: one digest a day"},
				{string(bot.DeliverWeekly), "Weekly: one digest a week"},
			}},
	}
}
