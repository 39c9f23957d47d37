package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/adapters/mail"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// envPrefix is the prefix of every configuration variable.
const envPrefix = "TENDERBOT"

// Config is the whole configuration, read from TENDERBOT_* environment
// variables. `tenderbot --help` lists them from this struct, so the list
// cannot drift from the code.
type Config struct {
	DB                string        `envconfig:"DB" default:"tenderbot.db" desc:"path of the SQLite database file (created if missing)"`
	DatabaseURL       string        `envconfig:"DATABASE_URL" desc:"PostgreSQL database (postgres://user:password@host:5432/db?sslmode=require) to use instead of the SQLite file TENDERBOT_DB; unset: SQLite"`
	OutboxLease       time.Duration `envconfig:"OUTBOX_LEASE" default:"20s" desc:"on PostgreSQL, how long a replica's claim on the deliveries it sends lasts; a replica that dies has its claims taken over once that runs out, within half as long again (unused on SQLite)"`
	Feeds             []string      `envconfig:"FEEDS" desc:"comma-separated feeds to poll: URLs, local paths, ted:<query>, tenderned (TenderNed's publications API) or de (Germany's daily eForms exports), each optionally followed by ' kind=tender' (the kind of its items that say none); unset: the example feed built into the binary"`
	PollInterval      time.Duration `envconfig:"POLL_INTERVAL" default:"15m" desc:"how often each feed is polled; the first poll runs at start"`
	FetchTimeout      time.Duration `envconfig:"FETCH_TIMEOUT" default:"30s" desc:"time limit for fetching one feed"`
	FeedMaxBytes      int64         `envconfig:"FEED_MAX_BYTES" default:"10485760" desc:"largest feed body read, in bytes"`
	FeedRoundBudget   time.Duration `envconfig:"FEED_ROUND_BUDGET" default:"2m" desc:"time limit for reading one feed in a round, all its pages together; a feed past it fails that round, reported in its own health"`
	FeedWorkers       int           `envconfig:"FEED_WORKERS" default:"4" desc:"how many hosts are polled at once; one host's feeds are always read one at a time"`
	FeedsAllowPrivate bool          `envconfig:"FEEDS_ALLOW_PRIVATE" default:"false" desc:"let partners add feeds on private and loopback addresses (closed deployments, tests); the operator's TENDERBOT_FEEDS are always trusted"`
	FeedsAllowPorts   []int         `envconfig:"FEEDS_ALLOW_PORTS" desc:"comma-separated ports partners' feeds may use besides 80, 443, 8080 and 8443 (TENDERBOT_FEEDS_ALLOW_PRIVATE does not open ports)"`
	TEDAPIURL         string        `envconfig:"TED_API_URL" default:"https://api.ted.europa.eu/v3/notices/search" desc:"TED Search API endpoint that ted: feeds query"`
	TenderNedAPIURL   string        `envconfig:"TENDERNED_API_URL" default:"https://www.tenderned.nl/papi/tenderned-rs-tns/v2/publicaties" desc:"TenderNed publications API that the tenderned feed and TenderNed Atom feeds read (mirrors, tests)"`
	DEExportsURL      string        `envconfig:"DE_EXPORTS_URL" default:"https://oeffentlichevergabe.de/api/notice-exports" desc:"German notice export service (oeffentlichevergabe.de) that the de feed reads a ZIP a day from"`
	Retention         Days          `envconfig:"RETENTION" default:"400d" desc:"how long delivered messages and notice texts are kept, in days (400d) or as a duration (9600h); 0 keeps them"`
	CPVFile           string        `envconfig:"CPV_FILE" desc:"CSV of CPV codes with English and Dutch labels (code,division,significant_digits,label_en,label_nl); in place of the built-in CPV 2008 list; queries naming other codes are refused"`
	NUTSFile          string        `envconfig:"NUTS_FILE" desc:"CSV of NUTS codes with labels (code,level,label_en,label_nl,...); in place of the built-in eForms NUTS list; queries naming other regions are refused"`
	Language          string        `envconfig:"LANGUAGE" desc:"the language the bot speaks to those who chose none and whose chat reports none: nl (Nederlands) or en (English); the console and the events feed (without ?lang) speak it too; unset: English, and the console follows LANG"`
	Timezone          string        `envconfig:"TIMEZONE" default:"Europe/Amsterdam" desc:"time zone in which dates are shown"`
	DigestTime        string        `envconfig:"DIGEST_TIME" default:"08:00" desc:"local time at which daily and weekly digests go out"`
	DigestWeekday     string        `envconfig:"DIGEST_WEEKDAY" default:"monday" desc:"day on which weekly digests go out"`
	AlertCapPerHour   int           `envconfig:"ALERT_CAP_PER_HOUR" default:"30" desc:"most instant alerts one subscriber gets in an hour; the rest go into the next daily digest (0: no cap)"`
	Admins            []string      `envconfig:"ADMINS" desc:"comma-separated admins as platform:workspace:user (e.g. slack:T0123:U0456); none: the console user is the admin"`
	Console           string        `envconfig:"CONSOLE" default:"auto" desc:"the terminal chat: auto (on while no Slack or Discord token is set), on, or off (headless: read feeds, serve HTTP, keep alerts in the outbox)"`
	ConsoleUser       string        `envconfig:"CONSOLE_USER" default:"local" desc:"who you are in the console chat; profiles are saved under this name"`
	LogLevel          string        `envconfig:"LOG_LEVEL" desc:"debug, info, warn or error; unset: info, or warn while the console chat runs"`
	LogFormat         string        `envconfig:"LOG_FORMAT" default:"auto" desc:"text, json, or auto: text on a terminal, JSON otherwise"`
	HTTPAddr          string        `envconfig:"HTTP_ADDR" default:"127.0.0.1:8080" desc:"address of the HTTP listener (/healthz, /readyz, /metrics, the public /events pages); empty turns it off"`
	PublicURL         string        `envconfig:"PUBLIC_URL" desc:"public address of the HTTP listener (https://tenderbot.example.org), for links to event pages and calendar files in chat; unset: http://HTTP_ADDR"`
	EventChannels     []string      `envconfig:"EVENT_CHANNELS" desc:"comma-separated channels where new events are announced, as platform:workspace:channel (e.g. slack:T0123:C0456)"`
	ShutdownTimeout   time.Duration `envconfig:"SHUTDOWN_TIMEOUT" default:"10s" desc:"how long a send or HTTP request in flight may take to finish on shutdown"`

	SMTPURL   string `envconfig:"SMTP_URL" desc:"SMTP server for mail to people who register on an event's page: smtp://user:password@host:587 (STARTTLS, required with a password) or smtps://user:password@host:465 (implicit TLS); unset: no mail, and the pages say to register in chat"`
	SMTPFrom  string `envconfig:"SMTP_FROM" desc:"sender of that mail, an address or \"Name <address>\"; required with TENDERBOT_SMTP_URL"`
	SecretKey string `envconfig:"SECRET_KEY" desc:"at least 32 characters that sign the registration form's CSRF tokens and the unsubscribe links; unset: a random key per process, so forms and links stop working at a restart"`

	SlackBotToken      string `envconfig:"SLACK_BOT_TOKEN" desc:"Slack bot token (xoxb-…); set, the bot runs in Slack"`
	SlackAppToken      string `envconfig:"SLACK_APP_TOKEN" desc:"Slack app-level token (xapp-…, scope connections:write) for Socket Mode: no public URL needed"`
	SlackSigningSecret string `envconfig:"SLACK_SIGNING_SECRET" desc:"Slack signing secret for HTTP mode (Events API, /tender and interactivity under /slack/ on the HTTP listener), instead of Socket Mode"`
	SlackAPIURL        string `envconfig:"SLACK_API_URL" default:"https://slack.com/api/" desc:"Slack Web API base URL"`
	SlackClientID      string `envconfig:"SLACK_CLIENT_ID" desc:"Slack app's client id (Basic Information → App Credentials) for distribution to many workspaces: with TENDERBOT_SLACK_CLIENT_SECRET and no bot token, every workspace that installs the app through /slack/install is served with its own token"`
	SlackClientSecret  string `envconfig:"SLACK_CLIENT_SECRET" desc:"Slack app's client secret, for the token exchange (oauth.v2.access) of an install"`
	SlackOAuthURL      string `envconfig:"SLACK_OAUTH_URL" default:"https://slack.com/oauth/v2/authorize" desc:"Slack's authorize page, which the Add to Slack link leads to"`

	DiscordToken     string `envconfig:"DISCORD_TOKEN" desc:"Discord bot token (your application → Bot → Reset Token); set, the bot runs in Discord"`
	DiscordAppID     string `envconfig:"DISCORD_APP_ID" desc:"Discord application id (General Information → Application ID), needed with the token"`
	DiscordPublicKey string `envconfig:"DISCORD_PUBLIC_KEY" desc:"Discord application public key (hex) for HTTP interactions at /discord/interactions on the HTTP listener, instead of the gateway"`
	DiscordGuildID   string `envconfig:"DISCORD_GUILD_ID" desc:"Discord server id to register /tender in only, where changes show at once (development); unset: globally"`
	DiscordAPIURL    string `envconfig:"DISCORD_API_URL" default:"https://discord.com/api/v9/" desc:"Discord REST API base URL; the gateway's URL is asked of it"`

	smtp             mail.Server
	language         text.Language
	terminalLang     string // LANG, read with the rest of the environment
	location         *time.Location
	discordPublicKey ed25519.PublicKey
	admins           []bot.Subscriber
	eventChannels    []bot.Subscriber
}

