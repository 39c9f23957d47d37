package text

// eventsDutch translates what the core's sub-packages say: engagement
// events, partners, roles, profile forms, e-mails.
var eventsDutch = map[string]string{}
