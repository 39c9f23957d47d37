package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Workspace is the single workspace of the console platform.
const Workspace = "local"

// maxLineBytes bounds one command line.
const maxLineBytes = 64 * 1024

// Core is what the console needs from the bot core.
type Core interface {
	Handle(ctx context.Context, c bot.Command) bot.Message
	WaitIdle(ctx context.Context) error
	// LanguageFor is the language to speak to sub in the console's own
	// words: their choice with `language`, else locale, else the
	// workspace's.
	LanguageFor(ctx context.Context, sub bot.Subscriber, locale string) text.Language
}

// Console reads commands from an input and writes replies and alerts to an
// output. It is a bot.Messenger for the console platform.
type Console struct {
	in       io.Reader
	user     string
	location *time.Location
	// locale is the language the user reads, as the terminal says it
	// (nl, nl_NL.UTF-8): the core answers in it unless they chose another.
	locale string
	// echo repeats each command above its reply: wanted when commands come
	// through a pipe, not on a terminal, which shows what was typed.
	echo bool

	mu   sync.Mutex // serialises writes: replies and alerts interleave
	out  io.Writer
	sent int
}

// New returns a console for one local user, showing times in loc.
func New(in io.Reader, out io.Writer, user string, loc *time.Location) *Console {
	if loc == nil {
		loc = time.UTC
	}
	return &Console{in: in, out: out, user: user, location: loc, echo: !isTerminal(in)}
}

// SetLocale sets the language the console reports for its user: "nl",
// "en", or a LANG value such as "nl_NL.UTF-8"; "" reports none, and the
// core answers in the workspace's language. Call it before Run.
func (c *Console) SetLocale(locale string) { c.locale = locale }

// printer speaks the console user's language, for what the console says
// itself, outside the core's replies: the one they chose with `language`,
// else the terminal's.
func (c *Console) printer(ctx context.Context, core Core) text.Printer {
	return text.For(core.LanguageFor(ctx, c.Subscriber(), c.locale))
}

// isTerminal reports whether in is a terminal (a character device).
func isTerminal(in io.Reader) bool {
	f, ok := in.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// heldFor is how long a message to another console user waits before the
// outbox offers it again: it is theirs to see when they open the console.
const heldFor = time.Hour

// Subscriber is the console user as the core knows them.
func (c *Console) Subscriber() bot.Subscriber {
	return bot.Subscriber{Platform: bot.PlatformConsole, Workspace: Workspace, User: c.user}
}

// Run reads commands line by line until the input ends or ctx is done. At
// the end of input it waits for core.WaitIdle, so a piped session prints
// every alert its commands caused before Run returns.
func (c *Console) Run(ctx context.Context, core Core) error {
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		// The reader may block on a terminal past ctx: it is abandoned on
		// shutdown, which is fine for stdin.
		r := bufio.NewReader(c.in)
		for {
			line, err := readLine(r)
			if line != "" || errors.Is(err, errLineTooLong) {
				if errors.Is(err, errLineTooLong) {
					line, err = tooLongMark, nil
				}
				select {
				case lines <- line:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				readErr <- err
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-readErr:
			if err != nil {
				c.print(c.printer(ctx, core).Sprintf("! input stopped: %v", err))
			}
			if err := core.WaitIdle(ctx); err != nil && ctx.Err() == nil {
				return fmt.Errorf("console: %w", err)
			}
			return nil
		case line := <-lines:
			if line == tooLongMark {
				c.print(c.printer(ctx, core).Sprintf("! That line is longer than 64 KiB; I did not read it. Type a shorter command."))
				continue
			}
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			reply := core.Handle(ctx, bot.Command{From: c.Subscriber(), Text: line, Locale: c.locale})
			block := c.render(reply)
			if c.echo {
				block = "> " + line + "\n" + block
			}
			c.print(block)
		}
	}
}

// errLineTooLong reports a line past maxLineBytes, read to its end and
// dropped.
var errLineTooLong = errors.New("line too long")

// tooLongMark stands in the place of a line too long to read: no line read
// holds a NUL.
const tooLongMark = "\x00too long"

// readLine reads one line without its line ending. A line over
// maxLineBytes is read to its end and dropped, with errLineTooLong, so
// reading goes on at the next line; at the end of input the last line
// comes with io.EOF.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLineBytes+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if tooLong && (err == nil || errors.Is(err, io.EOF)) {
			return "", errLineTooLong
		}
		return strings.TrimRight(string(line), "\r\n"), err
	}
}

// Send prints a message addressed to the console user, or to a console
// channel (everyone at the console is in it). A message to another console
// user is not theirs to read here: it is held, and stays in the outbox
// until that user runs the console.
func (c *Console) Send(_ context.Context, to bot.Subscriber, m bot.Message) (string, error) {
	if to.Platform != bot.PlatformConsole {
		return "", &bot.PermanentError{Err: fmt.Errorf("console cannot deliver to %s", to.Key())}
	}
	if to.User != c.user && (to.User != "" || to.Channel == "") {
		return "", &bot.RetryAfterError{RetryAfter: heldFor, Err: fmt.Errorf("%s is not at this console (%s is)", to.Key(), c.user)}
	}
	block := c.render(m)
	if m.ReplyTo != "" {
		// A follow-up: indented under the message it follows.
		block = "  ↳ (about message " + m.ReplyTo + ")\n" + indent(block, "    ")
	}
	return c.print(block), nil
}

// print writes one block and returns its message id.
func (c *Console) print(block string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent++
	fmt.Fprintln(c.out, strings.TrimRight(block, "\n"))
	fmt.Fprintln(c.out)
	return fmt.Sprintf("console-%d", c.sent)
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
