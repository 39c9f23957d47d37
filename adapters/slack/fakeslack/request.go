package fakeslack

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Request is one request Slack makes to the app: a slash command, an
// interaction or an event. Deliver sends it over Socket Mode; HTTPBody gives
// the same request as Slack would POST it in HTTP mode.
type Request struct {
	Type        string          // Socket Mode envelope type: slash_commands, interactive, events_api
	Payload     json.RawMessage // the payload, as in the envelope
	User        string          // who acted
	ResponseURL string          // the response_url handed out, "" when none
	TriggerID   string          // the trigger_id handed out, "" when none
	EventID     string          // for events, the event_id
	// RetryAttempt and RetryReason mark a redelivery of an event.
	RetryAttempt int
	RetryReason  string

	acceptsResponse bool
	interaction     string // the interaction type, for interactive requests
	form            url.Values
}

// HTTPBody is the request as Slack POSTs it in HTTP mode: slash commands
// as a form, interactions as a form with a payload field, events as JSON.
func (r *Request) HTTPBody() (contentType string, body []byte) {
	switch r.Type {
	case "slash_commands":
		return "application/x-www-form-urlencoded", []byte(r.form.Encode())
	case "interactive":
		return "application/x-www-form-urlencoded", []byte(url.Values{"payload": {string(r.Payload)}}.Encode())
	}
	return "application/json", r.Payload
}

// SlashCommand is a slash command typed by a user.
type SlashCommand struct {
	User        string // user ID, e.g. "U123"
	UserName    string // "" = the user ID in lower case
	Channel     string // channel ID; a DM channel starts with D
	ChannelName string // "" = "general", or "directmessage" for a D channel
	Command     string // "" = "/tender"
	Text        string
	Team        string // the workspace it was typed in; "" = Options.TeamID
}

// SlashCommand builds the request for a slash command, handing out a
// response_url and a trigger_id.
func (s *Server) SlashCommand(cmd SlashCommand) *Request {
	if cmd.Command == "" {
		cmd.Command = "/tender"
	}
	if cmd.ChannelName == "" {
		cmd.ChannelName = "general"
		if strings.HasPrefix(cmd.Channel, "D") {
			cmd.ChannelName = "directmessage"
		}
	}
	if cmd.UserName == "" {
		cmd.UserName = strings.ToLower(cmd.User)
	}
	if cmd.Team == "" {
		cmd.Team = s.opts.TeamID
	}
	r := &Request{Type: "slash_commands", User: cmd.User, acceptsResponse: true}
	r.ResponseURL = s.newResponseURL()
	r.TriggerID = s.newTrigger(cmd.User)
	r.form = url.Values{
		"token":                 {"fake-verification-token"},
		"team_id":               {cmd.Team},
		"team_domain":           {"fake"},
		"channel_id":            {cmd.Channel},
		"channel_name":          {cmd.ChannelName},
		"user_id":               {cmd.User},
		"user_name":             {cmd.UserName},
		"command":               {cmd.Command},
		"text":                  {cmd.Text},
		"api_app_id":            {s.opts.AppID},
		"is_enterprise_install": {"false"},
		"response_url":          {r.ResponseURL},
		"trigger_id":            {r.TriggerID},
	}
	fields := map[string]string{}
	for k, v := range r.form {
		fields[k] = v[0]
	}
	r.Payload = mustJSON(fields)
	return r
}

// Click is a press on a button of a message (Channel and MessageTS set) or
// of a view (ViewID set).
type Click struct {
	User      string
	Channel   string
	MessageTS string
	ViewID    string
	BlockID   string
	ActionID  string
	Value     string
	Text      string // the button's label
	URL       string // the button's URL, for link buttons
}

