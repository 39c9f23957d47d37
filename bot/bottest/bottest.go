// Package bottest holds test doubles for the core's ports that have no real
// counterpart to run in a test: a clock that moves only when told, a
// messenger that records what it was asked to send; a replay memory for
// the chats' HTTP modes (adapters may not import a store); and the sample
// messages every chat adapter renders into its golden files.
package bottest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Clock is a bot.Clock that stands still until Advance or Set moves it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sent is one message a Messenger was asked to send.
type Sent struct {
	To      bot.Subscriber
	Message bot.Message
	ID      string
}

// Messenger is a bot.Messenger that records every message. Errors queued
// with FailNext are returned, one per call, before sends succeed again.
type Messenger struct {
	mu     sync.Mutex
	sent   []Sent
	errors []error
}

// FailNext makes the next Send calls return errs, one each, in order.
func (m *Messenger) FailNext(errs ...error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.errors = append(m.errors, errs...)
}

// Send records the message, or returns the next queued error.
func (m *Messenger) Send(_ context.Context, to bot.Subscriber, msg bot.Message) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.errors) > 0 {
		err := m.errors[0]
		m.errors = m.errors[1:]
		return "", err
	}
	id := fmt.Sprintf("msg-%d", len(m.sent)+1)
	m.sent = append(m.sent, Sent{To: to, Message: msg, ID: id})
	return id, nil
}

// Sent returns a copy of every message sent so far.
func (m *Messenger) Sent() []Sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Sent(nil), m.sent...)
}
