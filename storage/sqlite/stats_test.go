package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestBackupDuringWrites(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	for i := range 50 {
		if _, err := s.SaveNotice(ctx, bot.Notice{ID: fmt.Sprintf("before-%d", i), Title: "Renovatie sporthal"}, nil, bot.Effects{}); err != nil {
			t.Fatal(err)
		}
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			if _, err := s.SaveNotice(ctx, bot.Notice{ID: fmt.Sprintf("during-%d", i), Title: "Onderhoud"}, nil, bot.Effects{}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(ctx, path)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}

	copy, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer copy.Close()
	var check string
	if err := copy.reader.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check of the backup: %q, %v", check, err)
	}
	for i := range 50 {
		if _, err := copy.Notice(ctx, fmt.Sprintf("before-%d", i)); err != nil {
			t.Errorf("the backup lacks a notice committed before it began: %v", err)
		}
	}
	if err := s.Backup(ctx, path); err == nil {
		t.Error("a backup over an existing file succeeded; it must refuse")
	}
}