// Click builds the block_actions request for a button press. A click on a
// message gets a response_url; every click gets a trigger_id.
func (s *Server) Click(c Click) *Request {
	r := &Request{Type: "interactive", User: c.User, interaction: "block_actions"}
	r.TriggerID = s.newTrigger(c.User)
	action := map[string]any{
		"type":      "button",
		"action_id": c.ActionID,
		"block_id":  c.BlockID,
		"text":      map[string]any{"type": "plain_text", "text": c.Text, "emoji": true},
		"value":     c.Value,
		"action_ts": fmt.Sprintf("%d.000100", time.Now().Unix()),
	}
	if c.URL != "" {
		action["url"] = c.URL
	}
	p := s.interactionBase("block_actions", c.User, r.TriggerID)
	p["actions"] = []any{action}
	p["state"] = map[string]any{"values": map[string]any{}}
	if c.ViewID != "" {
		p["container"] = map[string]any{"type": "view", "view_id": c.ViewID}
		p["view"] = s.viewPayload(c.ViewID, nil)
	} else {
		r.ResponseURL = s.newResponseURL()
		p["container"] = map[string]any{"type": "message", "message_ts": c.MessageTS, "channel_id": c.Channel, "is_ephemeral": false}
		p["channel"] = map[string]any{"id": c.Channel, "name": "general"}
		p["message"] = map[string]any{"type": "message", "ts": c.MessageTS, "user": s.opts.BotUserID}
		p["response_url"] = r.ResponseURL
	}
	r.Payload = mustJSON(p)
	return r
}

// Values are the state of a view's inputs: block_id → action_id → value,
// as Text, Selected and Chosen make them.
type Values map[string]map[string]any

// Text is the state of a plain_text_input.
func Text(v string) map[string]any {
	return map[string]any{"type": "plain_text_input", "value": v}
}

// Selected is the state of a multi-select or checkboxes element of the
// given type with the given values chosen.
func Selected(elementType string, values ...string) map[string]any {
	opts := make([]any, len(values))
	for i, v := range values {
		opts[i] = option(v)
	}
	return map[string]any{"type": elementType, "selected_options": opts}
}

// Chosen is the state of a single-choice element (radio_buttons,
// static_select) with value chosen.
func Chosen(elementType, value string) map[string]any {
	return map[string]any{"type": elementType, "selected_option": option(value)}
}

func option(v string) map[string]any {
	return map[string]any{"text": map[string]any{"type": "plain_text", "text": v}, "value": v}
}

// ViewSubmission builds the view_submission request for the user's modal
// on top of their stack, submitted with values.
func (s *Server) ViewSubmission(user string, values Values) (*Request, error) {
	v, ok := s.TopView(user)
	if !ok {
		return nil, fmt.Errorf("fakeslack: %s has no modal open", user)
	}
	r := &Request{Type: "interactive", User: user, interaction: "view_submission", acceptsResponse: true}
	r.TriggerID = s.newTrigger(user)
	p := s.interactionBase("view_submission", user, r.TriggerID)
	p["view"] = s.viewPayload(v.ID, values)
	p["response_urls"] = []any{}
	r.Payload = mustJSON(p)
	return r, nil
}

// Suggestion builds the block_suggestion request for text typed into an
// external select of the user's top modal.
func (s *Server) Suggestion(user, blockID, actionID, typed string) (*Request, error) {
	v, ok := s.TopView(user)
	if !ok {
		return nil, fmt.Errorf("fakeslack: %s has no modal open", user)
	}
	r := &Request{Type: "interactive", User: user, interaction: "block_suggestion", acceptsResponse: true}
	p := s.interactionBase("block_suggestion", user, "")
	delete(p, "trigger_id")
	p["container"] = map[string]any{"type": "view", "view_id": v.ID}
	p["view"] = s.viewPayload(v.ID, nil)
	p["block_id"] = blockID
	p["action_id"] = actionID
	p["value"] = typed
	r.Payload = mustJSON(p)
	return r, nil
}

// AppHomeOpened builds the app_home_opened event for the user opening the
// app's Home tab.
func (s *Server) AppHomeOpened(user string) *Request {
	return s.event(user, map[string]any{
		"type":     "app_home_opened",
		"user":     user,
		"channel":  DMChannel(user),
		"tab":      "home",
		"event_ts": fmt.Sprintf("%d.000200", time.Now().Unix()),
	})
}

