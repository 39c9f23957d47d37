package slack

import (
	"bytes"
	"context"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
)

// BenchmarkWorkspaceClient is what a distributed app pays to pick the
// client of the workspace a Web API call concerns: "cached" is every call
// after the first (a map lookup under a mutex), "first" is the first call
// after a start or a reinstall (the installation read from the store, here
// a map, its token opened with AES-GCM, a client made).
func BenchmarkWorkspaceClient(b *testing.B) {
	store := &memInstallStore{records: map[string]install.Record{}, removed: map[string]string{}}
	installs, err := install.New(install.Options{Store: store, Key: bytes.Repeat([]byte("s"), 32)})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := installs.Add(ctx, install.Installation{Platform: bot.PlatformSlack, Team: "T1", BotToken: "xoxb-1-2-abcdefghijklmnopqrstuvwx"}); err != nil {
		b.Fatal(err)
	}
	app := New(Options{APIURL: "http://127.0.0.1:1/", Installations: installs, StateKey: testStateKey})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			if _, err := app.web(ctx, "T1"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			app.forget("T1")
			if _, err := app.web(ctx, "T1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
