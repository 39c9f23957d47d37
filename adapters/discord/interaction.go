package discord

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Workspace is the one workspace of every Discord subscriber. A Discord
// user is the same person in every server and in DMs, and the alerts of
// their own profiles reach them by DM, outside any server: keyed by server,
// a person's profiles would split per server, and the buttons on their DM
// alerts would not find the profile they belong to. Channel ids are unique
// across Discord too.
const Workspace = "discord"

// maxChoices is the most autocomplete suggestions Discord shows.
const maxChoices = 25

// work is what follows an interaction's first response: asking the core,
// then editing that response with the answer.
type work func(ctx context.Context)

// plan decides how to answer an interaction: the first response, sent at
// once, and the work that follows it, if any. It does no I/O beyond the
// core's in-memory suggestions and, for the event form, one read of the
// roles in the local database, bounded to a second, so it fits in
// Discord's 3 seconds. A nil response means the interaction is not one to
// answer.
func (d *Discord) plan(core Core, i *discordgo.Interaction) (*discordgo.InteractionResponse, work) {
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, nil
	case discordgo.InteractionApplicationCommand:
		return d.planCommand(core, i)
	case discordgo.InteractionApplicationCommandAutocomplete:
		return d.planAutocomplete(core, i), nil
	case discordgo.InteractionMessageComponent:
		return d.planClick(core, i)
	case discordgo.InteractionModalSubmit:
		return d.planSubmit(core, i)
	}
	return nil, nil
}

// printer speaks the language of the person behind an interaction, for
// what the adapter says itself: a form's title and buttons, a refusal
// before the core is asked. The core decides it from what they chose with
// `language` and the locale their Discord client reports, with one read
// of the local database, bounded like a form's step, well inside the 3
// seconds Discord gives the answer.
func printer(core Core, i *discordgo.Interaction) text.Printer {
	from, _, err := who(i)
	if err != nil {
		return text.For(text.Pick(string(i.Locale)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), formStoreTimeout)
	defer cancel()
	return text.For(core.LanguageFor(ctx, from, string(i.Locale)))
}

// who is the person behind an interaction as the core knows them, and the
// channel it happened in ("" in a DM).
func who(i *discordgo.Interaction) (bot.Subscriber, string, error) {
	user := i.User
	if i.Member != nil && i.Member.User != nil {
		user = i.Member.User
	}
	if user == nil || user.ID == "" {
		return bot.Subscriber{}, "", errors.New("interaction without a user")
	}
	from := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: Workspace, User: user.ID}
	if i.GuildID == "" {
		return from, "", nil // a DM: "here" has no channel to mean
	}
	return from, i.ChannelID, nil
}

// planCommand answers /tender: a form for a subscribe without a query or
// for "event new" alone, otherwise a deferral and then the core's reply to
// the command line.
func (d *Discord) planCommand(core Core, i *discordgo.Interaction) (*discordgo.InteractionResponse, work) {
	from, channel, err := who(i)
	if err != nil {
		return nil, nil
	}
	inv, err := parseInvocation(i.ApplicationCommandData())
	if err != nil {
		return say(printer(core, i).Sprintf("I only know /tender and its subcommands.")), nil
	}
	// "here" in a DM is the core's to refuse, with the command line.
	if inv.wantsForm() && (channel != "" || !inv.isSet(optHere)) {
		forChannel := ""
		if inv.isSet(optHere) {
			forChannel = channel
		}
		ctx, cancel := context.WithTimeout(context.Background(), formStoreTimeout)
		defer cancel()
		id := d.forms.open(ctx, from.User, forChannel, inv.str(optName), d.now())
		return formModal(printer(core, i), id, pendingForm{owner: from.User, channel: forChannel, name: inv.str(optName)}), nil
	}
	if inv.wantsEventForm() {
		// Only staff get the form. The check is one read of the local
		// database, well inside the 3 seconds Discord gives the answer.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		p := printer(core, i)
		if err := core.CheckEventForm(ctx, from, nil); err != nil && bot.ErrorField(err) == "" {
			return say(bot.ErrorText(p, err)), nil
		}
		id := d.forms.open(ctx, from.User, "", "", d.now())
		return eventModal(p, id, pendingForm{}), nil
	}
	line, ok := commandText(inv)
	if !ok {
		return say(printer(core, i).Sprintf("I don't know /tender %s; `/tender help` lists what I can do.", inv.name)), nil
	}
	users, roles := mentionsIn(line)
	return deferReply(), func(ctx context.Context) {
		d.reply(ctx, i, core.Handle(ctx, bot.Command{From: from, Channel: channel, Text: line, Mentions: users, Groups: roles, ChannelManager: managesChannel(i), Locale: string(i.Locale)}), nil)
	}
}

