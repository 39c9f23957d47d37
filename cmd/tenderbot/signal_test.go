package main

import (
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the real main in a child process: the test
// binary re-executes itself with TENDERBOT_TEST_RUN_MAIN set.
func TestMain(m *testing.M) {
	if os.Getenv("TENDERBOT_TEST_RUN_MAIN") == "1" {
		os.Args = os.Args[:1] // the bot itself, without test flags
		main()
		os.Exit(0)
	}
	// The console follows the terminal's LANG; the tests expect English
	// whatever the machine they run on speaks.
	os.Unsetenv("LANG")
	os.Exit(m.Run())
}

func TestSIGTERMExitsZero(t *testing.T) {
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TENDERBOT_TEST_RUN_MAIN=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout syncBuffer
	cmd.Stdout = &stdout
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	io.WriteString(stdin, "subscribe cpv:45\n")
	waitFor(t, &stdout, "Saved profile")

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the bot did not exit within 20s of SIGTERM")
	}
	if strings.Contains(stdout.String(), "panic") {
		t.Errorf("output mentions a panic:\n%s", stdout.String())
	}
}
