package bot_test

import (
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestParseKind(t *testing.T) {
	for in, want := range map[string]bot.Kind{"tender": bot.KindTender, " Early ": bot.KindEarly, "AWARD": bot.KindAward, "change": bot.KindChange, "other": bot.KindOther} {
		if got, err := bot.ParseKind(in); got != want || err != nil {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "tenders", "early engagement"} {
		if _, err := bot.ParseKind(in); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("ParseKind(%q): got %v, want EINVALID", in, err)
		}
	}
}
