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
	pr := c.Printer()
	if len(failed) == 0 {
		return Message{Text: pr.Sprintf("No delivery has failed.")}, nil
	}
	var sb strings.Builder
	sb.WriteString(pr.Sprintf("Deliveries that failed for good (newest first, at most %d):", maxFailedShown) + "\n")
	for _, d := range failed {
		sb.WriteString(pr.Sprintf("#%d %s to %s, %s: %s", d.ID, d.Purpose, d.To.Key(), b.formatTime(pr, d.CreatedAt), d.LastError) + "\n")
	}
	return Message{Text: strings.TrimRight(sb.String(), "\n")}, nil
}
