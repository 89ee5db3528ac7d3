"""The rules: what the organisation means, computed from the model alone.

Cross-file checks (`checks`), who approves what (`policy`, written as `codeowners`, to the handles
the git host allows: `handles`), who reads which page of the site (`readers`), where every person
stands with every course (`engine`), money that matches (`money`) and against budgets (`budgets`), whose
records retention lets go (`retention`), and `validation`, which runs every check `lmsgen check` makes on a
loaded organisation. Everything here is a pure function of an organisation and a date: no git, no output, and
no clock but one default (a `Policy` made without a date is today's, since who has left decides who owns what).

May import: `lmsgen.model`, `lmsgen.cache`, `lmsgen.gcpause`, `lmsgen.errors`, `lmsgen.writing`.
Must not import: history, integrations, demo, site or commands.
"""
