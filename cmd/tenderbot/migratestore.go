package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/storage/postgres"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// copiedTables are the tables migrate-store copies, each before the tables
// whose rows refer to it.
var copiedTables = []string{
	"profiles", "profile_mutes", "notices", "notice_keys", "feeds", "cards", "outbox",
	"digest_items", "subscriber_settings", "actions", "follows", "roles",
	"events", "event_registrations", "event_questions", "event_materials", "audit_log", "audit_actors",
	"installations",
}

// skippedTables are not copied: the schema's record (PostgreSQL keeps its
// own), the memory of signed requests seen, and what people were in the
// middle of in chat (forms, unanswered interactions): all expire in minutes.
var skippedTables = []string{"schema_migrations", "seen_requests", "chat_state"}

// keptFanOuts holds the chunks of a large fan-out not yet written to the
// outbox; a running bot empties it. migrate-store copies a database only
// when it is empty, so no alert of a fan-out is lost on the way.
const keptFanOuts = "fanout_kept"

const migrateStoreUse = "migrate-store: write `tenderbot migrate-store --from sqlite:./tenderbot.db --to postgres://user:password@host:5432/db`"

// runMigrateStore copies a SQLite deployment into an empty PostgreSQL
// database: every table in one snapshot of the source and one transaction
// on the target, counts compared table by table, and every event's audit
// chain verified on the copy.
func runMigrateStore(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate-store", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	from := fs.String("from", "", "the SQLite database, as sqlite:PATH")
	to := fs.String("to", "", "the PostgreSQL database, as postgres://…")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errors.New(migrateStoreUse)
	}
	path, ok := strings.CutPrefix(*from, "sqlite:")
	if !ok || path == "" {
		return fmt.Errorf("migrate-store: --from %q is not sqlite:PATH; %s", *from, migrateStoreUse)
	}
	if *to == "" {
		return errors.New(migrateStoreUse)
	}
	if err := checkDatabaseURL(*to); err != nil {
		return fmt.Errorf("migrate-store: --to: %w", err)
	}
	src, err := openStore(ctx, Config{DB: path}, true)
	if err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	defer src.Close()
	dst, err := openStore(ctx, Config{DatabaseURL: *to}, false)
	if err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	defer dst.Close()
	fmt.Fprintf(stdout, "tenderbot: copying sqlite:%s to %s\n", path, feeds.Redact(*to))
	if err := copyStore(ctx, src.(*sqlite.Store), dst.(*postgres.Store), stdout); err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	events, entries, err := compareAuditChains(ctx, src, dst)
	if err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	fmt.Fprintf(stdout, "tenderbot: copied %d tables, every count agrees; %d audit chains (%d entries) verify and end on the same hashes\n",
		len(copiedTables), events, entries)
	return nil
}

// copyStore copies every table of src into dst, which must be empty,
// printing the counts of both sides.
func copyStore(ctx context.Context, src *sqlite.Store, dst *postgres.Store, stdout io.Writer) error {
	return src.Export(ctx, func(x *sqlite.Export) error {
		tables, err := x.Tables(ctx)
		if err != nil {
			return err
		}
		for _, t := range tables {
			if !slices.Contains(copiedTables, t) && !slices.Contains(skippedTables, t) && t != keptFanOuts {
				return fmt.Errorf("the SQLite database has a table %s that migrate-store does not know; nothing was copied", t)
			}
		}
		if slices.Contains(tables, keptFanOuts) {
			n, err := x.CountRows(ctx, keptFanOuts)
			if err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%d chunks of a fan-out are still waiting to be written; start the bot once so that it finishes them, stop it, and copy again; nothing was copied", n)
			}
		}
		return dst.Import(ctx, func(im *postgres.Import) error {
			for _, t := range copiedTables {
				n, err := im.CountRows(ctx, t)
				if err != nil {
					return err
				}
				if n > 0 {
					return fmt.Errorf("the PostgreSQL database is not empty (%s holds %d rows); copy into an empty one, nothing was copied", t, n)
				}
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "table\tsqlite\tpostgres\t")
			for _, t := range copiedTables {
				if !slices.Contains(tables, t) {
					return fmt.Errorf("the SQLite database has no table %s", t)
				}
				if err := copyTable(ctx, x, im, t, tw); err != nil {
					return err
				}
			}
			return tw.Flush()
		})
	})
}

// copyTable copies table t and checks that both sides count the same rows.
func copyTable(ctx context.Context, x *sqlite.Export, im *postgres.Import, t string, tw io.Writer) error {
	columns, rows, err := x.ReadTable(ctx, t)
	if err != nil {
		return err
	}
	sequence, err := x.Sequence(ctx, t)
	if err != nil {
		return err
	}
	copied, err := im.CopyTable(ctx, t, columns, rows, sequence)
	if err != nil {
		return err
	}
	want, err := x.CountRows(ctx, t)
	if err != nil {
		return err
	}
	got, err := im.CountRows(ctx, t)
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "%s\t%d\t%d\t\n", t, want, got)
	if got != want || copied != want {
		return fmt.Errorf("%s: SQLite holds %d rows, PostgreSQL %d after copying %d; nothing was copied", t, want, got, copied)
	}
	return nil
}

// compareAuditChains checks every event's audit chain on dst: it verifies,
// and it is src's, entry for entry. It returns how many chains and entries
// it checked.
func compareAuditChains(ctx context.Context, src, dst bot.Store) (events, entries int, err error) {
	all, err := src.Events(ctx, bot.EventDraft, bot.EventPublished, bot.EventCancelled)
	if err != nil {
		return 0, 0, err
	}
	for _, e := range all {
		want, err := src.AuditLog(ctx, e.ID)
		if err != nil {
			return 0, 0, err
		}
		got, err := dst.AuditLog(ctx, e.ID)
		if err != nil {
			return 0, 0, err
		}
		if err := audit.VerifyEntries(got); err != nil {
			return 0, 0, fmt.Errorf("the audit chain of event %d does not verify on PostgreSQL: %w", e.ID, err)
		}
		if len(got) != len(want) || len(got) > 0 && got[len(got)-1].Hash != want[len(want)-1].Hash {
			return 0, 0, fmt.Errorf("the audit chain of event %d differs on PostgreSQL: %d entries, want %d", e.ID, len(got), len(want))
		}
		if len(got) > 0 {
			events++
			entries += len(got)
		}
	}
	return events, entries, nil
}
