package fakediscord

import "net/http"

// HoldReplies makes the interaction webhook routes (editing the original
// response, follow-ups) wait, taking no effect, until ReleaseReplies: the
// bot has acknowledged an interaction and is answering it, and a test may
// kill it now. A held request whose client goes away (the bot died) is
// dropped without effect, as Discord never saw it.
func (s *Server) HoldReplies() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.released == nil {
		s.released = make(chan struct{})
	}
}

// ReleaseReplies lets the held replies, and every one after, through.
func (s *Server) ReleaseReplies() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.released != nil {
		close(s.released)
		s.released = nil
	}
}

// HeldReplies returns how many replies are waiting now.
func (s *Server) HeldReplies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// awaitRelease holds a reply while replies are held, reporting false when
// its client went away meanwhile.
func (s *Server) awaitRelease(r *http.Request) bool {
	s.mu.Lock()
	released := s.released
	if released == nil {
		s.mu.Unlock()
		return true
	}
	s.held++
	s.notifyLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.held--
		s.notifyLocked()
		s.mu.Unlock()
	}()
	select {
	case <-released:
		return true
	case <-r.Context().Done():
		return false
	}
}
