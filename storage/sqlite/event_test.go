package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
)

func TestAuditLogIsAppendOnly(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	e, err := s.ChangeEvent(ctx, 0, func(st bot.EventState) (bot.EventChange, error) {
		e := bot.Event{ID: st.Event.ID, Title: "Supplier day", Status: bot.EventPublished}
		entry := audit.Entry{Seq: 1, Time: "2026-03-02T09:30:16.000Z", Event: e.ID, Action: "publish", Actor: "tenderbot",
			Data: []byte(`{}`), PrevHash: audit.Genesis, Hash: fmt.Sprintf("%064x", e.ID*1000+1)}
		return bot.EventChange{Event: &e, Audit: []audit.Entry{entry}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE audit_log SET actor = 'someone'`, `DELETE FROM audit_log`} {
		if _, err := s.writer.ExecContext(ctx, q); err == nil {
			t.Errorf("%s: got no error", q)
		}
	}
	if log, _ := s.AuditLog(ctx, e.ID); len(log) != 1 || log[0].Actor != "tenderbot" {
		t.Errorf("audit log after the attempts: %+v", log)
	}
}

// TestAuditActorsAreSaltedHashes checks how the pseudonyms the contract
// hands out are made: each person's own random salt, hashed with their key.
func TestAuditActorsAreSaltedHashes(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	bob := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-bob"}
	channel := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: "G1", Channel: "C-bouw"}
	carol := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-carol"}
	first, err := s.AuditActors(ctx, []bot.Subscriber{alice, bob, alice, channel})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AuditActors(ctx, []bot.Subscriber{bob, carol}); err != nil {
		t.Fatal(err)
	}

	// The pseudonym is the salted hash of the subscriber key.
	var salt []byte
	if err := s.reader.QueryRowContext(ctx, `SELECT salt FROM audit_actors WHERE actor = ?`, first[alice]).Scan(&salt); err != nil {
		t.Fatal(err)
	}
	if len(salt) != 16 {
		t.Errorf("salt has %d bytes, want 16", len(salt))
	}
	if want := pseudonym(salt, alice); first[alice] != want {
		t.Errorf("alice's pseudonym %s, want %s from her salt", first[alice], want)
	}
	var salts int
	if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(DISTINCT salt) FROM audit_actors`).Scan(&salts); err != nil {
		t.Fatal(err)
	}
	if salts != 4 {
		t.Errorf("%d distinct salts among 4 people, want each their own", salts)
	}
}

// pseudonym is the audit pseudonym of sub with the salt.
func pseudonym(salt []byte, sub bot.Subscriber) string {
	sum := sha256.Sum256(append(append([]byte(nil), salt...), sub.Key()...))
	return "p-" + hex.EncodeToString(sum[:])[:32]
}
