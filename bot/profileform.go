package bot

import "strings"

// FieldName is the profile form's name field, as ProfileFormField.Key
// names it.
const FieldName = "name"

// FormInput is how a chat form asks for a field.
type FormInput string

// The inputs a form field may take. A chat without an input of the kind
// asks for it as text: codes and choices as a list with commas.
const (
	FormText     FormInput = "text"      // one line of text
	FormLongText FormInput = "long_text" // several lines of text
	FormCodes    FormInput = "codes"     // classification codes, completed from Vocabulary
	FormPickOne  FormInput = "pick_one"  // one of Choices
	FormPickAny  FormInput = "pick_any"  // any of Choices, none meaning all
)

// FormChoice is one choice of a form field: its value and what a person
// reads.
type FormChoice struct {
	Value string
	Label string
}

// ProfileFormField is one field of the profile form as a chat form (a
// Slack modal, a Discord modal) shows it. Key is what ParseProfileForm
// reads its value by and what Error.Field names.
type ProfileFormField struct {
	Key         string
	Label       string // at most 45 characters
	Hint        string // help for chats that show it beside the input
	Placeholder string // an example, at most 100 characters; for codes and choices, as typed in a text input
	Input       FormInput
	Vocabulary  string       // for FormCodes: "cpv" or "nuts", the field Suggest completes
	Choices     []FormChoice // for FormPickOne and FormPickAny
	Default     string       // the value chosen until the person chooses; "" for none
	Required    bool
	MaxLength   int // the longest value taken, in characters
}

// ProfileFormFields are the profile form's fields, in order. Chats that
// cannot show a field (a form limited to text inputs and a choice) leave
// it to its default.
func ProfileFormFields() []ProfileFormField {
	return []ProfileFormField{
		{Key: FieldName, Label: "Name", Input: FormText, MaxLength: maxProfileNameLength,
			Hint:        "Shown in your list of profiles. Leave it empty to name the profile after its search.",
			Placeholder: "e.g. Sports halls in Twente"},
		{Key: FieldWords, Label: "What you sell, in plain words", Input: FormLongText, MaxLength: 1000,
			Hint:        `Words to find in a notice's title, description or buyer. "Quotes" for a phrase, -word to leave a word out, OR for either.`,
			Placeholder: `e.g. renovatie sporthal, "openbare verlichting", -asbest`},
		{Key: FieldCPV, Label: "CPV codes", Input: FormCodes, Vocabulary: "cpv", MaxLength: 400,
			Hint:        "Type a code or a word. A code covers everything under it: 45 is all construction work.",
			Placeholder: "e.g. 45, 45210000"},
		{Key: FieldRegions, Label: "Regions (NUTS codes)", Input: FormCodes, Vocabulary: "nuts", MaxLength: 200,
			Hint:        "Type a NUTS code or a region's name. NL21 covers Overijssel and its parts; NL, the whole country.",
			Placeholder: "e.g. NL21, NL213"},
		{Key: FieldValue, Label: "Contract value", Input: FormText, MaxLength: 50,
			Hint:        "Amounts such as 50000, 50k or 2m, in the notice's currency. Notices that state no value always pass.",
			Placeholder: "e.g. 50k..2m, 50k.. (at least) or ..2m (at most)"},
		{Key: FieldKinds, Label: "Kinds of notice", Input: FormPickAny, MaxLength: 100,
			Hint:        "None for every kind.",
			Placeholder: "early, tender (empty: every kind)",
			Choices: []FormChoice{
				{string(KindEarly), "Early engagement: market consultations, prior information"},
				{string(KindTender), "Tenders: calls for competition with a deadline"},
			}},
		{Key: FieldDelivery, Label: "Delivery", Input: FormPickOne, Required: true, Default: string(DeliverInstant),
			Hint: "Instant alerts, or the matches of a day or a week in one message. /tender digest changes it later.",
			Choices: []FormChoice{
				{string(DeliverInstant), "Instant: one message per matching notice"},
				{string(DeliverDaily), "Daily: one digest a day"},
				{string(DeliverWeekly), "Weekly: one digest a week"},
			}},
	}
}

// ParseProfileForm reads a filled-in profile form, its values by field
// key: lists (codes, kinds) split at commas, semicolons and line ends; a
// value range "50k..2m" into its bounds, a single amount being a minimum;
// kinds by name or label. Whether the values make sense is for PreviewForm
// and SubscribeForm to say, field by field.
func ParseProfileForm(values map[string]string) ProfileForm {
	f := ProfileForm{
		Name:     strings.TrimSpace(values[FieldName]),
		Words:    strings.TrimSpace(values[FieldWords]),
		CPV:      splitFormList(values[FieldCPV]),
		Regions:  splitFormList(values[FieldRegions]),
		Delivery: DeliveryMode(strings.ToLower(strings.TrimSpace(values[FieldDelivery]))),
	}
	if v := strings.TrimSpace(values[FieldValue]); v != "" {
		lo, hi, found := strings.Cut(v, "..")
		if !found {
			lo = v
		}
		f.ValueMin, f.ValueMax = strings.TrimSpace(lo), strings.TrimSpace(hi)
	}
	for _, word := range splitFormList(values[FieldKinds]) {
		f.Kinds = append(f.Kinds, kindNamed(word))
	}
	return f
}

// kindNamed reads a notice kind from its name or label; an unknown word
// stays as it is, for validate to refuse.
func kindNamed(word string) Kind {
	word = strings.ToLower(strings.TrimSpace(word))
	for _, k := range []Kind{KindEarly, KindTender, KindAward, KindChange} {
		if word == string(k) || word == k.Label() {
			return k
		}
	}
	return Kind(word)
}

// splitFormList splits a list typed or chosen in a form.
func splitFormList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
