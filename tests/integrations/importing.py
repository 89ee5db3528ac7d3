"""An organisation that imports completions: a role granting record.import, and courses with xAPI ids that accept
imported completions."""

from __future__ import annotations

import json

IMPORTING = {
    "roles/importers.yaml": """
        name: Importers
        grants: [record.import]
        holders: [erin, dana]
        """,
    "catalog/incident-response.yaml": """
        title: Incident response
        format: webinar
        xapi: https://learn.example/activities/incident-response
        completion: {by: [self, import]}
        """,
    "catalog/security-intro.yaml": """
        title: Security introduction
        format: microlearning
        hours: 0.5
        xapi: https://learn.example/activities/security-intro
        completion: {by: [import]}
        """,
}
INCIDENT = "https://learn.example/activities/incident-response"
INTRO = "https://learn.example/activities/security-intro"
VERB = "http://adlnet.gov/expapi/verbs/"


def statement(sid: str, actor: dict, activity: str, verb: str = "completed", when: str = "2026-11-30T10:00:00Z",
              score: dict | None = None) -> dict:
    """An xAPI statement as an e-learning tool sends it."""
    data = {"id": sid, "actor": {"objectType": "Agent", **actor}, "verb": {"id": VERB + verb},
            "object": {"objectType": "Activity", "id": activity}, "timestamp": when}
    if score is not None:
        data["result"] = {"score": score}
    return data


STATEMENTS = [
    statement("5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0001", {"mbox": "mailto:Carol@acme.example"}, INCIDENT,
              score={"scaled": 0.92}),
    statement("5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0002", {"account": {"homePage": "https://git.example", "name": "davek"}},
              INTRO, "passed", "2026-11-29T08:00:00+01:00"),
    statement("5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0003", {"account": {"homePage": "https://x.example", "name": "bob"}},
              INTRO, "failed", score={"raw": 40, "min": 0, "max": 80}),
    statement("5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0004", {"mbox": "mailto:nobody@else.example"}, INCIDENT),
    statement("5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0005", {"mbox": "mailto:carol@acme.example"}, INCIDENT, "attempted"),
    statement("5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0006", {"mbox": "mailto:carol@acme.example"},
              "https://learn.example/activities/unknown"),
]


def as_lines(statements: list[dict]) -> str:
    return "".join(json.dumps(s) + "\n" for s in statements)
