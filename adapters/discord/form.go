package discord

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/profileform"
	"github.com/tenderbot/tenderbot/bot/text"
)

// The profile form: /tender subscribe without a query opens a modal; its
// submission is previewed with Save, Edit and Cancel buttons; Save makes
// the profile. Between the steps the form waits under a
// random id that the modal's and the buttons' custom ids carry. Discord's
// custom ids hold 100 characters, too few for a whole form. The forms wait
// in the store when it keeps them (FormStore), else in memory.
const (
	formPrefix = "tbform"
	stepSubmit = "submit" // the modal's custom id
	stepSave   = "save"
	stepEdit   = "edit"
	stepCancel = "cancel"
	// formTTL is how long an untouched form waits; a restart forgets forms
	// kept in memory too, and the person is asked to start again.
	formTTL  = 30 * time.Minute
	maxForms = 1000
	// formStoreTimeout bounds a step's reads and writes of its form, well
	// inside the 3 seconds Discord gives the answer.
	formStoreTimeout = time.Second
)

// maxFormInputs is the most text inputs a Discord modal holds.
const maxFormInputs = 5

// formFields are the core's profile form fields the modal asks for, as
// text inputs: all but the name, which /tender subscribe takes as an
// option, and single choices, which a modal cannot show and which keep
// their default (the delivery: instant; /tender digest changes it).
var formFields = func() []profileform.Field {
	var out []profileform.Field
	for _, f := range profileform.Fields() {
		if f.Key != bot.FieldName && f.Input != profileform.PickOne && len(out) < maxFormInputs {
			out = append(out, f)
		}
	}
	return out
}()

// pendingForm is a form between its steps.
type pendingForm struct {
	owner   string            // the user filling it in
	channel string            // the channel it is for; "" for the person
	name    string            // the profile name given with the command
	values  map[string]string // what was typed, by field id
}

// formRecord is a pendingForm as a FormStore keeps it.
type formRecord struct {
	Channel string            `json:"channel,omitempty"`
	Name    string            `json:"name,omitempty"`
	Values  map[string]string `json:"values,omitempty"`
}

// FormStore keeps the forms being filled in between their steps, so that
// any replica can take the next step and a restart forgets nothing typed
// (storage/postgres.Store implements it). Keys name the form and the
// person filling it in; values are opaque to the store.
type FormStore interface {
	// PutChatState keeps value under key until expires, replacing what
	// was kept.
	PutChatState(ctx context.Context, key string, value []byte, expires time.Time) error
	// ChatState returns what is kept under key, unless it expired at now.
	ChatState(ctx context.Context, key string, now time.Time) (value []byte, ok bool, err error)
	// TakeChatState is ChatState that forgets it too, so that of two
	// callers at once only one gets it.
	TakeChatState(ctx context.Context, key string, now time.Time) (value []byte, ok bool, err error)
	// DeleteChatState forgets what is kept under key.
	DeleteChatState(ctx context.Context, key string) error
}

// forms holds the forms being filled in, in a FormStore: the store, or
// this process's memory. A form is the owner's alone: its key holds the
// owner, so nobody else's click finds it.
type forms struct {
	store FormStore
	log   *slog.Logger
}

func newForms(store FormStore, log *slog.Logger) *forms {
	if store == nil {
		store = newMemoryForms()
	}
	return &forms{store: store, log: log}
}

// formKey is where the owner's form id is kept.
func formKey(id, owner string) string { return "discord-form:" + owner + ":" + id }

// open starts a form and returns its id. A form the store could not keep
// is asked for again at its next step, as an expired one is.
func (f *forms) open(ctx context.Context, owner, channel, name string, now time.Time) string {
	b := make([]byte, 12)
	rand.Read(b)
	id := hex.EncodeToString(b)
	f.put(ctx, id, pendingForm{owner: owner, channel: channel, name: name}, now)
	return id
}

// put keeps p under id for another formTTL.
func (f *forms) put(ctx context.Context, id string, p pendingForm, now time.Time) {
	body, err := json.Marshal(formRecord{Channel: p.channel, Name: p.name, Values: p.values})
	if err == nil {
		err = f.store.PutChatState(ctx, formKey(id, p.owner), body, now.Add(formTTL))
	}
	if err != nil {
		f.log.Error("keep a form between its steps", "form", id, "err", err)
	}
}

// read returns the owner's form with that id, taking it away when take.
func (f *forms) read(ctx context.Context, id, owner string, now time.Time, take bool) (pendingForm, bool) {
	read := f.store.ChatState
	if take {
		read = f.store.TakeChatState
	}
	body, ok, err := read(ctx, formKey(id, owner), now)
	var r formRecord
	if err == nil && ok {
		err = json.Unmarshal(body, &r)
	}
	if err != nil {
		f.log.Error("read a form between its steps", "form", id, "err", err)
		return pendingForm{}, false
	}
	if !ok {
		return pendingForm{}, false
	}
	if r.Values == nil {
		r.Values = map[string]string{}
	}
	return pendingForm{owner: owner, channel: r.Channel, name: r.Name, values: r.Values}, true
}

// get returns the owner's form with that id, if it is still waiting, and
// keeps it another formTTL.
func (f *forms) get(ctx context.Context, id, owner string, now time.Time) (pendingForm, bool) {
	p, ok := f.read(ctx, id, owner, now, false)
	if ok {
		f.put(ctx, id, p, now)
	}
	return p, ok
}

