package fakeslack

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// View is a view the bot opened, pushed, updated or published.
type View struct {
	ID              string
	User            string
	Type            string // "modal" or "home"
	CallbackID      string
	PrivateMetadata string
	JSON            json.RawMessage // the view as the bot sent it
}

// viewFields are the parts of a view the fake reads.
type viewFields struct {
	Type            string `json:"type"`
	CallbackID      string `json:"callback_id"`
	PrivateMetadata string `json:"private_metadata"`
}

// methodHandler answers one Web API method: the result fields, or a Slack
// error code.
type methodHandler func(c *Call) (map[string]any, string)

func (s *Server) methods() map[string]methodHandler {
	return map[string]methodHandler{
		"auth.test":                    s.authTest,
		"apps.connections.open":        s.connectionsOpen,
		"conversations.open":           s.conversationsOpen,
		"conversations.history":        s.conversationsHistory,
		"conversations.info":           s.conversationsInfo,
		"users.info":                   s.usersInfo,
		"chat.postMessage":             s.postMessage,
		"chat.postEphemeral":           s.postEphemeral,
		"views.open":                   s.viewsOpen,
		"views.push":                   s.viewsPush,
		"views.update":                 s.viewsUpdate,
		"views.publish":                s.viewsPublish,
		"files.getUploadURLExternal":   s.getUploadURL,
		"files.completeUploadExternal": s.completeUpload,
	}
}

// AddUser makes a person with id and name a member of the workspace, for
// users.info.
func (s *Server) AddUser(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = name
}

// SetLocale makes a person with id a member of the workspace, if they
// were not, whose Slack is in locale ("nl-NL"): users.info reports it when
// asked with include_locale. People without one are in en-US, Slack's
// default.
func (s *Server) SetLocale(id, locale string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[id]; !ok {
		s.users[id] = "user" + id
	}
	s.locales[id] = locale
}

// usersInfo answers as Slack does: the user object of a member (the bot
// user among them, flagged is_bot; an admin and owner when Options.Admins
// names them), or user_not_found.
func (s *Server) usersInfo(c *Call) (map[string]any, string) {
	id := c.Param("user")
	s.mu.Lock()
	name, ok := s.users[id]
	locale := s.locales[id]
	s.mu.Unlock()
	if locale == "" {
		locale = "en-US"
	}
	isBot := id == s.opts.BotUserID
	admin := slices.Contains(s.opts.Admins, id)
	switch {
	case isBot:
		name, ok = "tenderbot", true
	case admin && !ok:
		name, ok = "user"+id, true
	}
	if !ok || id == "" {
		return nil, "user_not_found"
	}
	user := map[string]any{
		"id": id, "team_id": s.opts.TeamID, "name": name, "real_name": name,
		"deleted": false, "is_bot": isBot, "is_admin": admin, "is_owner": admin, "is_primary_owner": false,
		"profile": map[string]any{"real_name": name, "display_name": name},
	}
	if c.Param("include_locale") == "true" {
		user["locale"] = locale
	}
	return map[string]any{"user": user}, ""
}

// authTest names the workspace and bot user of the token presented.
func (s *Server) authTest(c *Call) (map[string]any, string) {
	s.mu.Lock()
	team, botUser, _ := s.tokenTeamLocked(c.Token)
	s.mu.Unlock()
	return map[string]any{
		"url":     s.http.URL + "/",
		"team":    "Fake workspace",
		"user":    "tenderbot",
		"team_id": team,
		"user_id": botUser,
		"bot_id":  "BFAKEBOT",
	}, ""
}

// conversationsInfo describes a channel, with its creator from
// Options.ChannelCreators.
func (s *Server) conversationsInfo(c *Call) (map[string]any, string) {
	channel := c.Param("channel")
	if channel == "" {
		return nil, "channel_not_found"
	}
	return map[string]any{"channel": map[string]any{
		"id": channel, "name": "channel-" + strings.ToLower(channel), "is_channel": true, "creator": s.opts.ChannelCreators[channel],
	}}, ""
}

func (s *Server) connectionsOpen(*Call) (map[string]any, string) {
	s.mu.Lock()
	ticket := s.nextIDLocked("ticket")
	s.tickets[ticket] = true
	s.mu.Unlock()
	u := "ws" + strings.TrimPrefix(s.http.URL, "http") + "/link/?ticket=" + ticket + "&app_id=" + s.opts.AppID
	return map[string]any{"url": u}, ""
}

// DMChannel is the ID of the direct-message channel between the bot and a
// user, as conversations.open answers it.
func DMChannel(user string) string { return "D" + strings.TrimPrefix(user, "U") }

