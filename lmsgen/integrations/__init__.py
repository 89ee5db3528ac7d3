"""Integrations: the organisation and the systems around it.

The home of what crosses the repository's edge: people in from the HR system, completions in
from e-learning tools and learning record stores (xAPI), reminders out by e-mail or webhook, and
the access map a reverse proxy serves the site by. Each reads the organisation through the rules,
and writes what it brings in as a reviewable branch through the history's helpers.

May import: `lmsgen.history`, `lmsgen.rules`, `lmsgen.model`, `lmsgen.cache`, `lmsgen.gcpause`, `lmsgen.errors`,
`lmsgen.writing`.
Must not import: demo, site or commands.
"""