// loadConfig reads and validates the configuration from the environment.
func loadConfig() (Config, error) {
	var cfg Config
	if err := envconfig.Process(envPrefix, &cfg); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	cfg.terminalLang = os.Getenv("LANG")
	if err := cfg.validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// validate checks every value and says, per variable, what is wrong.
func (c *Config) validate() error {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s_%s: %s", envPrefix, name, fmt.Sprintf(format, args...)))
	}
	if strings.TrimSpace(c.DB) == "" {
		bad("DB", "must name a file, e.g. ./tenderbot.db")
	}
	if err := checkDatabaseURL(c.DatabaseURL); err != nil {
		bad("DATABASE_URL", "%v", err)
	}
	if c.PollInterval < time.Second {
		bad("POLL_INTERVAL", "%s is too short; use a duration such as 15m or 1h", c.PollInterval)
	}
	if c.FetchTimeout <= 0 {
		bad("FETCH_TIMEOUT", "must be positive, e.g. 30s")
	}
	if c.FeedRoundBudget < c.FetchTimeout {
		bad("FEED_ROUND_BUDGET", "%s is shorter than TENDERBOT_FETCH_TIMEOUT (%s); a feed needs at least one fetch", c.FeedRoundBudget, c.FetchTimeout)
	}
	if c.FeedWorkers < 1 {
		bad("FEED_WORKERS", "%d is too few; use 1 or more (the default is 4)", c.FeedWorkers)
	}
	if c.FeedMaxBytes < 1024 {
		bad("FEED_MAX_BYTES", "%d is too small; the default is 10485760 (10 MiB)", c.FeedMaxBytes)
	}
	for _, f := range c.Feeds {
		if err := checkFeedLocation(f); err != nil {
			bad("FEEDS", "%v", err)
		}
	}
	for name, v := range map[string]string{"TENDERNED_API_URL": c.TenderNedAPIURL, "DE_EXPORTS_URL": c.DEExportsURL} {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(name, "%q is not an http(s) address", feeds.Redact(v))
		}
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		bad("TIMEZONE", "%q is not a time zone; use an IANA name such as Europe/Amsterdam", c.Timezone)
	}
	c.location = loc
	c.language = ""
	if c.Language != "" {
		l, ok := text.Parse(c.Language)
		if !ok {
			bad("LANGUAGE", "%q is not a language the bot speaks; use nl (Nederlands) or en (English)", c.Language)
		}
		c.language = l
	}
	if _, err := parseLogLevel(c.LogLevel); err != nil {
		bad("LOG_LEVEL", "%v", err)
	}
	switch c.Console {
	case "auto", "on", "off":
	default:
		bad("CONSOLE", "%q is not a choice; use auto, on or off", c.Console)
	}
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		bad("LOG_FORMAT", "%q is not a format; use text, json or auto", c.LogFormat)
	}
	if c.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			bad("HTTP_ADDR", "%q is not host:port, e.g. 127.0.0.1:8080 (empty turns the listener off)", c.HTTPAddr)
		}
	}
	if _, err := time.Parse("15:04", c.DigestTime); err != nil {
		bad("DIGEST_TIME", "%q is not a time of day; use 24-hour HH:MM such as 08:00", c.DigestTime)
	}
	if _, ok := weekdays[strings.ToLower(c.DigestWeekday)]; !ok {
		bad("DIGEST_WEEKDAY", "%q is not a day; use monday, tuesday, … or sunday", c.DigestWeekday)
	}
	for _, p := range c.FeedsAllowPorts {
		if p < 1 || p > 65535 {
			bad("FEEDS_ALLOW_PORTS", "%d is not a port; use numbers from 1 to 65535, e.g. 8081,9000", p)
		}
	}
	if c.AlertCapPerHour < 0 {
		bad("ALERT_CAP_PER_HOUR", "must be 0 (no cap) or more")
	}
	c.admins = nil
	for _, a := range c.Admins {
		admin, err := parseAdmin(a)
		if err != nil {
			bad("ADMINS", "%v", err)
			continue
		}
		c.admins = append(c.admins, admin)
	}
	c.eventChannels = nil
	for _, ch := range c.EventChannels {
		channel, err := parseChannel(ch)
		if err != nil {
			bad("EVENT_CHANNELS", "%v", err)
			continue
		}
		c.eventChannels = append(c.eventChannels, channel)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("PUBLIC_URL", "%q is not an http(s) address such as https://tenderbot.example.org", feeds.Redact(c.PublicURL))
		}
	}
	if c.ShutdownTimeout <= 0 {
		bad("SHUTDOWN_TIMEOUT", "must be positive, e.g. 10s")
	}
	if c.OutboxLease < time.Second {
		bad("OUTBOX_LEASE", "%s is too short for a claim to be sent in; use a duration such as 20s", c.OutboxLease)
	}
	c.validateMail(bad)
	c.validateSlack(bad)
	c.validateDiscord(bad)
	if strings.TrimSpace(c.ConsoleUser) == "" {
		bad("CONSOLE_USER", "must not be empty")
	}
	return errors.Join(errs...)
}