func (s *Server) conversationsOpen(c *Call) (map[string]any, string) {
	users := strings.Split(c.Param("users"), ",")
	if len(users) != 1 || users[0] == "" {
		return nil, "users_list_not_supplied"
	}
	if users[0] == s.opts.BotUserID {
		return nil, "cannot_dm_bot"
	}
	return map[string]any{"channel": map[string]any{"id": DMChannel(users[0])}}, ""
}

// conversationsHistory lists the messages the bot posted to a channel,
// newest first, with their metadata when include_all_metadata is set.
func (s *Server) conversationsHistory(c *Call) (map[string]any, string) {
	channel := c.Param("channel")
	if channel == "" {
		return nil, "channel_not_found"
	}
	limit := 100
	fmt.Sscan(c.Param("limit"), &limit)
	withMetadata := c.Param("include_all_metadata") == "1" || c.Param("include_all_metadata") == "true"
	s.mu.Lock()
	defer s.mu.Unlock()
	messages := []any{}
	for i := len(s.calls) - 1; i >= 0 && len(messages) < limit; i-- {
		p := s.calls[i]
		if p.Method != "chat.postMessage" || !p.OK() || p.Param("channel") != channel {
			continue
		}
		m := map[string]any{"type": "message", "ts": p.TS, "text": p.Param("text"), "user": s.opts.BotUserID, "bot_id": "BFAKEBOT"}
		var meta map[string]any
		if withMetadata && json.Unmarshal([]byte(p.Param("metadata")), &meta) == nil {
			m["metadata"] = meta
		}
		messages = append(messages, m)
	}
	return map[string]any{"messages": messages, "has_more": false}, ""
}

func (s *Server) postMessage(c *Call) (map[string]any, string) {
	channel := c.Param("channel")
	if channel == "" {
		return nil, "channel_not_found"
	}
	if e := checkMessage(c); e != "" {
		return nil, e
	}
	s.mu.Lock()
	c.TS = s.tsLocked()
	s.mu.Unlock()
	return map[string]any{"channel": channel, "ts": c.TS, "message": map[string]any{"text": c.Param("text"), "ts": c.TS}}, ""
}

func (s *Server) postEphemeral(c *Call) (map[string]any, string) {
	if c.Param("channel") == "" {
		return nil, "channel_not_found"
	}
	if c.Param("user") == "" {
		return nil, "user_not_found"
	}
	if e := checkMessage(c); e != "" {
		return nil, e
	}
	s.mu.Lock()
	c.TS = s.tsLocked()
	s.mu.Unlock()
	return map[string]any{"message_ts": c.TS}, ""
}

// checkMessage refuses what Slack refuses: no text and no blocks, blocks
// that are not a JSON array, more than 50 blocks.
func checkMessage(c *Call) string {
	text, blocks := c.Param("text"), c.Param("blocks")
	if text == "" && blocks == "" {
		return "no_text"
	}
	if blocks != "" {
		var list []json.RawMessage
		if json.Unmarshal([]byte(blocks), &list) != nil {
			return "invalid_blocks"
		}
		if len(list) > 50 {
			return "invalid_blocks"
		}
	}
	return ""
}

// tsLocked returns a new message timestamp. Call it with s.mu held.
func (s *Server) tsLocked() string {
	s.seq++
	return fmt.Sprintf("1700000000.%06d", s.seq)
}

// viewRequest is the body of views.open, views.push, views.update and
// views.publish.
type viewRequest struct {
	TriggerID  string          `json:"trigger_id"`
	ViewID     string          `json:"view_id"`
	ExternalID string          `json:"external_id"`
	UserID     string          `json:"user_id"`
	View       json.RawMessage `json:"view"`
}

func (s *Server) viewsOpen(c *Call) (map[string]any, string) { return s.openOrPush(c, false) }

func (s *Server) viewsPush(c *Call) (map[string]any, string) { return s.openOrPush(c, true) }