// planAutocomplete suggests codes for the option being typed.
func (d *Discord) planAutocomplete(core Core, i *discordgo.Interaction) *discordgo.InteractionResponse {
	inv, err := parseInvocation(i.ApplicationCommandData())
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if field := vocabulary(inv.name, inv.focused); err == nil && field != "" {
		typed, p := inv.str(inv.focused), printer(core, i)
		for _, s := range core.Suggest(field, typed, maxChoices) {
			if strings.TrimSpace(s.Code) == "" {
				continue // Discord refuses an empty choice
			}
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(s.Text(p), 100), Value: truncate(s.Code, 100)})
		}
		// Nothing known: offer what was typed, so it can still be picked.
		if len(choices) == 0 && typed != "" {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(typed, 100), Value: truncate(typed, 100)})
		}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}
}

// planClick answers a button: a form's Save, Edit or Cancel, an event's
// Ask a question (a modal), or a card's action, answered to the clicker
// alone.
func (d *Discord) planClick(core Core, i *discordgo.Interaction) (*discordgo.InteractionResponse, work) {
	from, _, err := who(i)
	if err != nil {
		return nil, nil
	}
	customID := i.MessageComponentData().CustomID
	if step, id, ok := parseFormID(customID); ok {
		return d.planFormButton(core, i, from, step, id)
	}
	a, err := bot.ParseAction(customID)
	if err != nil {
		return say(bot.ErrorText(printer(core, i), err)), nil
	}
	if a.Kind == bot.ActionAsk {
		return askModal(printer(core, i), a.EventID), nil
	}
	return deferReply(), func(ctx context.Context) {
		d.reply(ctx, i, core.HandleAction(ctx, bot.Click{From: from, Action: a, ChannelManager: managesChannel(i), Locale: string(i.Locale)}), nil)
	}
}

// planFormButton answers the buttons under a form's preview.
func (d *Discord) planFormButton(core Core, i *discordgo.Interaction, from bot.Subscriber, step, id string) (*discordgo.InteractionResponse, work) {
	now, lang := d.now(), printer(core, i)
	ctx, cancel := context.WithTimeout(context.Background(), formStoreTimeout)
	defer cancel()
	switch step {
	case stepEdit:
		if p, ok := d.forms.get(ctx, id, from.User, now); ok {
			return formModal(lang, id, p), nil
		}
	case stepEventEdit:
		if p, ok := d.forms.get(ctx, id, from.User, now); ok {
			return eventModal(lang, id, p), nil
		}
		return update(lang.Sprintf("This form has expired; run `/tender event do: new` again.")), nil
	case stepCancel:
		d.forms.remove(ctx, id, from.User)
		return update(lang.Sprintf("Cancelled: nothing was saved.")), nil
	case stepSave:
		if p, ok := d.forms.take(ctx, id, from.User, now); ok {
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, func(ctx context.Context) {
				d.reply(ctx, i, core.SubscribeForm(ctx, from, p.channel, profileForm(p)), nil)
			}
		}
	}
	return update(lang.Sprintf("This form has expired; run `/tender subscribe` again.")), nil
}

// planSubmit previews a submitted profile form, with buttons to save,
// edit or cancel it; an event form or a question goes to the core.
func (d *Discord) planSubmit(core Core, i *discordgo.Interaction) (*discordgo.InteractionResponse, work) {
	from, _, err := who(i)
	if err != nil {
		return nil, nil
	}
	data, lang := i.ModalSubmitData(), printer(core, i)
	step, id, ok := parseFormID(data.CustomID)
	switch {
	case ok && step == stepEvent:
		return d.planEventSubmit(core, i, from, id, submittedValues(data))
	case ok && step == stepAsk:
		return d.planAskSubmit(core, i, from, id, submittedValues(data))
	case !ok || step != stepSubmit:
		return say(lang.Sprintf("I don't know that form.")), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), formStoreTimeout)
	defer cancel()
	p, ok := d.forms.fill(ctx, id, from.User, submittedValues(data), d.now())
	if !ok {
		return say(lang.Sprintf("This form has expired; run `/tender subscribe` again.")), nil
	}
	return deferReply(), func(ctx context.Context) {
		preview, err := core.PreviewForm(ctx, from, profileForm(p))
		if err != nil {
			if bot.ErrorCode(err) == bot.EINTERNAL {
				d.log.Error("preview form", "user", from.User, "err", err)
			}
			d.reply(ctx, i, bot.Message{Text: bot.ErrorText(lang, err), Language: lang.Language()}, formButtons(lang, id, false))
			return
		}
		if preview.Language != "" {
			lang = preview.Printer()
		}
		d.reply(ctx, i, preview, formButtons(lang, id, true))
	}
}