// fill records what was typed into the owner's form; it reports false when
// the form is gone.
func (f *forms) fill(ctx context.Context, id, owner string, values map[string]string, now time.Time) (pendingForm, bool) {
	p, ok := f.read(ctx, id, owner, now, false)
	if !ok {
		return pendingForm{}, false
	}
	p.values = values
	f.put(ctx, id, p, now)
	return p, true
}

// take removes the owner's form and returns it, so it is saved once
// however often Save is pressed, on whichever replica.
func (f *forms) take(ctx context.Context, id, owner string, now time.Time) (pendingForm, bool) {
	return f.read(ctx, id, owner, now, true)
}

// remove forgets the owner's form.
func (f *forms) remove(ctx context.Context, id, owner string) {
	if err := f.store.DeleteChatState(ctx, formKey(id, owner)); err != nil {
		f.log.Error("forget a form", "form", id, "err", err)
	}
}

// memoryForms is a FormStore in this process's memory, for a bot without
// a store that keeps forms: a restart forgets them, and the person is
// asked to start again. It holds at most maxForms.
type memoryForms struct {
	mu   sync.Mutex
	kept map[string]keptForm
}

type keptForm struct {
	body    []byte
	expires time.Time
}

func newMemoryForms() *memoryForms { return &memoryForms{kept: map[string]keptForm{}} }

func (m *memoryForms) PutChatState(_ context.Context, key string, value []byte, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.kept[key]; !ok {
		m.sweepLocked()
	}
	m.kept[key] = keptForm{body: value, expires: expires}
	return nil
}

func (m *memoryForms) ChatState(_ context.Context, key string, now time.Time) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.kept[key]
	if !ok || !now.Before(k.expires) {
		return nil, false, nil
	}
	return k.body, true, nil
}

func (m *memoryForms) TakeChatState(ctx context.Context, key string, now time.Time) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.kept[key]
	delete(m.kept, key)
	if !ok || !now.Before(k.expires) {
		return nil, false, nil
	}
	return k.body, true, nil
}

func (m *memoryForms) DeleteChatState(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.kept, key)
	return nil
}

// sweepLocked makes room for one more form: it drops the expired ones
// and, when still full, the one that expires first.
func (m *memoryForms) sweepLocked() {
	if len(m.kept) < maxForms {
		return
	}
	now := time.Now()
	for key, k := range m.kept {
		if !now.Before(k.expires) {
			delete(m.kept, key)
		}
	}
	for len(m.kept) >= maxForms {
		first := ""
		for key, k := range m.kept {
			if first == "" || k.expires.Before(m.kept[first].expires) {
				first = key
			}
		}
		delete(m.kept, first)
	}
}

// formID is the custom id of a form step.
func formID(step, id string) string { return formPrefix + ":" + step + ":" + id }

// parseFormID splits a custom id made by formID.
func parseFormID(customID string) (step, id string, ok bool) {
	parts := strings.Split(customID, ":")
	if len(parts) != 3 || parts[0] != formPrefix || parts[2] == "" {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// formModal is the modal asking for a profile, filled with what was typed
// before when the person comes back to edit it.
func formModal(lang text.Printer, id string, p pendingForm) *discordgo.InteractionResponse {
	title := lang.Sprintf("New profile")
	if p.channel != "" {
		title = lang.Sprintf("New profile for this channel")
	}
	rows := make([]discordgo.MessageComponent, len(formFields))
	for i, f := range formFields {
		style := discordgo.TextInputShort
		if f.Input == profileform.LongText {
			style = discordgo.TextInputParagraph
		}
		rows[i] = discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: f.Key, Label: lang.Text(f.Label), Style: style, Placeholder: lang.Text(f.Placeholder),
			Value: p.values[f.Key], MaxLength: f.MaxLength,
		}}}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: formID(stepSubmit, id), Title: title, Components: rows},
	}
}

// submittedValues reads a modal submission's text inputs by custom id.
func submittedValues(data discordgo.ModalSubmitInteractionData) map[string]string {
	values := map[string]string{}
	for _, c := range data.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, inner := range row.Components {
			if in, ok := inner.(*discordgo.TextInput); ok {
				values[in.CustomID] = strings.TrimSpace(in.Value)
			}
		}
	}
	return values
}

// profileForm is what was typed, with the name given with the command,
// read by the core.
func profileForm(p pendingForm) bot.ProfileForm {
	values := map[string]string{bot.FieldName: p.name}
	for k, v := range p.values {
		if k != bot.FieldName {
			values[k] = v
		}
	}
	return profileform.Parse(values)
}

// formButtons are the buttons under a form's preview: Save only when the
// preview succeeded.
func formButtons(p text.Printer, id string, canSave bool) []discordgo.MessageComponent {
	var buttons []discordgo.MessageComponent
	if canSave {
		buttons = append(buttons, discordgo.Button{Label: p.Sprintf("Save profile"), Style: discordgo.SuccessButton, CustomID: formID(stepSave, id)})
	}
	buttons = append(buttons,
		discordgo.Button{Label: p.Sprintf("Edit"), Style: discordgo.SecondaryButton, CustomID: formID(stepEdit, id)},
		discordgo.Button{Label: p.Sprintf("Cancel"), Style: discordgo.SecondaryButton, CustomID: formID(stepCancel, id)})
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: buttons}}
}