// consoleLocale is the language the console's user reads, as the console
// reports it: TENDERBOT_LANGUAGE, else the terminal's LANG (nl_NL.UTF-8).
func (c Config) consoleLocale() string {
	if c.language != "" {
		return string(c.language)
	}
	return c.terminalLang
}

// publicURL is where people reach the HTTP side: TENDERBOT_PUBLIC_URL, or
// the listener's own address (the port it got, when configured as :0); ""
// without a listener.
func (c Config) publicURL(listener net.Listener) string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	if listener == nil {
		return ""
	}
	host, port, _ := net.SplitHostPort(listener.Addr().String())
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// feedEntry splits an entry of TENDERBOT_FEEDS into its location and the
// default kind it may end with ("https://example.org/feed.xml kind=tender").
func feedEntry(entry string) (location string, kind bot.Kind, err error) {
	location = strings.TrimSpace(entry)
	if i := strings.LastIndex(location, " kind="); i >= 0 {
		kind, err = bot.ParseKind(location[i+len(" kind="):])
		if err != nil {
			return "", "", fmt.Errorf("%q: %s", entry, bot.ErrorMessage(err))
		}
		location = strings.TrimSpace(location[:i])
	}
	return location, kind, nil
}

// checkFeedLocation accepts http(s) URLs, file URLs, builtin: names, local
// paths, ted: queries and the named sources, each optionally followed by
// " kind=KIND".
func checkFeedLocation(entry string) error {
	loc, _, err := feedEntry(entry)
	if err != nil {
		return err
	}
	if loc == "" {
		return errors.New("an empty entry; separate feeds with single commas")
	}
	u, err := url.Parse(loc)
	if err != nil {
		return fmt.Errorf("%q is not a URL or path: %v", loc, err)
	}
	switch u.Scheme {
	case "", "file", "builtin", "ted":
		return nil // tenderned and de are names without a scheme too
	case "http", "https":
		if u.Host == "" {
			return fmt.Errorf("%q has no host", loc)
		}
		return nil
	}
	return fmt.Errorf("%q: scheme %q is not supported; use http(s)://, file://, a local path, or ted:<expert query>", loc, u.Scheme)
}

