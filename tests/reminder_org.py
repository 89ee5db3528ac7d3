"""A hand-made organisation for the reminders' tests: the sample one (conftest.py), with the reminder settings and the people
that each kind of digest needs, and the day it is read on.

On Saturday 2026-12-05 (the org's manager digest day): the security baseline (secure coding, due
2026-01-31) is 308 days = 44 weeks overdue for dana, bob and dave; dave's first-aid certificate expires
in 14 days (2026-12-19); bob has no e-mail address; finn left in November; erin (engineering) and alice
(platform) manage; erin holds an unscoped certification report role, alice one scoped to platform.
"""

from __future__ import annotations

import textwrap
from datetime import date

from conftest import DESIGN_ORG

AS_OF = date(2026, 12, 5)
SITE = "https://learning.acme.example/"

_PLATFORM = textwrap.dedent(DESIGN_ORG["teams/platform/team.yaml"])

REMINDER_ORG: dict[str, str] = {
    "org.yaml": textwrap.dedent(DESIGN_ORG["org.yaml"]) + textwrap.dedent("""\
        language: en
        site_url: https://learning.acme.example
        reminders: {before_days: [14, 3], overdue_every_days: 7, manager_digest: saturday}
        """),
    "catalog/first-aid.yaml": "title: First aid <basic>\nformat: classroom\nvalid_months: 12\n",
    "teams/platform/team.yaml": _PLATFORM.replace("email: bob@acme.example, ", "") + (
        "  - {id: finn, name: Finn Left, email: finn@acme.example, profile: engineer, location: berlin,"
        " left: 2026-11-01}\n"),
    "teams/platform/records/dave.yaml": "person: dave\nrecords:\n"
                                        "  - {course: first-aid, date: 2025-12-19, by: dave}\n",
    "roles/hr.yaml": "name: HR\ngrants: [reports.certifications]\nholders: [erin]\n",
    "roles/hr-platform.yaml": "name: HR platform\ngrants: [reports.certifications]\nholders: [alice]\n"
                              "scope: [platform]\n",
}
