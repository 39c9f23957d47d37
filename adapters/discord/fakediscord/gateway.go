package fakediscord

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway opcodes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
const (
	opDispatch     = 0
	opHeartbeat    = 1
	opIdentify     = 2
	opResume       = 6
	opHello        = 10
	opHeartbeatACK = 11
)

// Gateway close codes the fake uses.
const (
	closeDecodeError          = 4002
	closeAuthenticationFailed = 4004
)

// payload is a gateway message: an opcode, its data, and for dispatches a
// sequence number and an event name.
type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

// Identify is what a client sent in IDENTIFY, as Discord reads it.
type Identify struct {
	Token          string            `json:"token"`
	Properties     map[string]string `json:"properties"`
	Compress       bool              `json:"compress"`
	LargeThreshold int               `json:"large_threshold"`
	Shard          *[2]int           `json:"shard"`
	Intents        discordgo.Intent  `json:"intents"`
}

// gatewayConn is one client connected to the gateway.
type gatewayConn struct {
	ws        *websocket.Conn
	sessionID string

	writeMu sync.Mutex // one writer at a time, as gorilla/websocket requires
	seq     int64      // guarded by writeMu
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveGateway speaks the gateway protocol on one websocket: HELLO, then
// IDENTIFY (READY) or RESUME (RESUMED), heartbeats answered with ACKs.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Get("encoding") != "json" || q.Get("v") != "9" {
		http.Error(w, "this gateway speaks v=9 and encoding=json", http.StatusBadRequest)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	c := &gatewayConn{ws: ws}
	s.mu.Lock()
	s.conns[c] = false
	s.connWG.Add(1)
	s.mu.Unlock()
	defer func() {
		ws.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.notifyLocked()
		s.mu.Unlock()
		s.connWG.Done()
	}()
	hello, _ := json.Marshal(map[string]int64{"heartbeat_interval": s.opts.HeartbeatInterval.Milliseconds()})
	if err := c.write(payload{Op: opHello, D: hello}, false); err != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var p payload
		if err := json.Unmarshal(msg, &p); err != nil {
			c.close(closeDecodeError, "Decode error")
			return
		}
		if err := s.handleOp(c, p); err != nil {
			return
		}
	}
}

// handleOp answers one message from a client.
func (s *Server) handleOp(c *gatewayConn, p payload) error {
	switch p.Op {
	case opHeartbeat:
		return c.write(payload{Op: opHeartbeatACK}, false)
	case opIdentify:
		var id Identify
		if err := json.Unmarshal(p.D, &id); err != nil {
			c.close(closeDecodeError, "Decode error")
			return err
		}
		if !s.tokenOK(id.Token) {
			c.close(closeAuthenticationFailed, "Authentication failed.")
			return errors.New("authentication failed")
		}
		c.sessionID = s.newID()
		s.mu.Lock()
		s.identifies = append(s.identifies, id)
		s.mu.Unlock()
		ready := map[string]any{
			"v":                  9,
			"session_id":         c.sessionID,
			"resume_gateway_url": s.gatewayURL(),
			"user":               map[string]any{"id": s.opts.BotUserID, "username": "tenderbot", "discriminator": "0", "bot": true},
			"application":        map[string]any{"id": s.opts.AppID, "flags": 0},
			"guilds":             []any{},
			"private_channels":   []any{},
		}
		// Discord compresses large payloads such as READY when the client
		// asked for compress in IDENTIFY.
		return s.ready(c, "READY", ready, id.Compress)
	case opResume:
		var resume struct {
			Token     string `json:"token"`
			SessionID string `json:"session_id"`
		}
		if err := json.Unmarshal(p.D, &resume); err != nil || !s.tokenOK(resume.Token) {
			c.close(closeAuthenticationFailed, "Authentication failed.")
			return errors.New("authentication failed")
		}
		c.sessionID = resume.SessionID
		return s.ready(c, "RESUMED", map[string]any{}, false)
	}
	return nil
}

// tokenOK accepts the bot token with or without the "Bot " prefix, as
// Discord's gateway does.
func (s *Server) tokenOK(token string) bool {
	return token == s.opts.Token || token == "Bot "+s.opts.Token
}

// ready sends READY (or RESUMED) and marks the session ready in one step
// under the connection's write lock, so no dispatch can overtake it.
func (s *Server) ready(c *gatewayConn, event string, data any, compress bool) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	s.mu.Lock()
	if _, ok := s.conns[c]; ok {
		s.conns[c] = true
	}
	s.peakReady = max(s.peakReady, s.readyConnsLocked())
	s.notifyLocked()
	s.mu.Unlock()
	return c.dispatchLocked(event, data, compress)
}

// dispatch sends an event to every ready gateway session; it fails when
// there is none.
func (s *Server) dispatch(ctx context.Context, event string, data any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	var ready []*gatewayConn
	for c, ok := range s.conns {
		if ok {
			ready = append(ready, c)
		}
	}
	s.mu.Unlock()
	if len(ready) == 0 {
		return fmt.Errorf("fakediscord: no gateway session is connected to receive %s", event)
	}
	for _, c := range ready {
		if err := c.dispatch(event, data, false); err != nil {
			return fmt.Errorf("fakediscord: dispatch %s: %w", event, err)
		}
	}
	return nil
}

// dispatch sends an op 0 event with the connection's next sequence number.
func (c *gatewayConn) dispatch(event string, data any, compress bool) error {
	d, err := json.Marshal(data)
	if err != nil {
		return err
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	return c.writeEventLocked(event, d, compress)
}

// dispatchLocked is dispatch with c.writeMu held.
func (c *gatewayConn) dispatchLocked(event string, data any, compress bool) error {
	d, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return c.writeEventLocked(event, d, compress)
}

func (c *gatewayConn) writeEventLocked(event string, d json.RawMessage, compress bool) error {
	c.seq++
	seq := c.seq
	return c.writeLocked(payload{Op: opDispatch, D: d, S: &seq, T: &event}, compress)
}

func (c *gatewayConn) write(p payload, compress bool) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	return c.writeLocked(p, compress)
}

// writeLocked sends p as a text frame, or zlib-compressed as a binary
// frame; c.writeMu must be held.
func (c *gatewayConn) writeLocked(p payload, compress bool) error {
	if p.D == nil {
		p.D = json.RawMessage("null")
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if !compress {
		return c.ws.WriteMessage(websocket.TextMessage, b)
	}
	var buf bytes.Buffer
	z := zlib.NewWriter(&buf)
	z.Write(b)
	z.Close()
	return c.ws.WriteMessage(websocket.BinaryMessage, buf.Bytes())
}

// close ends the session with a gateway close code.
func (c *gatewayConn) close(code int, reason string) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason))
}
