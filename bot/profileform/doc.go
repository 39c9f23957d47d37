// Package profileform is the profile form as chat forms show it — a Slack
// modal, a Discord modal: its fields in order, with their labels, hints,
// examples and choices, and the reading of a submitted form into a
// bot.ProfileForm. The core checks the form field by field
// (Bot.PreviewForm, Bot.SubscribeForm), its errors naming the fields by the
// keys given here (bot.FieldWords…); the adapters only style the fields.
package profileform