// parseLogLevel reads a level name; "" means the caller picks.
func parseLogLevel(s string) (slog.Level, error) {
	var level slog.Level
	if s == "" {
		return slog.LevelInfo, nil
	}
	if err := level.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("%q is not a level; use debug, info, warn or error", s)
	}
	return level, nil
}

// usage prints how to run tenderbot and every variable with its default.
func usage(w io.Writer) error {
	fmt.Fprint(w, `tenderbot — public tenders and market consultations, in chat.

Usage:
  tenderbot               run the bot (the console chat when no chat token is set)
  tenderbot backup PATH   write a consistent copy of the database to PATH, while the bot runs
  tenderbot ingest [--format F] PATH_OR_URL...  print the notices read from files or URLs (feeds, TenderNed lists and details, eForms ZIPs) as JSON lines; store nothing
  tenderbot match --query Q PATH_OR_URL...     try a profile query on those notices: one JSON line each, matched and why
  tenderbot export-event ID --out DIR  write an event's record for the procurement file: event.json, qa.json, attendance.csv, audit.jsonl
  tenderbot verify-audit FILE          check the hash chain of an exported audit.jsonl
  tenderbot migrate-store --from sqlite:PATH --to postgres://...  copy a SQLite deployment into an empty PostgreSQL database, verified by counts
  tenderbot bench fanout [flags]       measure notices fanning out to alerts on a generated workload; key=value report last
  tenderbot version       print the version and build information
  tenderbot --help        show this help

Configuration is read from the environment:

`)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tDEFAULT\tDESCRIPTION")
	var cfg Config
	if err := envconfig.Usagef(envPrefix, &cfg, tw, "{{range .}}{{usage_key .}}\t{{usage_default .}}\t{{usage_description .}}\n{{end}}"); err != nil {
		return fmt.Errorf("usage: %w", err)
	}
	return tw.Flush()
}

