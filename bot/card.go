package bot

// card presents a notice with the labels of its codes, as of now, and the
// buttons that fit: profileID is the profile that matched, 0 for none.
func (b *Bot) card(n Notice, profileID int64, profile string, reasons []string) Card {
	c := Card{Notice: n, Profile: profile, Reasons: reasons, Ref: NoticeRef(n.ID), Actions: cardActions(n.ID, profileID)}
	for _, code := range n.CPV {
		c.CPV = append(c.CPV, CodeName{Code: code, Label: b.label(code, n.Language, Vocabulary.CPVLabel)})
	}
	for _, code := range n.NUTS {
		c.Regions = append(c.Regions, CodeName{Code: code, Label: b.label(code, n.Language, Vocabulary.NUTSLabel)})
	}
	if !n.Deadline.IsZero() {
		c.DaysLeft = daysLeft(b.clock.Now(), n.Deadline)
	}
	return c
}

func (b *Bot) label(code, language string, lookup func(Vocabulary, string, string) string) string {
	if b.vocab == nil {
		return ""
	}
	return lookup(b.vocab, code, language)
}
