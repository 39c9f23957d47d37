package slack

import (
	"fmt"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Slack's Block Kit limits.
const (
	messageBlockLimit = 50   // blocks in a message
	viewBlockLimit    = 100  // blocks in a modal or home tab
	sectionTextLimit  = 3000 // characters of a section's text
	fieldTextLimit    = 2000 // characters of a section field
	fallbackLimit     = 300  // characters of the notification text we send
)

// What a card shows.
const (
	descriptionPreview = 240 // characters of the description under the title
	maxCodesShown      = 5   // CPV or NUTS codes listed before "and N more"
)

// openNoticeAction is the action_id of the "Open notice" link button. Slack
// reports clicks on link buttons too; there is nothing to do for them.
const openNoticeAction = "tb_open_notice"

// rendered is a message as Block Kit, with the plain text Slack shows in
// notifications.
type rendered struct {
	blocks   []slackapi.Block
	fallback string
}

// renderOptions say where a message is shown.
type renderOptions struct {
	actions bool // show the cards' buttons
	limit   int  // most blocks allowed
}

// renderMessage renders a message for a chat message: text, then one card
// per notice with its buttons.
func renderMessage(m bot.Message, loc *time.Location, limit int) rendered {
	return render(m, loc, renderOptions{actions: true, limit: limit})
}

// render renders m as Block Kit: its text as sections, then the cards. When
// the cards do not all fit under the block limit, the last ones give way to
// a note saying how many were left out.
func render(m bot.Message, loc *time.Location, o renderOptions) rendered {
	var blocks []slackapi.Block
	text := mrkdwn(m.Text)
	if calls := mentionText(m.Mentions); calls != "" {
		text = calls + " " + text
	}
	for _, chunk := range splitText(text, sectionTextLimit) {
		blocks = append(blocks, slackapi.NewSectionBlock(mrkdwnText(chunk), nil, nil))
	}
	p := m.Printer()
	if o.actions && len(m.Actions) > 0 {
		blocks = append(blocks, slackapi.NewActionBlock("tb_message", buttons(p, m.Actions)...))
	}
	for i, c := range m.Cards {
		cb := cardBlocks(p, c, i, loc, o.actions)
		need := len(cb)
		if i < len(m.Cards)-1 {
			need++ // room for the note, should the next card not fit
		}
		if len(blocks)+need > o.limit {
			note := p.Sprintf("%d more notice(s) not shown here.", len(m.Cards)-i)
			blocks = append(blocks, slackapi.NewContextBlock("", mrkdwnText(note)))
			break
		}
		blocks = append(blocks, cb...)
	}
	return rendered{blocks: blocks, fallback: fallbackText(m)}
}

// cardBlocks presents one notice: a divider, the title linking to the
// notice with a glimpse of the description and the core's facts as
// fields, its notes (why it matched, the profile, via whom) as context, and
// the buttons.
func cardBlocks(p text.Printer, c bot.Card, index int, loc *time.Location, actions bool) []slackapi.Block {
	text := "*" + link(c.Link(), c.Title(p)) + "*"
	if d := truncate(oneLine(c.Description()), descriptionPreview); d != "" {
		text += "\n" + mrkdwn(d)
	}
	var fields []*slackapi.TextBlockObject
	var notes []slackapi.MixedElement
	for _, f := range c.Fields(p, bot.LocalTime(p, loc)) {
		switch {
		case !f.IsNote():
			fields = append(fields, mrkdwnText(truncate("*"+f.Label+"*\n"+mrkdwn(f.Text), fieldTextLimit)))
		case f.Label == "":
			notes = append(notes, mrkdwnText(truncate(mrkdwn(f.Text), sectionTextLimit)))
		default:
			notes = append(notes, mrkdwnText(truncate("*"+f.Label+":* "+mrkdwn(f.Text), sectionTextLimit)))
		}
	}
	blocks := []slackapi.Block{
		slackapi.NewDividerBlock(),
		slackapi.NewSectionBlock(mrkdwnText(truncate(text, sectionTextLimit)), fields, nil),
	}
	if len(notes) > 0 {
		blocks = append(blocks, slackapi.NewContextBlock("", notes...))
	}

	if actions {
		elements := buttons(p, c.Actions)
		if u := c.Link(); isWebURL(u) {
			elements = append(elements, slackapi.NewButtonBlockElement(openNoticeAction, c.Ref, plainText(p.Text(bot.OpenNoticeLabel))).WithURL(u))
		}
		if len(elements) > 0 {
			blocks = append(blocks, slackapi.NewActionBlock(fmt.Sprintf("tb_card_%d", index), elements...))
		}
	}
	return blocks
}

// buttons are the core's actions as buttons; the action id carries the
// action back when one is pressed.
func buttons(p text.Printer, actions []bot.Action) []slackapi.BlockElement {
	var out []slackapi.BlockElement
	for _, a := range actions {
		id := a.String()
		out = append(out, slackapi.NewButtonBlockElement(id, id, plainText(p.Text(a.Kind.Label()))))
	}
	return out
}

// fallbackText is the plain text of a message for notifications and
// clients that show no blocks.
func fallbackText(m bot.Message) string {
	text := strings.TrimSpace(m.Text)
	if text == "" && len(m.Cards) > 0 {
		titles := make([]string, len(m.Cards))
		for i, c := range m.Cards {
			titles[i] = c.Title(m.Printer())
		}
		text = strings.Join(titles, "; ")
	}
	if text == "" {
		text = "tenderbot"
	}
	// Slack reads the notification text as mrkdwn too: a profile name or a
	// feed's title must not call the channel from it. Escaped after the
	// cut, so that no entity is cut in half.
	text = mrkdwn(truncate(oneLine(strings.ReplaceAll(text, "`", "")), fallbackLimit))
	if calls := mentionText(m.Mentions); calls != "" {
		text = calls + " " + text // the notification calls them too
	}
	return text
}