// LogValue writes the configuration for the log with anything secret
// redacted: a feed URL may carry a token.
func (c Config) LogValue() slog.Value {
	locations := make([]string, len(c.Feeds))
	for i, f := range c.Feeds {
		loc, _, _ := feedEntry(f)
		locations[i] = feeds.Redact(loc)
	}
	return slog.GroupValue(
		slog.String("db", c.DB),
		slog.Any("feeds", locations),
		slog.Duration("poll_interval", c.PollInterval),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("timezone", c.Timezone),
		slog.String("log_format", c.LogFormat),
		slog.String("cpv_file", c.CPVFile),
		slog.String("nuts_file", c.NUTSFile),
		slog.String("slack_bot_token", secretState(c.SlackBotToken)),
		slog.String("slack_app_token", secretState(c.SlackAppToken)),
		slog.String("slack_signing_secret", secretState(c.SlackSigningSecret)),
		slog.String("slack_api_url", feeds.Redact(c.SlackAPIURL)),
		slog.String("slack_client_id", c.SlackClientID),
		slog.String("slack_client_secret", secretState(c.SlackClientSecret)),
		slog.String("slack_oauth_url", feeds.Redact(c.SlackOAuthURL)),
		slog.String("discord_token", secretState(c.DiscordToken)),
		slog.String("discord_app_id", c.DiscordAppID),
		slog.String("discord_public_key", secretState(c.DiscordPublicKey)),
		slog.String("discord_guild_id", c.DiscordGuildID),
		slog.String("discord_api_url", feeds.Redact(c.DiscordAPIURL)),
		slog.String("smtp_url", feeds.Redact(c.SMTPURL)),
		slog.String("smtp_from", c.SMTPFrom),
		slog.String("secret_key", secretState(c.SecretKey)),
	)
}

// chatTokenSet reports whether a chat platform's token is set; "auto" then
// turns the console chat off.
func (c Config) chatTokenSet() bool {
	return c.slackOn() || c.DiscordToken != ""
}

