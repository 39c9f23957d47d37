// Package roles grants and revokes, in chat, the roles people hold in a
// workspace — admin, partner, staff — and lists who holds which. The core
// routes the role commands here through bot.Roles; who may do what is
// decided with bot.Rights, by the core and every room alike.
package roles
