package bot

import (
	"context"
	"fmt"
	"strings"
)

// maxFailedShown bounds the failed deliveries one reply lists.
const maxFailedShown = 20

// deliveries answers "deliveries failed": the dead letters with their
// reasons — every subscriber's for an admin, the asker's own for anyone
// else.
func (b *Bot) deliveries(ctx context.Context, c Command, args string) (Message, error) {
	if !strings.EqualFold(strings.TrimSpace(args), "failed") {
		return Message{}, Errorf(EINVALID, "Write `deliveries failed` to list the messages I could not deliver.")
	}
	to := c.From
	admin, err := b.rights.Can(ctx, c.From, RoleAdmin)
	if err != nil {
		return Message{}, err
	}
	if admin {
		to = Subscriber{} // everyone's
	}
	failed, err := b.store.Failed(ctx, to, maxFailedShown)
	if err != nil {
		return Message{}, fmt.Errorf("failed deliveries: %w", err)
	}
	if len(failed) == 0 {
		return Message{Text: "No delivery has failed."}, nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Deliveries that failed for good (newest first, at most %d):\n", maxFailedShown)
	for _, d := range failed {
		fmt.Fprintf(&sb, "#%d %s to %s, %s: %s\n", d.ID, d.Purpose, d.To.Key(), b.formatTime(c.Printer(), d.CreatedAt), d.LastError)
	}
	return Message{Text: strings.TrimRight(sb.String(), "\n")}, nil
}