// DirectMessage builds the message.im event for a user writing to the bot
// in their direct-message channel.
func (s *Server) DirectMessage(user, text string) *Request {
	ts := fmt.Sprintf("%d.000300", time.Now().Unix())
	return s.event(user, map[string]any{
		"type":          "message",
		"channel":       DMChannel(user),
		"user":          user,
		"text":          text,
		"ts":            ts,
		"event_ts":      ts,
		"channel_type":  "im",
		"client_msg_id": fmt.Sprintf("msg-%s", ts),
	})
}

// event wraps an inner event in the Events API's outer event, from
// Options.TeamID.
func (s *Server) event(user string, inner map[string]any) *Request {
	return s.eventFor(s.opts.TeamID, user, inner)
}

// eventFor wraps an inner event in the Events API's outer event, from
// team.
func (s *Server) eventFor(team, user string, inner map[string]any) *Request {
	s.mu.Lock()
	id := s.nextIDLocked("Ev")
	s.mu.Unlock()
	r := &Request{Type: "events_api", User: user, EventID: id}
	r.Payload = mustJSON(map[string]any{
		"token":         "fake-verification-token",
		"team_id":       team,
		"api_app_id":    s.opts.AppID,
		"event":         inner,
		"type":          "event_callback",
		"event_id":      id,
		"event_time":    time.Now().Unix(),
		"event_context": "fake-context",
		"authorizations": []any{map[string]any{
			"team_id": team, "user_id": s.opts.BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
	})
	return r
}

// interactionBase is what every interaction payload carries.
func (s *Server) interactionBase(typ, user, triggerID string) map[string]any {
	return map[string]any{
		"type":                  typ,
		"token":                 "fake-verification-token",
		"api_app_id":            s.opts.AppID,
		"trigger_id":            triggerID,
		"team":                  map[string]any{"id": s.opts.TeamID, "domain": "fake"},
		"user":                  map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": s.opts.TeamID},
		"enterprise":            nil,
		"is_enterprise_install": false,
	}
}

// viewPayload is a stored view as interaction payloads carry it, with its
// state.
func (s *Server) viewPayload(id string, values Values) map[string]any {
	s.mu.Lock()
	v, ok := s.views[id]
	s.mu.Unlock()
	m := map[string]any{"id": id}
	if ok {
		m = viewAnswer(v, s.opts.TeamID)
		m["root_view_id"] = id
		m["app_id"] = s.opts.AppID
		m["bot_id"] = "BFAKEBOT"
	}
	if values == nil {
		values = Values{}
	}
	m["state"] = map[string]any{"values": values}
	return m
}

// newTrigger hands out a trigger_id for the user, valid for 3 seconds.
func (s *Server) newTrigger(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked("trigger-")
	s.triggers[id] = trigger{user: user, issued: time.Now()}
	return id
}

// ApplyViewResponse changes the user's modals as Slack does after the app
// answers a view submission: push, update and clear act on the stack; an
// errors answer keeps it; an empty answer closes the top modal. Deliver
// calls it; HTTP-mode tests call it with the response body.
func (s *Server) ApplyViewResponse(r *Request, payload json.RawMessage) {
	var resp struct {
		ResponseAction string          `json:"response_action"`
		View           json.RawMessage `json:"view"`
	}
	if len(payload) > 0 {
		json.Unmarshal(payload, &resp)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notifyLocked()
	stack := s.stacks[r.User]
	switch resp.ResponseAction {
	case "errors":
	case "clear":
		s.stacks[r.User] = nil
	case "push", "update":
		v, e := s.storeViewLocked(r.User, "", resp.View)
		if e != "" || len(stack) == 0 {
			return
		}
		if resp.ResponseAction == "update" {
			stack = stack[:len(stack)-1]
		}
		s.stacks[r.User] = append(stack, v.ID)
	default:
		if len(stack) > 0 {
			s.stacks[r.User] = stack[:len(stack)-1]
		}
	}
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fakeslack: %v", err))
	}
	return b
}
