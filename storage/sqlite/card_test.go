package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/storetest"
	"github.com/tenderbot/tenderbot/bot/text"
)

// cardOf is a card of n as the core makes it for a recipient.
func cardOf(n bot.Notice, profileID int64, profile string) bot.Card {
	shared := bot.Card{Notice: n, Ref: bot.NoticeRef(n.ID), CPV: []bot.CodeName{{Code: n.CPV[0], Label: "Bouw"}}, DaysLeft: 30}
	return shared.For(profileID, profile, []string{"cpv " + n.CPV[0]})
}

// A notice that reaches many subscribers stores its card once: every alert
// and digest item references it and keeps only its recipient's part.
func TestFanOutStoresTheCardOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	n := storetest.FullNotice()
	shared := cardOf(n, 0, "")
	fx := bot.Effects{Card: &shared}
	for i := range 200 {
		sub := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: fmt.Sprintf("U%03d", i)}
		card := shared.For(int64(i+1), "bouw", []string{"cpv 45212225"})
		if i%2 == 0 {
			fx.Held = append(fx.Held, bot.DigestItem{To: sub, Mode: bot.DeliverDaily, ProfileID: int64(i + 1), NoticeID: n.ID, Card: card})
			continue
		}
		fx.Deliveries = append(fx.Deliveries, bot.Delivery{Key: bot.AlertKey(sub, n.ID), To: sub, Purpose: bot.PurposeAlert,
			NoticeID: n.ID, ProfileID: int64(i + 1), Message: bot.Message{Text: "New tender:", Cards: []bot.Card{card}}})
	}
	if _, err := s.SaveNotice(ctx, n, nil, fx); err != nil {
		t.Fatal(err)
	}
	var cards, inline, widest int
	err := s.reader.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM cards),
		(SELECT COUNT(*) FROM outbox WHERE card_id IS NULL) + (SELECT COUNT(*) FROM digest_items WHERE card_id IS NULL),
		MAX((SELECT MAX(length(message)) FROM outbox), (SELECT MAX(length(card)) FROM digest_items))`).Scan(&cards, &inline, &widest)
	if err != nil {
		t.Fatal(err)
	}
	if cards != 1 || inline != 0 || widest > 80 {
		t.Errorf("cards stored %d, rows with an inline card %d, widest recipient part %d bytes; want 1, 0, at most 80", cards, inline, widest)
	}
}

// A database written before cards were stored once migrates with nothing
// lost: its alerts and digest items come back with the messages and cards
// they had, their inline cards now referenced, and alert keys in the new
// order, so an alert is still found (and never sent twice) by its key.
func TestMigrationMakesInlineCardsReferenced(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", uri(path, writerParams))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := migrate(ctx, db, migrationsUpTo(t, 6), epoch); err != nil {
		t.Fatal(err)
	}
	n := storetest.FullNotice()
	alice := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-alice"}
	bob := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: "G1", Channel: "C-bouw"}
	alert := bot.Message{Text: `New tender for your profile "bouw":`, Cards: []bot.Card{cardOf(n, 7, "bouw")}}
	sent := bot.Message{Text: `New tender for your profile "oud":`, Cards: []bot.Card{cardOf(n, 9, "oud")}}
	digestCard := cardOf(n, 8, "weekly")
	// The rows as the code before this schema wrote them.
	oldKey := func(s bot.Subscriber) string { return "alert:" + s.Key() + ":" + n.ID }
	insert := `INSERT INTO outbox (key, platform, workspace, user_id, channel_id, purpose, notice_id, profile_id, message, status, attempts, due_at, created_at, platform_message_id)
		VALUES (?, ?, ?, ?, ?, 'alert', ?, ?, ?, ?, 0, ?, ?, ?)`
	for _, row := range []struct {
		to     bot.Subscriber
		id     int64
		msg    bot.Message
		status string
		pmid   string
	}{{alice, 7, alert, "pending", ""}, {bob, 9, sent, "sent", "m-1"}} {
		raw, _ := json.Marshal(row.msg)
		if _, err := db.ExecContext(ctx, insert, oldKey(row.to), row.to.Platform, row.to.Workspace, row.to.User, row.to.Channel,
			n.ID, row.id, string(raw), row.status, formatTime(epoch), formatTime(epoch), row.pmid); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := json.Marshal(digestCard)
	if _, err := db.ExecContext(ctx, `INSERT INTO digest_items (platform, workspace, user_id, channel_id, mode, profile_id, notice_id, card, overflow, created_at)
		VALUES (?, ?, ?, ?, 'weekly', 8, ?, ?, 0, ?)`, alice.Platform, alice.Workspace, alice.User, alice.Channel, n.ID, string(raw), formatTime(epoch)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, _ := openTestStoreAt(t, path)
	due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack}, epoch.Add(time.Minute), 0, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v, %v; want the one pending alert", due, err)
	}
	if due[0].Key != bot.AlertKey(alice, n.ID) {
		t.Errorf("key %q, want %q", due[0].Key, bot.AlertKey(alice, n.ID))
	}
	if got, _ := json.Marshal(due[0].Message); string(got) != string(mustJSON(t, alert)) {
		t.Errorf("migrated alert:\n got %s\nwant %s", got, mustJSON(t, alert))
	}
	if id, err := s.SentMessageID(ctx, bot.AlertKey(bob, n.ID)); err != nil || id != "m-1" {
		t.Errorf("the sent alert by its new key: %q, %v; want m-1 (follow-ups thread under it)", id, err)
	}
	items, err := s.DigestItems(ctx, bot.DeliverWeekly, epoch.Add(time.Hour))
	if err != nil || len(items) != 1 {
		t.Fatalf("digest items: %v, %v", items, err)
	}
	if got, _ := json.Marshal(items[0].Card); string(got) != string(mustJSON(t, digestCard)) {
		t.Errorf("migrated digest card:\n got %s\nwant %s", got, mustJSON(t, digestCard))
	}
	var cards, inline int
	if err := s.reader.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM cards),
		(SELECT COUNT(*) FROM outbox WHERE card_id IS NULL) + (SELECT COUNT(*) FROM digest_items WHERE card_id IS NULL)`).Scan(&cards, &inline); err != nil {
		t.Fatal(err)
	}
	if cards != 1 || inline != 0 {
		t.Errorf("after migrating: %d cards, %d rows still inline; want 1 card shared by all, none inline", cards, inline)
	}
}

