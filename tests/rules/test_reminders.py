"""Who gets which digest on a day: people on their windows and overdue cadence, managers and HR weekly."""

from __future__ import annotations

from datetime import date, timedelta

from reminder_org import AS_OF, REMINDER_ORG

from lmsgen.rules.reminders import Audience, Digest, Item, Kind, reminders
from lmsgen.rules.validation import validate_root

OVERDUE = date(2026, 1, 31)
FIRST_AID_EXPIRES = date(2026, 12, 19)


def _org(make_org, changes=None):
    validated = validate_root(make_org({**REMINDER_ORG, **(changes or {})}), use_cache=False)
    assert validated.ok, [str(d) for d in validated.diagnostics if d.is_error]
    return validated.organisation


def test_the_digests_of_the_manager_digest_day(make_org):
    org = _org(make_org)
    overdue = {person: Item(Kind.OVERDUE, person, "secure-coding", OVERDUE) for person in ("bob", "dana", "dave")}
    first_aid = Item(Kind.EXPIRING, "dave", "first-aid", FIRST_AID_EXPIRES)
    assert reminders(org, AS_OF) == [
        Digest(Audience.PERSON, "bob", (overdue["bob"],)),
        Digest(Audience.PERSON, "dana", (overdue["dana"],)),
        Digest(Audience.PERSON, "dave", (overdue["dave"], first_aid)),
        Digest(Audience.MANAGER, "alice", (overdue["bob"], overdue["dave"], first_aid), ("platform",)),
        Digest(Audience.MANAGER, "erin", (overdue["bob"], overdue["dana"], overdue["dave"], first_aid),
               ("engineering",)),
        Digest(Audience.HR, "alice", (first_aid,), ("platform",)),
        Digest(Audience.HR, "erin", (first_aid,), ()),
    ]


def test_people_hear_only_on_their_days(make_org):
    org = _org(make_org)
    sent = {day: [(d.audience.value, d.recipient, [i.kind.value for i in d.items]) for d in reminders(org, day)]
            for day in (AS_OF + timedelta(days=n) for n in range(1, 15))}
    assert {day.isoformat(): digests for day, digests in sent.items() if digests} == {
        "2026-12-12": [("person", "bob", ["overdue"]), ("person", "dana", ["overdue"]),
                       ("person", "dave", ["overdue"]),
                       ("manager", "alice", ["overdue", "overdue", "expiring"]),
                       ("manager", "erin", ["overdue", "overdue", "overdue", "expiring"]),
                       ("hr", "alice", ["expiring"]), ("hr", "erin", ["expiring"])],
        "2026-12-16": [("person", "dave", ["expiring"])],  # 3 days before the expiry
        "2026-12-19": [("person", "bob", ["overdue"]), ("person", "dana", ["overdue"]),
                       ("person", "dave", ["overdue"]),
                       ("manager", "alice", ["overdue", "overdue"]),
                       ("manager", "erin", ["overdue", "overdue", "overdue"]),  # managers: expiring only
                       ("hr", "alice", ["expired"]), ("hr", "erin", ["expired"])],
    }


def test_a_due_date_is_reminded_of_on_the_window_days_and_a_leaver_never(make_org):
    # Everyone in platform but its manager is due to take incident response on 2026-12-19; finn has left and
    # hears nothing, though the assignment names all of his team.
    org = _org(make_org, {"assignments/teams/platform.yaml": "assignments:\n"
                                                             "  - {person: all, course: incident-response,"
                                                             " due: 2026-12-19}\n"})
    due = {(d.recipient, i.course) for day in (date(2026, 12, 5), date(2026, 12, 16)) for d in reminders(org, day)
           if d.audience is Audience.PERSON for i in d.items if i.kind is Kind.DUE}
    assert due == {(p, "incident-response") for p in ("bob", "carol", "dave")}
    assert all("finn" not in (d.recipient, *(i.person for i in d.items))
               for n in range(30) for d in reminders(org, AS_OF + timedelta(days=n)))


def test_the_settings_decide_the_days(make_org):
    org = _org(make_org, {"org.yaml": REMINDER_ORG["org.yaml"].replace(
        "before_days: [14, 3], overdue_every_days: 7, manager_digest: saturday",
        "before_days: [1], overdue_every_days: 1, manager_digest: sunday")})
    assert [(d.audience.value, d.recipient) for d in reminders(org, date(2026, 12, 18))] == [
        ("person", "bob"), ("person", "dana"), ("person", "dave")]
    assert [i.course for i in reminders(org, date(2026, 12, 18))[2].items] == ["secure-coding", "first-aid"]
    assert [d.audience.value for d in reminders(org, date(2026, 12, 20))].count("manager") == 2
