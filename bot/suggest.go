package bot

// Suggester is implemented by vocabularies that complete codes from typed
// text, for a chat's autocomplete.
type Suggester interface {
	// Suggest returns up to limit codes of the field ("cpv" or "nuts")
	// whose code starts with text or whose label contains it, labelled in
	// the language.
	Suggest(field, text, language string, limit int) []CodeName
}

// Suggest completes a code from typed text for a chat's autocomplete: field
// is "cpv" or "nuts". Without a vocabulary that can suggest it returns
// nothing, and the person types codes in full.
func (b *Bot) Suggest(field, text string, limit int) []CodeName {
	s, ok := b.vocab.(Suggester)
	if !ok || limit <= 0 {
		return nil
	}
	return s.Suggest(field, text, "", limit)
}