// migrationsUpTo is the embedded migrations up to version last.
func migrationsUpTo(t *testing.T, last int) fs.FS {
	t.Helper()
	ms, err := loadMigrations(migrations())
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, m := range ms {
		if m.Version <= last {
			out[m.Name] = &fstest.MapFile{Data: []byte(m.SQL)}
		}
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.TrimSpace(string(b)))
}

// A notice's card is kept while a delivery or digest item shows it, and
// goes with the retention job once none does: a sent delivery lets go of
// its card.
func TestRetentionDropsCardsNobodyShows(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	n := storetest.FullNotice()
	shared := cardOf(n, 0, "")
	alice := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-alice"}
	d := bot.Delivery{Key: bot.AlertKey(alice, n.ID), To: alice, Purpose: bot.PurposeAlert, NoticeID: n.ID, ProfileID: 1,
		Message: bot.AlertMessage(text.Printer{}, shared.For(1, "bouw", nil), []string{"bouw"})}
	if _, err := s.SaveNotice(ctx, n, nil, bot.Effects{Card: &shared, Deliveries: []bot.Delivery{d}}); err != nil {
		t.Fatal(err)
	}
	cards := func() int {
		t.Helper()
		var n int
		if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM cards`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, _, err := s.Prune(ctx, epoch.Add(-time.Hour)); err != nil || cards() != 1 {
		t.Fatalf("pruning while the alert waits: %v, %d cards; want the card kept", err, cards())
	}
	due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack}, epoch, 0, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v, %v", due, err)
	}
	if err := s.MarkSending(ctx, due[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Record(ctx, []bot.DeliveryResult{{ID: due[0].ID, Status: bot.StatusSent, At: epoch, PlatformMessageID: "m"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Prune(ctx, epoch.Add(-time.Hour)); err != nil || cards() != 0 {
		t.Errorf("pruning once the alert went: %v, %d cards; want none", err, cards())
	}
	if id, err := s.SentMessageID(ctx, d.Key); err != nil || id != "m" {
		t.Errorf("the sent alert by its key: %q, %v; want m, for follow-ups", id, err)
	}
}

// A digest made of its items' stored cards references them: it comes back
// as the message it was, keeps a few bytes a card, and keeps its cards
// through the retention job until it is sent. A digest whose cards are not
// its items' is kept whole.
func TestDigestReferencesItsItemsCards(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	alice := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-alice"}
	bob := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-bob"}
	for k := range 2 {
		n := storetest.FullNotice()
		n.ID = fmt.Sprintf("n-%d", k)
		shared := cardOf(n, 0, "")
		fx := bot.Effects{Card: &shared}
		for i, sub := range []bot.Subscriber{alice, bob} {
			fx.Held = append(fx.Held, bot.DigestItem{To: sub, Mode: bot.DeliverDaily, ProfileID: int64(i + 1), NoticeID: n.ID, Card: shared.For(int64(i+1), "bouw", []string{"cpv 45", fmt.Sprint("notice ", k)})})
		}
		if _, err := s.SaveNotice(ctx, n, nil, fx); err != nil {
			t.Fatal(err)
		}
	}
	items, err := s.DigestItems(ctx, bot.DeliverDaily, epoch.Add(time.Hour))
	if err != nil || len(items) != 4 {
		t.Fatalf("items: %d, %v", len(items), err)
	}
	var commits []bot.DigestCommit
	want := map[string]bot.Message{}
	for _, group := range [][]bot.DigestItem{items[:2], items[2:]} {
		to := group[0].To
		m := bot.Message{Text: "Your digest", Cards: []bot.Card{group[1].Card, group[0].Card}}
		if to == bob {
			m.Cards[0].DaysLeft++ // not the stored card: kept whole
		}
		want[to.User] = m
		commits = append(commits, bot.DigestCommit{
			Delivery: bot.Delivery{Key: "digest:" + to.Key(), To: to, Purpose: bot.PurposeDigest, Message: m},
			ItemIDs:  []int64{group[0].ID, group[1].ID},
		})
	}
	if err := s.CommitDigests(ctx, commits); err != nil {
		t.Fatal(err)
	}
	var referenced, whole int
	if err := s.reader.QueryRowContext(ctx, `SELECT
		(SELECT length(message) FROM outbox WHERE user_id = 'U-alice'), (SELECT length(message) FROM outbox WHERE user_id = 'U-bob')`).Scan(&referenced, &whole); err != nil {
		t.Fatal(err)
	}
	if referenced > 150 || whole < 1000 {
		t.Errorf("alice's digest keeps %d bytes, bob's %d; want alice's at most 150 (references), bob's whole", referenced, whole)
	}
	check := func(when string) {
		t.Helper()
		due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack}, epoch.Add(time.Hour), 0, 10)
		if err != nil || len(due) != 2 {
			t.Fatalf("%s: due %d, %v", when, len(due), err)
		}
		for _, d := range due {
			equal(t, when+": "+d.To.User+"'s digest", d.Message, want[d.To.User])
		}
	}
	check("made")
	if _, _, err := s.Prune(ctx, epoch.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("after the retention job")
}

// The rows Ingest has made ahead (EncodeEffects) are the rows SaveNotice
// makes itself: two stores given the same fan-out, one of them with its
// rows made ahead, hold the same outbox and digest items, the card stored
// once in each, read back as the recipients' messages.
func TestEncodedEffectsAreTheRowsSaveNoticeMakes(t *testing.T) {
	ctx := context.Background()
	n := storetest.FullNotice()
	shared := cardOf(n, 0, "")
	fx := bot.Effects{Card: &shared}
	for i := range 3*rowsPerInsert + 5 {
		sub := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: fmt.Sprintf("U%03d", i)}
		card := shared.For(int64(i+1), fmt.Sprintf("profiel %d", i), []string{"cpv 45212225"})
		if i%3 == 0 {
			fx.Held = append(fx.Held, bot.DigestItem{To: sub, Mode: bot.DeliverWeekly, ProfileID: int64(i + 1), NoticeID: n.ID, Card: card, Overflow: i%2 == 0})
			continue
		}
		msg := bot.AlertMessage(text.For(text.Dutch), card, []string{card.Profile})
		if i%5 == 0 {
			msg.Text = "a text of its own" // kept whole
		}
		fx.Deliveries = append(fx.Deliveries, bot.Delivery{Key: bot.AlertKey(sub, n.ID), To: sub, Purpose: bot.PurposeAlert,
			NoticeID: n.ID, ProfileID: int64(i + 1), Message: msg, DueAt: epoch.Add(time.Duration(i%4) * time.Hour)})
	}
	rows := func(encode bool) string {
		s, _ := openTestStore(t)
		fx := fx
		if encode {
			var err error
			if fx.Encoded, err = s.EncodeEffects(fx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SaveNotice(ctx, n, nil, fx); err != nil {
			t.Fatal(err)
		}
		var dump string
		err := s.reader.QueryRowContext(ctx, `SELECT
			(SELECT group_concat(concat_ws('|', key, platform, workspace, user_id, channel_id, purpose, notice_id, profile_id, message, card_id, status, due_at, created_at), char(10)) FROM (SELECT * FROM outbox ORDER BY id)) || char(10) ||
			(SELECT group_concat(concat_ws('|', platform, user_id, mode, profile_id, notice_id, card, card_id, overflow, created_at), char(10)) FROM (SELECT * FROM digest_items ORDER BY id)) || char(10) ||
			(SELECT group_concat(id || body, char(10)) FROM cards)`).Scan(&dump)
		if err != nil {
			t.Fatal(err)
		}
		due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack}, epoch.Add(24*time.Hour), 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range due {
			dump += "\n" + d.Key + " " + d.Message.Text + " " + d.Message.Cards[0].Profile
		}
		return dump
	}
	made, ahead := rows(false), rows(true)
	if made != ahead {
		t.Errorf("rows made ahead differ from those SaveNotice makes:\n%s\nwant\n%s", ahead, made)
	}
	if !strings.Contains(made, "a text of its own") || strings.Count(made, "profiel") < 2*rowsPerInsert {
		t.Errorf("the rows do not say what the fan-out gave:\n%s", made)
	}
}
