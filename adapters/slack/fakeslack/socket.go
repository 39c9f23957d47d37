package fakeslack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// envelope is a Socket Mode message from Slack to the app.
type envelope struct {
	Type                   string          `json:"type"`
	EnvelopeID             string          `json:"envelope_id,omitempty"`
	Payload                json.RawMessage `json:"payload,omitempty"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload,omitempty"`
	RetryAttempt           *int            `json:"retry_attempt,omitempty"`
	RetryReason            *string         `json:"retry_reason,omitempty"`
	// hello and disconnect
	NumConnections int             `json:"num_connections,omitempty"`
	Reason         string          `json:"reason,omitempty"`
	DebugInfo      *debugInfo      `json:"debug_info,omitempty"`
	ConnectionInfo *connectionInfo `json:"connection_info,omitempty"`
}

type debugInfo struct {
	Host                      string `json:"host"`
	BuildNumber               int    `json:"build_number,omitempty"`
	ApproximateConnectionTime int    `json:"approximate_connection_time,omitempty"`
}

type connectionInfo struct {
	AppID string `json:"app_id"`
}

// ackMessage is what the app sends back for an envelope.
type ackMessage struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
}

// Ack is the app's acknowledgement of an envelope.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the app acked without a payload
	Latency    time.Duration   // from sending the envelope to the ack
}

// conn is one Socket Mode connection. Writes are serialised; gorilla's
// WriteControl and Close may run alongside them.
type conn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	done chan struct{}
	once sync.Once
}

func (c *conn) writeJSON(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return err
	}
	return c.ws.WriteJSON(v)
}

func (c *conn) close() {
	c.once.Do(func() {
		close(c.done)
		c.ws.Close()
	})
}

// serveLink is the Socket Mode WebSocket: one-use ticket, hello, pings, and
// a read loop for acks.
func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	valid := s.tickets[ticket]
	delete(s.tickets, ticket)
	s.mu.Unlock()
	if !valid {
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &conn{ws: ws, done: make(chan struct{})}
	s.mu.Lock()
	s.conns = append(s.conns, c)
	n := len(s.conns)
	s.mu.Unlock()
	defer s.dropConn(c)

	hello := envelope{
		Type:           "hello",
		NumConnections: n,
		DebugInfo:      &debugInfo{Host: "fakeslack", BuildNumber: 1, ApproximateConnectionTime: 18060},
		ConnectionInfo: &connectionInfo{AppID: s.opts.AppID},
	}
	if err := c.writeJSON(hello); err != nil {
		return
	}
	s.mu.Lock()
	s.notifyLocked() // connected, hello sent
	s.mu.Unlock()

	var wg sync.WaitGroup
	wg.Go(func() { s.ping(c) })
	defer wg.Wait()
	defer c.close()
	for {
		var ack ackMessage
		if err := ws.ReadJSON(&ack); err != nil {
			return
		}
		s.deliverAck(ack)
	}
}

// ping sends WebSocket pings until the connection closes, as Slack does.
func (s *Server) ping(c *conn) {
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			if err := c.ws.WriteControl(websocket.PingMessage, []byte("fakeslack"), time.Now().Add(5*time.Second)); err != nil {
				return
			}
		}
	}
}

func (s *Server) dropConn(c *conn) {
	c.close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.conns {
		if x == c {
			s.conns = append(s.conns[:i], s.conns[i+1:]...)
			break
		}
	}
	s.notifyLocked()
}

func (s *Server) deliverAck(a ackMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch, ok := s.acks[a.EnvelopeID]; ok {
		delete(s.acks, a.EnvelopeID)
		payload := a.Payload
		if string(payload) == "null" {
			payload = nil
		}
		ch <- Ack{EnvelopeID: a.EnvelopeID, Payload: payload}
	}
	s.notifyLocked()
}

// Connections returns how many Socket Mode connections are open.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// WaitConnected waits until the app holds a Socket Mode connection.
func (s *Server) WaitConnected(ctx context.Context) error {
	if err := s.wait(ctx, func() bool { return len(s.conns) > 0 }); err != nil {
		return fmt.Errorf("fakeslack: the app never connected: %w", err)
	}
	return nil
}

// Disconnect sends Slack's disconnect message (reason "refresh_requested",
// "warning", "link_disabled") on every connection; the app is expected to
// reconnect.
func (s *Server) Disconnect(reason string) {
	s.mu.Lock()
	conns := append([]*conn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		c.writeJSON(envelope{Type: "disconnect", Reason: reason, DebugInfo: &debugInfo{Host: "fakeslack"}})
	}
}

// DropConnections closes every connection without warning, like a network
// failure.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := append([]*conn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

// Deliver sends a request to the app over the socket (waiting for a
// connection if there is none yet) and waits for its ack. For a view
// submission, the ack's response_action then changes the user's modals as
// Slack would.
func (s *Server) Deliver(ctx context.Context, r *Request) (Ack, error) {
	if err := s.WaitConnected(ctx); err != nil {
		return Ack{}, err
	}
	s.mu.Lock()
	var c *conn
	if len(s.conns) > 0 {
		c = s.conns[len(s.conns)-1]
	}
	id := s.nextIDLocked("env-")
	ch := make(chan Ack, 1)
	s.acks[id] = ch
	s.mu.Unlock()
	if c == nil {
		return Ack{}, fmt.Errorf("fakeslack: the connection closed before %s could be sent", r.Type)
	}
	env := envelope{Type: r.Type, EnvelopeID: id, Payload: r.Payload, AcceptsResponsePayload: r.acceptsResponse}
	if r.Type == "events_api" {
		retry, reason := r.RetryAttempt, r.RetryReason
		env.RetryAttempt, env.RetryReason = &retry, &reason
	}
	start := time.Now()
	if err := c.writeJSON(env); err != nil {
		s.forgetAck(id)
		return Ack{}, fmt.Errorf("fakeslack: send %s: %w", r.Type, err)
	}
	select {
	case a := <-ch:
		a.Latency = time.Since(start)
		if r.Type == "interactive" && r.interaction == "view_submission" {
			s.ApplyViewResponse(r, a.Payload)
		}
		return a, nil
	case <-ctx.Done():
		s.forgetAck(id)
		return Ack{}, fmt.Errorf("fakeslack: no ack for %s envelope %s: %w", r.Type, id, ctx.Err())
	}
}

func (s *Server) forgetAck(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.acks, id)
}
