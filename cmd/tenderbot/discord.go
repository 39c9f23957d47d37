package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"

	"github.com/tenderbot/tenderbot/adapters/discord"
	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/adapters/web"
)

// validateDiscord checks the Discord variables: an application id with a
// token, ids that are Discord ids, a public key that is one, and the HTTP
// listener when interactions come over HTTP. It never repeats the token.
func (c *Config) validateDiscord(bad func(name, format string, args ...any)) {
	c.DiscordToken = strings.TrimPrefix(strings.TrimSpace(c.DiscordToken), "Bot ")
	if c.DiscordToken == "" {
		if c.DiscordAppID != "" || c.DiscordPublicKey != "" || c.DiscordGuildID != "" {
			bad("DISCORD_TOKEN", "is unset, but Discord is configured (TENDERBOT_DISCORD_APP_ID, _PUBLIC_KEY or _GUILD_ID is set); set the bot token from the developer portal (your application → Bot → Reset Token)")
		}
	} else if strings.ContainsAny(c.DiscordToken, " \t\n") {
		bad("DISCORD_TOKEN", "contains spaces; paste the bot token alone, from your application → Bot → Reset Token")
	}
	if c.DiscordToken != "" && c.DiscordAppID == "" {
		bad("DISCORD_APP_ID", "is unset; copy the Application ID from your application's General Information page, a number such as 1234567890123456789")
	}
	if c.DiscordAppID != "" && !isSnowflake(c.DiscordAppID) {
		bad("DISCORD_APP_ID", "%q is not an application id; copy it from General Information, a number such as 1234567890123456789", c.DiscordAppID)
	}
	if c.DiscordGuildID != "" && !isSnowflake(c.DiscordGuildID) {
		bad("DISCORD_GUILD_ID", "%q is not a server id; turn on Developer Mode in Discord, right-click the server, Copy Server ID (a number such as 1234567890123456789)", c.DiscordGuildID)
	}
	if c.DiscordPublicKey != "" {
		key, err := hex.DecodeString(strings.TrimSpace(c.DiscordPublicKey))
		if err != nil || len(key) != ed25519.PublicKeySize {
			bad("DISCORD_PUBLIC_KEY", "is not a public key; copy the Public Key from General Information: 64 hexadecimal characters")
		} else {
			c.discordPublicKey = key
		}
		if c.HTTPAddr == "" {
			bad("HTTP_ADDR", "is empty, but Discord's HTTP interactions (TENDERBOT_DISCORD_PUBLIC_KEY) need the HTTP listener; set it, e.g. 0.0.0.0:8080")
		}
	}
	u, err := url.Parse(c.DiscordAPIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		bad("DISCORD_API_URL", "%q is not an http(s) URL; the default is %s", feeds.Redact(c.DiscordAPIURL), discord.DefaultAPIURL)
	}
}

// isSnowflake reports whether s looks like a Discord id: a number of 17 to
// 20 digits.
func isSnowflake(s string) bool {
	if len(s) < 17 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// newDiscord returns the Discord adapter when a bot token is set, else nil.
// The forms being filled in, and the interactions acknowledged but not yet
// answered, wait in the store (so that any replica, or the bot started
// again, takes the next step or gives the answer).
func newDiscord(cfg Config, log *slog.Logger, replays discord.ReplayStore) (*discord.Discord, error) {
	if cfg.DiscordToken == "" {
		return nil, nil
	}
	forms, _ := replays.(discord.FormStore)
	return discord.New(discord.Options{
		Token:         cfg.DiscordToken,
		AppID:         cfg.DiscordAppID,
		GuildID:       cfg.DiscordGuildID,
		APIURL:        cfg.DiscordAPIURL,
		PublicKey:     cfg.discordPublicKey,
		Logger:        log,
		ShutdownGrace: cfg.ShutdownTimeout,
		Replays:       replays,
		Forms:         forms,
	})
}

// discordGatewayLease is the lease of the replica that holds Discord's
// gateway connection: lease.DefaultTTL, so that another replica holds the
// gateway within 30 seconds of the holder's death.
const discordGatewayLease = "discord-gateway"

// runDiscord runs the Discord adapter; a setting Discord refuses stops the
// bot, naming the variable to fix.
func runDiscord(ctx context.Context, app *discord.Discord, core discord.Core) error {
	err := app.Run(ctx, core)
	switch {
	case errors.Is(err, discord.ErrTokenRefused):
		return fmt.Errorf("%w; check TENDERBOT_DISCORD_TOKEN", err)
	case errors.Is(err, discord.ErrAppRefused):
		return fmt.Errorf("%w; check TENDERBOT_DISCORD_APP_ID", err)
	}
	return err
}

// mountDiscord serves Discord's HTTP interactions on the listener when a
// public key is set.
func mountDiscord(server *web.Server, app *discord.Discord, core discord.Core) {
	if app != nil && app.HTTPMode() {
		server.Handle("POST "+discord.InteractionsPath, app.InteractionHandler(core))
	}
}

// announceDiscord says how the Discord bot takes interactions, and how to
// invite it to a server.
func announceDiscord(w io.Writer, cfg Config) {
	if cfg.DiscordToken == "" {
		return
	}
	if cfg.DiscordPublicKey != "" {
		fmt.Fprintf(w, "tenderbot: Discord chat in HTTP mode: set the application's Interactions Endpoint URL to your public URL + %s\n", discord.InteractionsPath)
	} else {
		fmt.Fprintln(w, "tenderbot: Discord chat over the gateway")
	}
	fmt.Fprintf(w, "tenderbot: invite the Discord bot to a server: %s\n", discord.InviteURL(cfg.DiscordAppID))
}
