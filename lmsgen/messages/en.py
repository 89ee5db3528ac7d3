"""The English catalog: every key of every catalog, and the sentence it stands for."""

MESSAGES: dict[str, str] = {
    # Reminders: the subject, the opening, the sections and their lines, the links and the signature.
    "reminder.subject.person": "{org}: your learning reminders for {date}",
    "reminder.subject.manager": "{org}: your teams' learning, week of {date}",
    "reminder.subject.hr": "{org}: certifications expiring and expired, {date}",
    "reminder.greeting": "Hello {name},",
    "reminder.intro.person": "this needs your attention in your learning:",
    "reminder.intro.manager": "this needs attention in the teams you manage ({teams}):",
    "reminder.intro.hr": "these certifications expire soon or have expired ({scope}):",
    "reminder.scope.all": "the whole organisation",
    "reminder.heading.overdue": "Overdue",
    "reminder.heading.due": "Due soon",
    "reminder.heading.expiring": "Certificates expiring",
    "reminder.heading.expired": "Certificates expired",
    "reminder.item.overdue": "{course}: was due on {date}, {days} overdue",
    "reminder.item.due": "{course}: due on {date}, in {days}",
    "reminder.item.expiring": "{course}: expires on {date}",
    "reminder.item.expired": "{course}: expired on {date}",
    "reminder.item.of": "{person}, {line}",
    "reminder.days.one": "1 day",
    "reminder.days.other": "{count} days",
    "reminder.link.portal": "Open your learning portal",
    "reminder.link.dashboard": "Open the dashboard of {team}",
    "reminder.link.report": "Open the certification report",
    "reminder.footer": "{org}'s learning system sends this on the days something is due. "
                       "The calendar file holds the due dates.",
    "reminder.footer.plain": "{org}'s learning system sends this on the days something is due.",
    "reminder.calendar.name": "Learning: {name}",
    "reminder.calendar.summary": "Due: {course}",
    "reminder.calendar.description": "{course} is due on {date}.",
    "reminder.webhook.to": "To {name}",
    # lmsgen remind: what the command reports.
    "remind.would_send": "would send to {name} <{address}>: {subject} ({lines})",
    "remind.unreachable": "not reachable: {name} ({person}) has no e-mail address; {subject} ({lines}) "
                          "is not sent",
    "remind.lines.one": "1 line",
    "remind.lines.other": "{count} lines",
    "remind.wrote": "wrote {count} messages to {folder}",
    "remind.sent": "sent {count} messages through {server}",
    "remind.posted": "posted {count} messages to the webhook",
    "remind.nothing": "no reminders are due on {date}",
}
