package text

// eventsDutch translates what the engagement events say: their commands,
// forms, announcements, invitations, answers, reminders, the public event
// pages' registration and the e-mails to web registrants.
var eventsDutch = map[string]string{}
