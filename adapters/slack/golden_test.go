package slack

import (
	"path/filepath"
	"testing"

	"github.com/tenderbot/tenderbot/bot/bottest"
)

// TestSamplesGolden renders the core's sample messages as Block Kit; the
// console and Discord adapters render the same samples into their own
// golden files.
func TestSamplesGolden(t *testing.T) {
	for _, s := range bottest.SampleMessages() {
		t.Run(s.Name, func(t *testing.T) {
			r := renderMessage(s.Message, bottest.SampleLocation, messageBlockLimit)
			golden(t, filepath.Join("samples", s.Name+".json"), map[string]any{"text": r.fallback, "blocks": r.blocks})
		})
	}
}
