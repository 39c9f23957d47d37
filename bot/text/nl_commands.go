package text

// commandsDutch translates the core's commands: their replies, help and
// the command table, digests, home, privacy and the buttons' answers.
var commandsDutch = map[string]string{}
