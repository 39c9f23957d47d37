// Command tenderbot runs the bot: it reads procurement feeds, matches
// notices against subscribers' profiles and delivers alerts in chat. With no
// chat token configured it talks through the console (stdin/stdout), so
// `go run ./cmd/tenderbot` works on a fresh clone.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // dates show in the configured zone even where the OS has no zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tenderbot:", err)
		os.Exit(1)
	}
}

// run is the whole program, with its inputs and outputs passed in so tests
// can drive it. The first argument names a subcommand; without one the bot
// runs.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		cfg, err := loadConfig()
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stdin, stdout, stderr)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return usage(stdout)
	case "version", "--version":
		return printVersion(stdout)
	case "backup":
		return runBackup(ctx, args[1:], stdout)
	case "ingest":
		return runIngest(ctx, args[1:], stdout, stderr)
	case "match":
		return runMatch(ctx, args[1:], stdout, stderr)
	case "export-event":
		return runExportEvent(ctx, args[1:], stdout)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "migrate-store":
		return runMigrateStore(ctx, args[1:], stdout)
	case "verify-audit":
		return runVerifyAudit(args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q; try --help", args[0])
}