func (s *Server) openOrPush(c *Call, push bool) (map[string]any, string) {
	var req viewRequest
	if json.Unmarshal(c.JSON, &req) != nil || req.View == nil {
		return nil, "invalid_arguments"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.triggers[req.TriggerID]
	switch {
	case !ok:
		return nil, "invalid_trigger_id"
	case t.used || time.Since(t.issued) > triggerLifetime:
		return nil, "expired_trigger_id"
	case push && len(s.stacks[t.user]) == 0:
		return nil, "not_found"
	case push && len(s.stacks[t.user]) >= 3:
		return nil, "push_limit_reached"
	}
	t.used = true
	s.triggers[req.TriggerID] = t
	v, e := s.storeViewLocked(t.user, "", req.View)
	if e != "" {
		return nil, e
	}
	if !push {
		s.stacks[t.user] = nil
	}
	s.stacks[t.user] = append(s.stacks[t.user], v.ID)
	return map[string]any{"view": viewAnswer(v, s.opts.TeamID)}, ""
}

func (s *Server) viewsUpdate(c *Call) (map[string]any, string) {
	var req viewRequest
	if json.Unmarshal(c.JSON, &req) != nil || req.View == nil || req.ViewID == "" {
		return nil, "invalid_arguments"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.views[req.ViewID]
	if !ok {
		return nil, "not_found"
	}
	v, e := s.storeViewLocked(old.User, old.ID, req.View)
	if e != "" {
		return nil, e
	}
	return map[string]any{"view": viewAnswer(v, s.opts.TeamID)}, ""
}

func (s *Server) viewsPublish(c *Call) (map[string]any, string) {
	var req viewRequest
	if json.Unmarshal(c.JSON, &req) != nil || req.View == nil {
		return nil, "invalid_arguments"
	}
	if req.UserID == "" {
		return nil, "user_not_found"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, e := s.storeViewLocked(req.UserID, "", req.View)
	if e != "" {
		return nil, e
	}
	if v.Type != "home" {
		return nil, "invalid_arguments"
	}
	s.homes[req.UserID] = v.JSON
	return map[string]any{"view": viewAnswer(v, s.opts.TeamID)}, ""
}

// storeViewLocked checks a view the way Slack does and stores it, under id
// or a new one. Call it with s.mu held.
func (s *Server) storeViewLocked(user, id string, raw json.RawMessage) (*View, string) {
	var f viewFields
	if json.Unmarshal(raw, &f) != nil {
		return nil, "invalid_arguments"
	}
	if checkView(raw) != "" {
		return nil, "invalid_arguments"
	}
	if id == "" {
		id = s.nextIDLocked("V")
	}
	v := &View{ID: id, User: user, Type: f.Type, CallbackID: f.CallbackID, PrivateMetadata: f.PrivateMetadata, JSON: raw}
	s.views[id] = v
	return v, ""
}

// viewAnswer is a stored view as Slack returns it: the view with its id.
func viewAnswer(v *View, team string) map[string]any {
	var m map[string]any
	json.Unmarshal(v.JSON, &m)
	if m == nil {
		m = map[string]any{}
	}
	m["id"] = v.ID
	m["team_id"] = team
	m["hash"] = "hash-" + v.ID
	return m
}

// TopView returns the modal on top of the user's view stack.
func (s *Server) TopView(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stack := s.stacks[user]
	if len(stack) == 0 {
		return View{}, false
	}
	return *s.views[stack[len(stack)-1]], true
}

// ViewStack returns the user's open modals, bottom first.
func (s *Server) ViewStack(user string) []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []View
	for _, id := range s.stacks[user] {
		out = append(out, *s.views[id])
	}
	return out
}

// Home returns the home tab last published for the user.
func (s *Server) Home(user string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.homes[user]
	return h, ok
}

// File is a file the bot uploaded and shared.
type File struct {
	ID       string
	Name     string
	Length   int    // the length announced in files.getUploadURLExternal
	Data     []byte // what was uploaded
	Channel  string // where files.completeUploadExternal shared it; "" until then
	Uploaded bool
}

func (s *Server) getUploadURL(c *Call) (map[string]any, string) {
	name := c.Param("filename")
	var length int
	if _, err := fmt.Sscan(c.Param("length"), &length); err != nil || name == "" || length <= 0 {
		return nil, "invalid_arguments"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked("F")
	s.files[id] = &File{ID: id, Name: name, Length: length}
	return map[string]any{"upload_url": s.http.URL + "/upload/" + id, "file_id": id}, ""
}

func (s *Server) completeUpload(c *Call) (map[string]any, string) {
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if json.Unmarshal([]byte(c.Param("files")), &files) != nil || len(files) == 0 {
		return nil, "invalid_arguments"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []any
	for _, f := range files {
		stored, ok := s.files[f.ID]
		if !ok || !stored.Uploaded {
			return nil, "file_not_found"
		}
		stored.Channel = c.Param("channel_id")
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	return map[string]any{"files": out}, ""
}

// Files returns the files the bot uploaded.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []File
	for _, f := range s.files {
		out = append(out, *f)
	}
	return out
}
