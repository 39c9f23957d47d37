// Package console is a terminal chat for tenderbot: one line in is one
// command, replies and alerts come out as readable text blocks. It is the
// chat the bot uses when no Slack or Discord token is configured, and it
// works over pipes: at the end of input it waits until the feeds have been
// read once and pending alerts are printed, then returns.
package console