// feedGuard is the guard on partners' feeds, naming in its refusals the
// settings that lift each rule.
func (c Config) feedGuard() *feeds.Guard {
	return &feeds.Guard{
		AllowPrivate:   c.FeedsAllowPrivate,
		Ports:          append(slices.Clone(feeds.DefaultAllowedPorts), c.FeedsAllowPorts...),
		PrivateSetting: envPrefix + "_FEEDS_ALLOW_PRIVATE=true",
		PortSetting:    envPrefix + "_FEEDS_ALLOW_PORTS (comma-separated extra ports)",
	}
}

// warnings are what the operator should fix although the bot runs: logged
// at start and shown on /readyz.
func (c Config) warnings() []string {
	var platforms []string
	if c.slackOn() {
		platforms = append(platforms, "Slack")
	}
	if c.DiscordToken != "" {
		platforms = append(platforms, "Discord")
	}
	var warnings []string
	if c.slackDistributed() && !strings.HasPrefix(c.PublicURL, "https://") {
		// Slack takes only https redirect URLs: installs fail until it is set.
		warnings = append(warnings, "slack: TENDERBOT_PUBLIC_URL is not an https address; Slack sends installs back only to an https redirect URL, the public address followed by /slack/oauth/callback")
	}
	if len(platforms) == 0 || len(c.admins) > 0 {
		return warnings
	}
	return append(warnings, fmt.Sprintf("admins: none configured; nobody on %s can grant roles until TENDERBOT_ADMINS is set (platform:workspace:user, e.g. slack:T0123:U0456)",
		strings.Join(platforms, " or ")))
}

// consoleOn reports whether the terminal chat runs.
func (c Config) consoleOn() bool {
	return c.Console == "on" || c.Console == "auto" && !c.chatTokenSet()
}

// weekdays maps day names to days.
var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// digestSchedule is the configured digest time and day.
func (c Config) digestSchedule() bot.DigestSchedule {
	t, _ := time.Parse("15:04", c.DigestTime) // validated
	return bot.DigestSchedule{
		At:      time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute,
		Weekday: weekdays[strings.ToLower(c.DigestWeekday)],
	}
}

// Days is a duration written in days ("400d") or as a Go duration ("9600h").
type Days time.Duration

// Decode reads the environment variable's value.
func (d *Days) Decode(value string) error {
	if n, ok := strings.CutSuffix(strings.TrimSpace(value), "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return fmt.Errorf("%q is not a number of days such as 400d", value)
		}
		*d = Days(time.Duration(days) * 24 * time.Hour)
		return nil
	}
	v, err := time.ParseDuration(value)
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a number of days such as 400d", value)
	}
	*d = Days(v)
	return nil
}

// parseAdmin reads a configured admin id, "platform:workspace:user" (e.g.
// "slack:T0123:U0456", "console:local:local").
func parseAdmin(id string) (bot.Subscriber, error) {
	p, workspace, user, err := parseConfiguredID(id, "platform:workspace:user, e.g. slack:T0123:U0456")
	return bot.Subscriber{Platform: p, Workspace: workspace, User: user}, err
}

// parseChannel reads a configured channel, "platform:workspace:channel"
// (e.g. "slack:T0123:C0456", "discord:discord:1234567890").
func parseChannel(id string) (bot.Subscriber, error) {
	p, workspace, channel, err := parseConfiguredID(id, "platform:workspace:channel, e.g. slack:T0123:C0456")
	return bot.Subscriber{Platform: p, Workspace: workspace, Channel: channel}, err
}

// parseConfiguredID reads "platform:workspace:id"; form is the shape to
// show when it is not one.
func parseConfiguredID(id, form string) (bot.Platform, string, string, error) {
	parts := strings.Split(strings.TrimSpace(id), ":")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", fmt.Errorf("%q is not %s", id, form)
	}
	switch p := bot.Platform(parts[0]); p {
	case bot.PlatformConsole, bot.PlatformSlack, bot.PlatformDiscord:
		return p, parts[1], parts[2], nil
	}
	return "", "", "", fmt.Errorf("%q: the platform must be console, slack or discord", id)
}
