package storetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

func outboxTests() []test {
	return []test{
		{"EnqueueRoundTrip", testEnqueueRoundTrip},
		{"EnqueueIsIdempotentByKey", testEnqueueIsIdempotentByKey},
		{"EnqueueWithoutKey", testEnqueueWithoutKey},
		{"DueDeliveriesKeepOrderBehindARetry", testDueDeliveriesKeepOrderBehindARetry},
		{"DueDeliveries", testDueDeliveries},
		{"DeliveryOutcomes", testDeliveryOutcomes},
		{"DeliveryOutcomesOfUnknownDelivery", testDeliveryOutcomesOfUnknownDelivery},
		{"CancelPendingByPrefixWithAccents", testCancelPendingByPrefixWithAccents},
		{"RecordSettlesABatch", testRecordSettlesABatch},
		{"RecordIsAllOrNothing", testRecordIsAllOrNothing},
	}
}

// The worker takes a batch to send in one write and records what became of
// it in one more: sent, due again after a failed attempt, handed back
// untried, failed for good.
func testRecordSettlesABatch(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	var ids []int64
	for _, key := range []string{"sent", "retry", "back", "failed"} {
		d := testDelivery(key, alice, epoch)
		if _, err := s.Enqueue(ctx, &d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	if err := s.MarkSending(ctx, ids...); err != nil {
		t.Fatal(err)
	}
	if sending, err := s.Sending(ctx); err != nil || len(sending) != 4 {
		t.Fatalf("sending: %d, %v; want all 4", len(sending), err)
	}
	later := epoch.Add(time.Minute)
	err := s.Record(ctx, []bot.DeliveryResult{
		{ID: ids[0], Status: bot.StatusSent, At: epoch, PlatformMessageID: "m-1"},
		{ID: ids[1], Status: bot.StatusPending, At: later, Attempted: true, Reason: "503"},
		{ID: ids[2], Status: bot.StatusPending},
		{ID: ids[3], Status: bot.StatusFailed, Reason: "channel_not_found"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bot.Delivery{}
	for _, d := range outbox(t, s) {
		got[d.Key] = d
	}
	if d := got["sent"]; d.Status != bot.StatusSent || d.PlatformMessageID != "m-1" || d.Message.Text != "" {
		t.Errorf("sent: %+v; want sent, m-1, without its message", d)
	}
	if d := got["retry"]; d.Status != bot.StatusPending || d.Attempts != 1 || !d.DueAt.Equal(later) || d.LastError != "503" {
		t.Errorf("retry: %+v; want pending, 1 attempt, due %v, 503", d, later)
	}
	if d := got["back"]; d.Status != bot.StatusPending || d.Attempts != 0 || !d.DueAt.Equal(epoch) || d.Message.Text == "" {
		t.Errorf("handed back: %+v; want pending as it was", d)
	}
	if d := got["failed"]; d.Status != bot.StatusFailed || d.LastError != "channel_not_found" {
		t.Errorf("failed: %+v; want failed, channel_not_found", d)
	}
}

// A batch that names a delivery that is not there records nothing.
func testRecordIsAllOrNothing(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	d := testDelivery("k", alice, epoch)
	if _, err := s.Enqueue(ctx, &d); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "mark a missing delivery sending", s.MarkSending(ctx, d.ID, 404), bot.ENOTFOUND)
	if sending, _ := s.Sending(ctx); len(sending) != 0 {
		t.Errorf("after a refused batch: %d sending, want none", len(sending))
	}
	err := s.Record(ctx, []bot.DeliveryResult{{ID: d.ID, Status: bot.StatusSent, At: epoch}, {ID: 404, Status: bot.StatusSent}})
	wantCode(t, "record a missing delivery", err, bot.ENOTFOUND)
	if got := getDelivery(t, s, d.ID); got.Status != bot.StatusPending {
		t.Errorf("after a refused batch: %s, want pending", got.Status)
	}
}

var allPlatforms = []bot.Platform{bot.PlatformConsole, bot.PlatformSlack, bot.PlatformDiscord}

// testDelivery is an alert to sub under key, due at due.
func testDelivery(key string, sub bot.Subscriber, due time.Time) bot.Delivery {
	return bot.Delivery{
		Key:       key,
		To:        sub,
		Purpose:   bot.PurposeAlert,
		NoticeID:  "2026/S 045-123456",
		ProfileID: 7,
		Message:   bot.Message{Text: "New tender for your profile \"bouw\":"},
		DueAt:     due,
	}
}

// getDelivery reads delivery id whatever its status.
func getDelivery(t *testing.T, s bot.Store, id int64) bot.Delivery {
	t.Helper()
	for _, d := range outbox(t, s) {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("delivery %d: not found", id)
	return bot.Delivery{}
}

// outbox returns every delivery to the suite's people, whatever its status,
// by ID. The contract reads a sent, failed or cancelled delivery back only
// as part of its recipient's personal data.
func outbox(t *testing.T, s bot.Store) []bot.Delivery {
	t.Helper()
	var all []bot.Delivery
	for _, who := range people {
		data, err := s.PersonalData(context.Background(), who)
		if err != nil {
			t.Fatalf("personal data of %s: %v", who.Key(), err)
		}
		all = append(all, data.Deliveries...)
	}
	slices.SortFunc(all, func(a, b bot.Delivery) int { return cmp.Compare(a.ID, b.ID) })
	return all
}

func testEnqueueRoundTrip(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	d := testDelivery("alert:slack/T1/@U-alice:n1", alice, epoch.Add(time.Minute))
	d.Message.Cards = []bot.Card{{
		Notice:   FullNotice(),
		CPV:      []bot.CodeName{{Code: "45212225", Label: "Bouwwerkzaamheden voor sportfaciliteiten"}},
		Regions:  []bot.CodeName{{Code: "NL213"}},
		Profile:  "bouw",
		Reasons:  []string{"cpv 45212225 under 45000000", "keyword 'renovatie' in title"},
		DaysLeft: 60,
	}}
	// Whatever the caller says, a new delivery is pending, unattempted and
	// created now.
	d.Status, d.Attempts, d.LastError = bot.StatusSent, 3, "stale"

	ok, err := s.Enqueue(ctx, &d)
	if err != nil {
		t.Fatal(err)
	}
	if !ok || d.ID == 0 {
		t.Fatalf("Enqueue: got ok %v, ID %d; want true and an ID", ok, d.ID)
	}
	want := d
	want.Status, want.Attempts, want.LastError = bot.StatusPending, 0, ""
	want.CreatedAt = epoch
	if d.Status != bot.StatusPending || d.Attempts != 0 || !d.CreatedAt.Equal(epoch) {
		t.Errorf("Enqueue set status %s, attempts %d, created %v; want pending, 0, %v", d.Status, d.Attempts, d.CreatedAt, epoch)
	}
	equal(t, "stored delivery", getDelivery(t, s, d.ID), want)

	has, err := s.HasDelivery(ctx, d.Key)
	if err != nil || !has {
		t.Errorf("HasDelivery(%s): got %v, %v; want true", d.Key, has, err)
	}
	has, err = s.HasDelivery(ctx, "alert:other")
	if err != nil || has {
		t.Errorf("HasDelivery(unknown): got %v, %v; want false", has, err)
	}
}

func testEnqueueIsIdempotentByKey(t *testing.T, s bot.Store, clock *bottest.Clock) {
	ctx := context.Background()
	first := testDelivery("k", alice, time.Time{})
	if ok, err := s.Enqueue(ctx, &first); err != nil || !ok {
		t.Fatalf("first enqueue: got %v, %v; want true", ok, err)
	}
	if !first.DueAt.Equal(epoch) {
		t.Errorf("zero due time: got %v, want now (%v)", first.DueAt, epoch)
	}

	clock.Advance(time.Hour)
	second := testDelivery("k", bob, epoch.Add(-time.Hour))
	second.Message.Text = "something else"
	before := second
	ok, err := s.Enqueue(ctx, &second)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Error("second enqueue with the same key: got true, want false")
	}
	equal(t, "the second delivery after a refused enqueue", second, before)
	equal(t, "the stored delivery", getDelivery(t, s, first.ID), first)

	// The key stays taken once the delivery has been sent.
	if err := s.MarkSent(ctx, first.ID, clock.Now(), "m1"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Enqueue(ctx, &second); err != nil || ok {
		t.Errorf("enqueue after sending: got %v, %v; want false", ok, err)
	}
}

func testEnqueueWithoutKey(t *testing.T, s bot.Store, _ *bottest.Clock) {
	d := testDelivery("", alice, epoch)
	if ok, err := s.Enqueue(context.Background(), &d); err == nil || ok {
		t.Errorf("enqueue without a key: got %v, %v; want an error", ok, err)
	}
}

func testDueDeliveriesKeepOrderBehindARetry(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	var ids []int64
	for _, key := range []string{"a-1", "a-2", "b-1"} {
		sub := alice
		if key == "b-1" {
			sub = bob
		}
		d := testDelivery(key, sub, epoch)
		if _, err := s.Enqueue(ctx, &d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	// a-1 failed and waits for its retry: a-2 waits behind it, b-1 does not.
	if err := s.Reschedule(ctx, ids[0], epoch.Add(time.Minute), "reset"); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueDeliveries(ctx, allPlatforms, epoch, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := deliveryKeys(due); got != "b-1" {
		t.Errorf("while a-1 waits: got %q, want only b-1", got)
	}
	due, _ = s.DueDeliveries(ctx, allPlatforms, epoch.Add(time.Minute), 0, 10)
	if got := deliveryKeys(due); got != "a-1 a-2 b-1" {
		t.Errorf("once a-1 is due: got %q, want a-1 a-2 b-1", got)
	}
}

func testDueDeliveries(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	discord := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: "G1", User: "U1"}
	enqueue := func(key string, sub bot.Subscriber, due time.Time) int64 {
		d := testDelivery(key, sub, due)
		if _, err := s.Enqueue(ctx, &d); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	min := func(m int) time.Time { return epoch.Add(time.Duration(m) * time.Minute) }
	enqueue("slack-late", alice, min(5))
	enqueue("slack-early", alice, min(1))
	enqueue("discord-mid", discord, min(3))
	enqueue("slack-tie-a", bob, min(3))
	enqueue("slack-tie-b", bob, min(3))
	enqueue("slack-future", alice, min(60))
	sent := enqueue("slack-sent", alice, min(0))
	failed := enqueue("slack-failed", alice, min(0))
	if err := s.MarkSent(ctx, sent, epoch, "m"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, failed, "channel_not_found"); err != nil {
		t.Fatal(err)
	}

	slack := []bot.Platform{bot.PlatformSlack}
	tests := []struct {
		name      string
		platforms []bot.Platform
		now       time.Time
		limit     int
		want      string
	}{
		{"in enqueue order", allPlatforms, min(10), 10, "slack-late slack-early discord-mid slack-tie-a slack-tie-b"},
		{"one platform", slack, min(10), 10, "slack-late slack-early slack-tie-a slack-tie-b"},
		{"due exactly now", slack, min(3), 10, "slack-early slack-tie-a slack-tie-b"},
		{"nothing due yet", allPlatforms, epoch, 10, ""},
		{"limit", allPlatforms, min(10), 2, "slack-late slack-early"},
		{"limit zero", allPlatforms, min(10), 0, ""},
		{"no platforms", nil, min(10), 10, ""},
		{"a platform with nothing", []bot.Platform{bot.PlatformConsole}, min(10), 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, err := s.DueDeliveries(ctx, tt.platforms, tt.now, 0, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := deliveryKeys(due); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Read in batches, each after the last ID of the one before: every due
	// delivery once, in order.
	var batches []string
	var after int64
	for {
		due, err := s.DueDeliveries(ctx, allPlatforms, min(10), after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			break
		}
		batches = append(batches, deliveryKeys(due))
		after = due[len(due)-1].ID
	}
	if got, want := strings.Join(batches, " | "), "slack-late slack-early | discord-mid slack-tie-a | slack-tie-b"; got != want {
		t.Errorf("in batches after the last: got %q, want %q", got, want)
	}

	nextTests := []struct {
		name      string
		platforms []bot.Platform
		want      time.Time
		wantOK    bool
	}{
		{"earliest of all, past or not", allPlatforms, min(1), true},
		{"discord", []bot.Platform{bot.PlatformDiscord}, min(3), true},
		{"nothing pending", []bot.Platform{bot.PlatformConsole}, time.Time{}, false},
		{"no platforms", nil, time.Time{}, false},
	}
	for _, tt := range nextTests {
		t.Run("next due/"+tt.name, func(t *testing.T) {
			got, ok, err := s.NextDue(ctx, tt.platforms, epoch)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || !got.Equal(tt.want) {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// deliveryKeys joins the deliveries' keys with spaces.
func deliveryKeys(ds []bot.Delivery) string {
	var s string
	for i, d := range ds {
		if i > 0 {
			s += " "
		}
		s += d.Key
	}
	return s
}

func testDeliveryOutcomes(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	d := testDelivery("k", alice, epoch)
	if _, err := s.Enqueue(ctx, &d); err != nil {
		t.Fatal(err)
	}
	slack := []bot.Platform{bot.PlatformSlack}
	later := epoch.Add(30 * time.Second)

	// Rescheduled twice: pending, two attempts, the last reason, due later.
	if err := s.Reschedule(ctx, d.ID, epoch.Add(10*time.Second), "rate limited"); err != nil {
		t.Fatal(err)
	}
	if err := s.Reschedule(ctx, d.ID, later, "retry after 30s: rate limited"); err != nil {
		t.Fatal(err)
	}
	want := d
	want.Attempts, want.DueAt, want.LastError = 2, later, "retry after 30s: rate limited"
	equal(t, "rescheduled", getDelivery(t, s, d.ID), want)
	if due, _ := s.DueDeliveries(ctx, slack, epoch, 0, 10); len(due) != 0 {
		t.Errorf("due before the new time: got %v, want none", deliveryKeys(due))
	}
	if due, _ := s.DueDeliveries(ctx, slack, later, 0, 10); deliveryKeys(due) != "k" {
		t.Errorf("due at the new time: got %q, want k", deliveryKeys(due))
	}
	if next, ok, _ := s.NextDue(ctx, slack, epoch); !ok || !next.Equal(later) {
		t.Errorf("next due: got %v, %v; want %v", next, ok, later)
	}

	sentAt := later.Add(time.Second)
	if err := s.MarkSent(ctx, d.ID, sentAt, "1700000000.000100"); err != nil {
		t.Fatal(err)
	}
	// Once sent, a delivery keeps its key, status and platform message id,
	// not its message.
	want.Status, want.SentAt, want.PlatformMessageID, want.Message = bot.StatusSent, sentAt, "1700000000.000100", bot.Message{}
	equal(t, "sent", getDelivery(t, s, d.ID), want)
	if _, ok, _ := s.NextDue(ctx, slack, epoch); ok {
		t.Error("next due after sending: got one, want none")
	}

	f := testDelivery("f", alice, epoch)
	if _, err := s.Enqueue(ctx, &f); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, f.ID, "permanent: channel_not_found"); err != nil {
		t.Fatal(err)
	}
	wantFailed := f
	wantFailed.Status, wantFailed.LastError = bot.StatusFailed, "permanent: channel_not_found"
	equal(t, "failed", getDelivery(t, s, f.ID), wantFailed)
	if due, _ := s.DueDeliveries(ctx, slack, later, 0, 10); len(due) != 0 {
		t.Errorf("due after sent and failed: got %v, want none", deliveryKeys(due))
	}
}

func testDeliveryOutcomesOfUnknownDelivery(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	const id = 404
	tests := []struct {
		name string
		call func() error
	}{
		{"MarkSent", func() error { return s.MarkSent(ctx, id, epoch, "m") }},
		{"Reschedule", func() error { return s.Reschedule(ctx, id, epoch, "x") }},
		{"MarkFailed", func() error { return s.MarkFailed(ctx, id, "x") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, fmt.Sprintf("%s(%d)", tt.name, id), tt.call(), bot.ENOTFOUND)
		})
	}
}

func testCancelPendingByPrefixWithAccents(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	keep := testDelivery("event-reminder:1:console/local/@zoëy:24h:2", zoe, epoch)
	gone := testDelivery("event-reminder:1:console/local/@zoë:24h:2", zoe, epoch)
	for _, d := range []*bot.Delivery{&keep, &gone} {
		if _, err := s.Enqueue(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CancelPending(ctx, "event-reminder:1:console/local/@zoë:"); err != nil {
		t.Fatal(err)
	}
	if got := getDelivery(t, s, gone.ID).Status; got != bot.StatusCancelled {
		t.Errorf("the prefix with ë did not cancel its delivery: %s", got)
	}
	if got := getDelivery(t, s, keep.ID).Status; got != bot.StatusPending {
		t.Errorf("another person's delivery was cancelled: %s", got)
	}
}