// serveGateway answers an interaction that came over the gateway: the first
// response through the callback endpoint, then the work.
func (d *Discord) serveGateway(ctx context.Context, core Core, i *discordgo.Interaction) {
	resp, then := d.plan(core, i)
	if resp == nil {
		d.log.Debug("interaction ignored", "type", i.Type.String())
		return
	}
	// An acknowledgement ("thinking…") is kept in the store before it
	// goes, so that another replica answers it should this one die.
	if then != nil {
		d.pending.begin(ctx, i)
	}
	if err := d.session.InteractionRespond(i, resp, discordgo.WithContext(ctx)); err != nil {
		d.log.Warn("answer interaction", "interaction", i.ID, "err", redact(err))
		d.pending.forget(ctx, i.ID)
		return
	}
	if then != nil {
		d.pending.answer(ctx, i.ID, then)
	}
}

// reply shows the core's message in answer to an interaction: by editing the
// first (deferred) response, then in ephemeral follow-ups when it takes
// more than one Discord message. A rate limit on the way is waited out a
// few times: the person is waiting for this answer.
func (d *Discord) reply(ctx context.Context, i *discordgo.Interaction, m bot.Message, lead []discordgo.MessageComponent) {
	d.pending.answered(ctx, i.ID, m, lead)
	for n, part := range render(m, lead) {
		op := func() error {
			if n == 0 {
				content, embeds, rows := part.content, nonNil(part.embeds), nonNilRows(part.rows)
				_, err := d.session.InteractionResponseEdit(i, &discordgo.WebhookEdit{
					Content: &content, Embeds: &embeds, Components: &rows, Files: part.files(), AllowedMentions: noMentions,
				}, discordgo.WithContext(ctx))
				return err
			}
			_, err := d.session.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
				Content: part.content, Embeds: part.embeds, Components: part.rows, Files: part.files(),
				AllowedMentions: noMentions, Flags: discordgo.MessageFlagsEphemeral,
			}, discordgo.WithContext(ctx))
			return err
		}
		if err := withRateLimit(ctx, op); err != nil {
			d.log.Warn("reply to interaction", "interaction", i.ID, "part", n, "err", redact(err))
			return
		}
	}
}

// withRateLimit runs op, waiting out up to three 429s of at most 5 s each.
func withRateLimit(ctx context.Context, op func() error) error {
	for attempt := 0; ; attempt++ {
		err := op()
		var limited *discordgo.RateLimitError
		if err == nil || attempt == 3 || !errors.As(err, &limited) || limited.RetryAfter > 5*time.Second {
			return err
		}
		timer := time.NewTimer(max(limited.RetryAfter, minRetryAfter))
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}

// deferReply acknowledges an interaction with "thinking…", visible to the
// person alone, to be edited with the answer.
func deferReply() *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	}
}

// say answers at once with a short text for the person alone.
func say(text string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions},
	}
}

// update replaces the message a button is on with a short text, removing
// its buttons.
func update(text string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{
			Content: text, Embeds: []*discordgo.MessageEmbed{}, Components: []discordgo.MessageComponent{}, AllowedMentions: noMentions,
		},
	}
}

// nonNil and nonNilRows make empty lists explicit: an edit with null keeps
// the old embeds or buttons, an empty list removes them.
func nonNil(e []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if e == nil {
		return []*discordgo.MessageEmbed{}
	}
	return e
}

func nonNilRows(r []discordgo.MessageComponent) []discordgo.MessageComponent {
	if r == nil {
		return []discordgo.MessageComponent{}
	}
	return r
}

// channelManagement are the permissions that make a member a manager of
// the channel for the core: Manage Channels, Manage Server, Administrator.
const channelManagement = discordgo.PermissionManageChannels | discordgo.PermissionManageServer | discordgo.PermissionAdministrator

// managesChannel reports whether the interaction's member may manage the
// channel, from the permissions Discord computed for them there.
func managesChannel(i *discordgo.Interaction) bool {
	return i.Member != nil && i.Member.Permissions&channelManagement != 0
}
