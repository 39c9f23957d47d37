package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

var consolePlatforms = []bot.Platform{bot.PlatformConsole}

// enqueueTo enqueues n deliveries, due now, to each of subs in turn.
func enqueueTo(t *testing.T, s *Store, subs []bot.Subscriber, n int) {
	t.Helper()
	for i := range n {
		for _, sub := range subs {
			d := bot.Delivery{Key: fmt.Sprintf("k:%s:%d", sub.User, i), To: sub, Purpose: bot.PurposeAlert,
				Message: bot.Message{Text: fmt.Sprintf("%s %d", sub.User, i)}, DueAt: epoch}
			if ok, err := s.Enqueue(context.Background(), &d); err != nil || !ok {
				t.Fatalf("enqueue: %v, %v", ok, err)
			}
		}
	}
}

func console(user string) bot.Subscriber {
	return bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: user}
}

func TestClaimsNeverOverlap(t *testing.T) {
	s, _ := openTestStore(t)
	var subs []bot.Subscriber
	for i := range 20 {
		subs = append(subs, console(fmt.Sprintf("u%02d", i)))
	}
	enqueueTo(t, s, subs, 5) // 100 deliveries, 5 per conversation
	var mu sync.Mutex
	claimedBy := map[int64]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("w%d", w)
			for range 10 {
				ds, err := s.Claim(context.Background(), owner, consolePlatforms, epoch, 0, 7, epoch.Add(time.Minute))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, d := range ds {
					if other, ok := claimedBy[d.ID]; ok {
						t.Errorf("delivery %d claimed by %s and %s", d.ID, other, owner)
					}
					claimedBy[d.ID] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// Nothing is recorded, so a conversation a worker claimed gives none
	// of its deliveries to another.
	owners := map[string]string{} // conversation → the worker holding it
	for id, owner := range claimedBy {
		ds, err := s.queryDeliveries(context.Background(), `SELECT `+deliveryColumns+` FROM outbox AS o WHERE o.id = $1`, id)
		if err != nil || len(ds) != 1 {
			t.Fatal(err)
		}
		who := ds[0].To.User
		if other, ok := owners[who]; ok && other != owner {
			t.Errorf("%s's deliveries went to %s and %s", who, other, owner)
		}
		owners[who] = owner
	}
	if len(owners) != len(subs) {
		t.Errorf("claims reached %d conversations, want all %d", len(owners), len(subs))
	}
}

func TestClaimKeepsAConversationWithOneWorker(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	alice, bob := console("alice"), console("bob")
	enqueueTo(t, s, []bot.Subscriber{alice, bob}, 3) // a0 b0 a1 b1 a2 b2
	first, err := s.Claim(ctx, "w1", consolePlatforms, epoch, 0, 1, epoch.Add(time.Minute))
	if err != nil || len(first) != 1 || first[0].To != alice {
		t.Fatalf("first claim: %+v, %v; want alice's first", first, err)
	}
	second, err := s.Claim(ctx, "w2", consolePlatforms, epoch, 0, 10, epoch.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range second {
		if d.To == alice {
			t.Errorf("w2 claimed alice's %q while w1 sends her older one", d.Message.Text)
		}
	}
	if texts := deliveryTexts(second); texts != "bob 0, bob 1, bob 2" {
		t.Errorf("w2 claimed %s, want all of bob's, in order", texts)
	}
	// Once w1 records alice's first as sent, her next is free for anyone.
	if err := s.Record(ctx, []bot.DeliveryResult{{ID: first[0].ID, Status: bot.StatusSent, At: epoch}}); err != nil {
		t.Fatal(err)
	}
	third, err := s.Claim(ctx, "w2", consolePlatforms, epoch, 0, 10, epoch.Add(time.Minute))
	if texts := deliveryTexts(third); err != nil || texts != "alice 1, alice 2" {
		t.Errorf("after alice's first was sent: claimed %s, %v; want alice 1, alice 2", texts, err)
	}
}

// A delivery handed back untried — its conversation's lane was full —
// is not overtaken: a round past it claims none of its conversation's
// newer deliveries, and the next round claims it first.
func TestHandedBackDeliveryIsNotOvertaken(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	alice, bob := console("alice"), console("bob")
	enqueueTo(t, s, []bot.Subscriber{alice}, 3)
	enqueueTo(t, s, []bot.Subscriber{bob}, 1)
	first, err := s.Claim(ctx, "w1", consolePlatforms, epoch, 0, 1, epoch.Add(time.Minute))
	if err != nil || len(first) != 1 || first[0].Message.Text != "alice 0" {
		t.Fatalf("first claim: %+v, %v; want alice 0", first, err)
	}
	if err := s.Record(ctx, []bot.DeliveryResult{{ID: first[0].ID, Status: bot.StatusPending}}); err != nil {
		t.Fatal(err)
	}
	past, err := s.Claim(ctx, "w2", consolePlatforms, epoch, first[0].ID, 10, epoch.Add(time.Minute))
	if texts := deliveryTexts(past); err != nil || texts != "bob 0" {
		t.Errorf("a round past alice 0, handed back: claimed %s, %v; want bob 0 only", texts, err)
	}
	next, err := s.Claim(ctx, "w2", consolePlatforms, epoch, 0, 10, epoch.Add(time.Minute))
	if texts := deliveryTexts(next); err != nil || texts != "alice 0, alice 1, alice 2" {
		t.Errorf("the next round claimed %s, %v; want alice 0, alice 1, alice 2", texts, err)
	}
}

// One Record writes each claimed delivery's outcome as its kind asks:
// sent with the platform's id and its message dropped, retried with one
// more attempt, due later, and why; handed back untried; failed, and why.
// A batch naming a delivery that does not exist records nothing.
func TestRecordWritesEachOutcome(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	enqueueTo(t, s, []bot.Subscriber{console("a"), console("b"), console("c"), console("d")}, 1)
	claimed, err := s.Claim(ctx, "w", consolePlatforms, epoch, 0, 10, epoch.Add(time.Minute))
	if err != nil || len(claimed) != 4 {
		t.Fatalf("claim: %d, %v", len(claimed), err)
	}
	later := epoch.Add(time.Hour)
	results := []bot.DeliveryResult{
		{ID: claimed[0].ID, Status: bot.StatusSent, At: epoch, PlatformMessageID: "m-1"},
		{ID: claimed[1].ID, Status: bot.StatusPending, At: later, Attempted: true, Reason: "timeout"},
		{ID: claimed[2].ID, Status: bot.StatusPending},
		{ID: claimed[3].ID, Status: bot.StatusFailed, Reason: "channel_not_found"},
	}
	if err := s.Record(ctx, append(slices.Clone(results), bot.DeliveryResult{ID: 999999, Status: bot.StatusSent})); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("a batch naming no delivery: %v; want ENOTFOUND", err)
	}
	if sending, err := s.Sending(ctx); err != nil || len(sending) != 4 {
		t.Fatalf("after the refused batch: %d sending, %v; want all 4 untouched", len(sending), err)
	}
	if err := s.Record(ctx, results); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Status, PlatformMessageID, LastError, Message string
		Attempts                                      int
		DueAt                                         int64
		SentAt                                        *int64
	}
	got := map[int64]row{}
	rows, err := s.pool.Query(ctx, `SELECT id, status, platform_message_id, last_error, message, attempts, due_at, sent_at FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var r row
		if err := rows.Scan(&id, &r.Status, &r.PlatformMessageID, &r.LastError, &r.Message, &r.Attempts, &r.DueAt, &r.SentAt); err != nil {
			t.Fatal(err)
		}
		got[id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sent, retried, back, failed := got[claimed[0].ID], got[claimed[1].ID], got[claimed[2].ID], got[claimed[3].ID]
	if sent.Status != "sent" || sent.PlatformMessageID != "m-1" || sent.Message != "{}" || sent.SentAt == nil || *sent.SentAt != unixNano(epoch) {
		t.Errorf("sent: %+v", sent)
	}
	if retried.Status != "pending" || retried.Attempts != 1 || retried.DueAt != unixNano(later) || retried.LastError != "timeout" || retried.SentAt != nil {
		t.Errorf("retried: %+v", retried)
	}
	if back.Status != "pending" || back.Attempts != 0 || back.DueAt != unixNano(epoch) || back.LastError != "" {
		t.Errorf("handed back: %+v", back)
	}
	if failed.Status != "failed" || failed.LastError != "channel_not_found" || failed.Attempts != 0 || failed.Message == "{}" {
		t.Errorf("failed: %+v", failed)
	}
}

// deliveryTexts lists the deliveries' texts.
func deliveryTexts(ds []bot.Delivery) string {
	var texts []string
	for _, d := range ds {
		texts = append(texts, d.Message.Text)
	}
	return strings.Join(texts, ", ")
}

func TestExpiredClaimsAreTakenOver(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	enqueueTo(t, s, []bot.Subscriber{console("alice"), console("bob")}, 1)
	until := epoch.Add(time.Minute)
	claimed, err := s.Claim(ctx, "dead", consolePlatforms, epoch, 0, 10, until)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim: %d, %v", len(claimed), err)
	}
	if got, err := s.TakeOver(ctx, "alive", consolePlatforms, until.Add(-time.Nanosecond), until.Add(time.Minute)); err != nil || len(got) != 0 {
		t.Errorf("take over before the lease ran out: got %d, %v; want none", len(got), err)
	}
	got, err := s.TakeOver(ctx, "alive", consolePlatforms, until, until.Add(time.Minute))
	if err != nil || len(got) != 2 || got[0].ID != claimed[0].ID || got[1].ID != claimed[1].ID {
		t.Fatalf("take over once the lease ran out: got %+v, %v; want both claims", got, err)
	}
	if again, err := s.TakeOver(ctx, "third", consolePlatforms, until, until.Add(time.Minute)); err != nil || len(again) != 0 {
		t.Errorf("a second take over within the new lease: got %d, %v; want none", len(again), err)
	}
	// A row marked sending without a lease counts as run out.
	enqueueTo(t, s, []bot.Subscriber{console("carol")}, 1)
	due, _ := s.DueDeliveries(ctx, consolePlatforms, epoch, 0, 10)
	if len(due) != 1 {
		t.Fatalf("carol's delivery is not due: %+v", due)
	}
	if err := s.MarkSending(ctx, due[0].ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TakeOver(ctx, "alive", consolePlatforms, epoch, until); err != nil || len(got) != 1 || got[0].ID != due[0].ID {
		t.Errorf("take over of a row sending without a lease: got %+v, %v", got, err)
	}
}

// A claim waits while another holds the claim lock, and then sees what
// that one marked sending: a conversation whose first delivery was just
// claimed elsewhere gives none newer. Were the claim's rows read before it
// held the lock, alice's second delivery would go to a second worker while
// her first is still being sent.
func TestAClaimSeesTheClaimBeforeIt(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	enqueueTo(t, s, []bot.Subscriber{console("alice"), console("bob")}, 2)
	due, err := s.DueDeliveries(ctx, consolePlatforms, epoch, 0, 10)
	if err != nil || len(due) != 4 || due[0].To.User != "alice" {
		t.Fatalf("due: %+v, %v; want alice's, bob's, alice's and bob's", due, err)
	}
	until := epoch.Add(time.Minute)
	other, err := s.pool.Begin(ctx) // another worker's claim, under way
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback(ctx)
	if _, err := other.Exec(ctx, lockClaims); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec(ctx, `UPDATE outbox SET status = 'sending', lease_owner = 'other', lease_until = $1 WHERE id = $2`,
		unixNano(until), due[0].ID); err != nil {
		t.Fatal(err)
	}
	claimed := make(chan []bot.Delivery, 1)
	go func() {
		ds, err := s.Claim(ctx, "w", consolePlatforms, epoch, 0, 10, until)
		if err != nil {
			t.Error(err)
		}
		claimed <- ds
	}()
	select {
	case ds := <-claimed:
		t.Fatalf("a claim went ahead while another held the claim lock: %+v", ds)
	case <-time.After(200 * time.Millisecond):
	}
	if err := other.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range <-claimed {
		got = append(got, d.Key)
	}
	if want := []string{"k:bob:0", "k:bob:1"}; !slices.Equal(got, want) {
		t.Errorf("claimed %v once alice's first delivery was being sent; want %v", got, want)
	}
}

// A claim walks the pending rows in id order and stops at its limit,
// whatever the statistics the planner has of the outbox: on a table a
// fan-out has just filled, the planner would otherwise check every pending
// row and sort them all to keep the first few, a cost that grows with the
// outbox and that every claim pays while it holds the claim lock.
func TestClaimWalksThePendingRowsInOrder(t *testing.T) {
	s, _ := openTestStore(t)
	var subs []bot.Subscriber
	for i := range 20 {
		subs = append(subs, console(fmt.Sprintf("u%02d", i)))
	}
	enqueueTo(t, s, subs, 150) // 3000 pending, the table never analysed
	ctx := context.Background()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, lockClaims); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.Query(ctx, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) `+claimQuery,
		platformNames(consolePlatforms), unixNano(epoch), 0, 50, "w", unixNano(epoch.Add(time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	walked := slices.ContainsFunc(plan, func(line string) bool {
		return strings.Contains(line, "Index Scan using outbox_pending") && strings.Contains(line, "rows=50 ")
	})
	if strings.Contains(text, "Sort") || !walked {
		t.Errorf("a claim of 50 must read 50 pending rows by the index, in order, and sort nothing:\n%s", text)
	}
}
