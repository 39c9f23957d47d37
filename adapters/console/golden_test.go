package console

import (
	"context"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot/bottest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestSamplesGolden prints the core's sample messages as the console does;
// the Slack and Discord adapters render the same samples into their own
// golden files.
func TestSamplesGolden(t *testing.T) {
	for _, s := range bottest.SampleMessages() {
		t.Run(s.Name, func(t *testing.T) {
			var out strings.Builder
			c := New(nil, &out, "ann", bottest.SampleLocation)
			if _, err := c.Send(context.Background(), c.Subscriber(), s.Message); err != nil {
				t.Fatal(err)
			}
			bottest.Golden(t, filepath.Join("testdata", "samples", s.Name+".txt"), []byte(out.String()), *update)
		})
	}
}
