package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/matching"
)

// operatorActor is who an export from the command line is logged as in the
// event's audit chain.
const operatorActor = "operator"

// runExportEvent writes an event's record for the procurement file into a
// folder: tenderbot export-event ID --out DIR.
func runExportEvent(ctx context.Context, args []string, stdout io.Writer) error {
	const use = "export-event: write `tenderbot export-event ID --out DIR`, e.g. tenderbot export-event 3 --out ./event-3"
	fs := flag.NewFlagSet("export-event", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "folder to write the record into")
	var id int64
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return fmt.Errorf("%s (%v)", use, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		n, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || n <= 0 || id != 0 {
			return errors.New(use)
		}
		id, args = n, args[1:]
	}
	if id == 0 || *out == "" {
		return errors.New(use)
	}
	for _, name := range engage.RecordFiles {
		if _, err := os.Stat(filepath.Join(*out, name)); err == nil {
			return fmt.Errorf("export-event: %s exists in %s; choose a new folder, an export never overwrites", name, *out)
		}
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, true)
	if err != nil {
		return fmt.Errorf("export-event: %w", err)
	}
	defer store.Close()
	events := engage.New(engage.Options{Store: store, Matcher: matching.NewScan(), Rights: bot.Rights{Store: store}, Location: cfg.location, BaseURL: cfg.PublicURL})
	files, err := events.EventRecord(ctx, id, operatorActor)
	if err != nil {
		if bot.ErrorCode(err) != bot.EINTERNAL {
			return fmt.Errorf("export-event: %s", bot.ErrorMessage(err))
		}
		return fmt.Errorf("export-event: %w", err)
	}
	if err := os.MkdirAll(*out, 0o750); err != nil {
		return fmt.Errorf("export-event: %w", err)
	}
	for _, name := range engage.RecordFiles {
		if err := writeFileAtomic(filepath.Join(*out, name), files[name]); err != nil {
			return fmt.Errorf("export-event: %w", err)
		}
	}
	fmt.Fprintf(stdout, "tenderbot: wrote the record of event %d to %s (%s)\n", id, *out, strings.Join(engage.RecordFiles, ", "))
	return nil
}

// runVerifyAudit checks an exported audit.jsonl: tenderbot verify-audit
// FILE. With the export's event.json beside it, the chain must also end
// where the export says, so a log cut short is caught too.
func runVerifyAudit(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("verify-audit: write `tenderbot verify-audit PATH/audit.jsonl`")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf("verify-audit: %w", err)
	}
	n, err := audit.Verify(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("verify-audit: %s: %w", args[0], err)
	}
	summary := filepath.Join(filepath.Dir(args[0]), engage.RecordEvent)
	if raw, err := os.ReadFile(summary); err == nil {
		var want struct {
			Entries int    `json:"audit_entries"`
			Head    string `json:"audit_head_hash"`
		}
		if err := json.Unmarshal(raw, &want); err != nil {
			return fmt.Errorf("verify-audit: %s: %w", summary, err)
		}
		if head := lastHash(data); n != want.Entries || head != want.Head {
			return fmt.Errorf("verify-audit: %s holds %d entries ending in %s, but %s says %d ending in %s: entries are missing or were added",
				args[0], n, head, summary, want.Entries, want.Head)
		}
		fmt.Fprintf(stdout, "tenderbot: %s: the chain of %d entries is intact and ends where %s says\n", args[0], n, engage.RecordEvent)
		return nil
	}
	fmt.Fprintf(stdout, "tenderbot: %s: the chain of %d entries is intact\n", args[0], n)
	return nil
}

// lastHash is the hash of the last entry of a verified log.
func lastHash(log []byte) string {
	lines := strings.Split(strings.TrimSpace(string(log)), "\n")
	var e struct {
		Hash string `json:"hash"`
	}
	json.Unmarshal([]byte(lines[len(lines)-1]), &e)
	return e.Hash
}

// writeFileAtomic writes data to path through a temporary file, so a
// crash leaves the whole file or none.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
