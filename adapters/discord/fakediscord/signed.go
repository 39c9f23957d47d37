package fakediscord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Sign returns the X-Signature-Timestamp and X-Signature-Ed25519 headers
// Discord sends with body at time at: the signature covers the timestamp
// followed by the body.
func (s *Server) Sign(at time.Time, body []byte) (timestamp, signature string) {
	timestamp = strconv.FormatInt(at.Unix(), 10)
	sig := ed25519.Sign(s.private, append([]byte(timestamp), body...))
	return timestamp, hex.EncodeToString(sig)
}

// Post sends an interaction body to an HTTP interactions endpoint with the
// given signature headers, as Discord does, and returns the status and body
// of the answer. An answer 200 is taken as the interaction's first response;
// an error says when it is not one Discord would accept. Tests use Post to
// send what Deliver would not: bad signatures, stale timestamps, replays.
func (s *Server) Post(ctx context.Context, endpoint string, body []byte, timestamp, signature string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("fakediscord: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Ed25519", signature)
	req.Header.Set("X-Signature-Timestamp", timestamp)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("fakediscord: post interaction: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, fmt.Errorf("fakediscord: read interaction answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, answer, nil
	}
	var sent struct {
		ID string `json:"id"`
	}
	json.Unmarshal(body, &sent)
	s.mu.Lock()
	ex := s.exchanges[sent.ID]
	s.mu.Unlock()
	if ex == nil {
		return resp.StatusCode, answer, fmt.Errorf("fakediscord: posted an interaction Prepare did not make")
	}
	if err := ex.respond(answer); err != nil {
		return resp.StatusCode, answer, fmt.Errorf("fakediscord: the endpoint's answer was refused: %w", err)
	}
	return resp.StatusCode, answer, nil
}

// Deliver posts i to an HTTP interactions endpoint the way Discord does,
// signed now, and takes the endpoint's answer as the interaction's first
// response. Like Discord, it fails unless the endpoint answers 200 with a
// valid response.
func (s *Server) Deliver(ctx context.Context, endpoint string, i *discordgo.Interaction) (*Exchange, error) {
	ex, body, err := s.Prepare(i)
	if err != nil {
		return nil, err
	}
	ts, sig := s.Sign(time.Now(), body)
	status, answer, err := s.Post(ctx, endpoint, body, ts, sig)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("fakediscord: the endpoint answered %d: %s", status, answer)
	}
	return ex, nil
}
