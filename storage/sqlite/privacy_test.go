package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot/storetest"
)

// findInDatabase returns the table.column of every value in the database
// that contains needle, scanning every column of every table.
func findInDatabase(t *testing.T, s *Store, needle string) []string {
	t.Helper()
	ctx := context.Background()
	tables, err := s.reader.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var name string
		if err := tables.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	tables.Close()
	var found []string
	for _, table := range names {
		for _, row := range tableRows(t, s, table, "") {
			for col, v := range row {
				var text string
				switch v := v.(type) {
				case string:
					text = v
				case []byte:
					text = string(v)
				default:
					text = fmt.Sprint(v)
				}
				if strings.Contains(text, needle) && !slices.Contains(found, table+"."+col) {
					found = append(found, table+"."+col)
				}
			}
		}
	}
	slices.Sort(found)
	return found
}

// tableRows returns every row of table as column → value, in the order
// given ("" for any).
func tableRows(t *testing.T, s *Store, table, order string) []map[string]any {
	t.Helper()
	q := fmt.Sprintf(`SELECT * FROM %q`, table)
	if order != "" {
		q += " ORDER BY " + order
	}
	rows, err := s.reader.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			row[c] = vals[i]
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	return out
}

// TestForgetLeavesNoTraceInAnyTable scans every column of every table for
// the person forgotten; storetest's ForgetKeepsTheRecordUnsigned checks
// what stays.
func TestForgetLeavesNoTraceInAnyTable(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	who, _ := storetest.SeedPerson(t, s)

	// The scan finds her before: it would see her after.
	found := findInDatabase(t, s, who.User)
	for _, want := range []string{"event_registrations.user_id", "event_questions.asker_user_id", "audit_actors.user_id", "events.organizer_user_id", "profiles.user_id", "outbox.key"} {
		if !slices.Contains(found, want) {
			t.Errorf("before forgetting, the scan did not find her in %s (found %v)", want, found)
		}
	}
	auditBefore := tableRows(t, s, "audit_log", "event_id, seq")
	if len(auditBefore) != 2 {
		t.Fatalf("audit_log has %d rows, want 2", len(auditBefore))
	}

	if err := s.Forget(ctx, who); err != nil {
		t.Fatal(err)
	}

	if found := findInDatabase(t, s, who.User); len(found) != 0 {
		t.Errorf("after forgetting her, she is still in %v", found)
	}
	equal(t, "audit_log after forgetting", tableRows(t, s, "audit_log", "event_id, seq"), auditBefore)
}
