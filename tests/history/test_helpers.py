from datetime import date

import pytest
from conftest import DESIGN_ORG, git, write_files

from lmsgen.errors import GitError
from lmsgen.history import helpers
from lmsgen.history.helpers import InvalidChange, Refused, UnknownId, Workspace, append_to_list, pull_request_url
from lmsgen.history.repository import Repository
from lmsgen.model import formats as m

TODAY = date(2026, 11, 23)
BERLIN_ENDED = date(2026, 12, 4)
"""The last day of the session 2026-12-berlin of k8s-admin: its attendance may be marked from then on."""
RECORDS = "teams/platform/records/carol.yaml"
EXTERNAL = {"catalog/aws-cert.yaml": """
    title: AWS certification
    format: external
    elective: true
    cost: {amount: 300, currency: EUR}
    """}


def submit(root, build, today=TODAY):
    """Builds a proposal on the organisation at HEAD on `today` and commits it; returns what was submitted."""
    with Repository(root) as repo:
        workspace = Workspace(repo, today=today)
        return workspace.submit(build(workspace))


def shows(root, rev, path):
    return git(root, "show", f"{rev}:{path}")


def unchanged(root):
    """The checkout after a helper: still main, nothing staged or modified."""
    return git(root, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main" and git(root, "status", "--porcelain") == ""


def test_a_request_with_a_cost_comes_with_its_cost_slip_on_a_new_branch(make_org):
    root = make_org()
    head = git(root, "rev-parse", "HEAD").strip()
    done = submit(root, lambda ws: helpers.request(ws, "dave", "k8s-admin", session="2026-12-berlin",
                                                   reason="On-call: needs it"))
    folder = "teams/platform/requests/dave"
    assert done.branch == "lmsgen/request-dave-2026-11-k8s-admin"
    assert done.files == (f"{folder}/2026-11-k8s-admin.yaml", f"{folder}/2026-11-k8s-admin.cost.yaml")
    assert shows(root, done.branch, done.files[0]) == (
        "# yaml-language-server: $schema=../../../../schemas/request.schema.json\n"
        "person: dave\ncourse: k8s-admin\nsession: 2026-12-berlin\nkind: enroll\n"
        'reason: "On-call: needs it"\ndate: 2026-11-23\ncost: {amount: 1200, currency: EUR}\n')
    assert shows(root, done.branch, done.files[1]) == (
        "# yaml-language-server: $schema=../../../../schemas/slip.schema.json\n"
        "request: 2026-11-k8s-admin\namount: {amount: 1200, currency: EUR}\n")
    assert git(root, "log", "-1", "--format=%P%n%an%n%B", done.branch) == (
        f"{head}\nTest Author\nRequest k8s-admin, session 2026-12-berlin for dave\n\nOn-call: needs it\n\n")
    assert git(root, "diff", "--name-only", head, done.branch).split() == sorted(done.files)
    assert done.url == ("https://github.com/acme/learning/compare/main...lmsgen/request-dave-2026-11-k8s-admin"
                        "?expand=1")
    assert done.approvers == {done.files[0]: ["@alicem", "@erinr"], done.files[1]: ["@acme/finance"]}
    assert done.commit == git(root, "rev-parse", done.branch).strip() and unchanged(root)


def test_a_second_request_of_the_same_month_gets_its_own_id_and_branch(make_org):
    root = make_org()
    done = submit(root, lambda ws: helpers.request(ws, "carol", "k8s-admin"))
    assert done.files[0] == "teams/platform/requests/carol/2026-11-k8s-admin-2.yaml"
    assert done.branch == "lmsgen/request-carol-2026-11-k8s-admin-2"
    again = submit(root, lambda ws: helpers.request(ws, "carol", "k8s-admin"))
    assert again.branch == "lmsgen/request-carol-2026-11-k8s-admin-2-2"  # the first is not merged yet


def test_external_training_gets_an_external_slip_and_its_cost_slip(make_org):
    root = make_org(EXTERNAL)
    done = submit(root, lambda ws: helpers.request(ws, "bob", "aws-cert"))
    request = shows(root, done.branch, done.files[0])
    assert "kind: external\n" in request and "reason" not in request
    assert [path.rsplit(".", 2)[-2] for path in done.files[1:]] == ["cost", "external"]
    assert shows(root, done.branch, done.files[2]).endswith("request: 2026-11-aws-cert\n")


def test_invalid_requests_write_nothing(make_org):
    root = make_org()
    branches = git(root, "branch")
    with pytest.raises(UnknownId) as unknown:
        submit(root, lambda ws: helpers.request(ws, "carl", "k8s-admin"))
    assert (unknown.value.what, unknown.value.value, "carol" in unknown.value.known) == ("person", "carl", True)
    with pytest.raises(UnknownId, match="unknown course 'k8s'"):
        submit(root, lambda ws: helpers.request(ws, "carol", "k8s"))
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.request(ws, "carol", "k8s-ojt", session="2027-01"))
    assert [str(d) for d in invalid.value.diagnostics] == [
        "teams/platform/requests/carol/2026-11-k8s-ojt.yaml:3:9: course 'k8s-ojt' is not elective, so it cannot be "
        "requested (catalog/k8s-ojt.yaml:1:1)",
        "teams/platform/requests/carol/2026-11-k8s-ojt.yaml:4:10: unknown session '2027-01' of course 'k8s-ojt' "
        "(catalog/k8s-ojt.yaml lists: none)",
    ]
    assert git(root, "branch") == branches and unchanged(root)


def test_a_course_without_approval_needs_no_request(make_org):
    root = make_org({"catalog/security-intro.yaml": "title: Security introduction\nformat: microlearning\n"
                                                    "elective: true\napproval: none\n"})
    with pytest.raises(Refused) as refused:
        submit(root, lambda ws: helpers.request(ws, "carol", "security-intro"))
    assert str(refused.value) == ("course 'security-intro' needs no request (approval: none): take it, then record "
                                  "it with 'lmsgen complete carol security-intro'")


def test_a_completion_is_one_more_line_and_the_rest_of_the_file_stays_byte_for_byte(make_org):
    original = DESIGN_ORG[RECORDS].replace("        ", "").lstrip("\n") + "# kept: a closing comment\n"
    root = make_org({RECORDS: original})
    done = submit(root, lambda ws: helpers.complete(ws, "carol", "incident-response", on=date(2026, 11, 20),
                                                    by="alice", score=88.0,
                                                    evidence="https://lms.example/c?id=1,2"))
    line = ('  - {course: incident-response, date: 2026-11-20, by: alice, score: 88, '
            'evidence: "https://lms.example/c?id=1,2"}\n')
    assert shows(root, done.branch, RECORDS) == original.replace("# kept", line + "# kept")
    assert done.branch == "lmsgen/complete-carol-incident-response-2026-11-20"
    assert git(root, "log", "-1", "--format=%s", done.branch) == (
        "Record incident-response for carol, completed on 2026-11-20 (recorded by alice)\n")
    assert unchanged(root)


def test_a_first_completion_creates_the_records_file(make_org):
    root = make_org()
    done = submit(root, lambda ws: helpers.complete(ws, "dave", "incident-response", on=TODAY))
    assert done.files == ("teams/platform/records/dave.yaml",)
    assert shows(root, done.branch, done.files[0]) == (
        "# yaml-language-server: $schema=../../../schemas/records.schema.json\nperson: dave\nrecords:\n"
        "  - {course: incident-response, date: 2026-11-23, by: dave}\n")


def test_a_completion_the_course_does_not_allow_is_refused_with_the_reason(make_org):
    root = make_org()
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.complete(ws, "carol", "k8s-ojt", on=TODAY, score=120))
    assert [str(d) for d in invalid.value.diagnostics] == [
        f"{RECORDS}:5:59: records[2].score: input should be less than or equal to 100"]
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.complete(ws, "carol", "k8s-ojt", on=TODAY))
    assert [str(d) for d in invalid.value.diagnostics] == [
        f"{RECORDS}:5:45: 'carol' may not record 'k8s-ojt' for 'carol': the course allows manager, mentor "
        "(catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), bob (mentor)"]


@pytest.mark.parametrize(("build", "today", "expected"), [
    (lambda ws: helpers.complete(ws, "carol", "incident-response", on=date(2026, 11, 24)), TODAY,
     f"{RECORDS}:5:39: record dated 2026-11-24, after today (2026-11-23): a completion is recorded once it has "
     "happened"),
    (lambda ws: helpers.attend(ws, "k8s-admin", "2026-12-berlin", ["bob"]), date(2026, 12, 3),
     "attendance/k8s-admin/2026-12-berlin.yaml:1:25: session '2026-12-berlin' of 'k8s-admin' ends on 2026-12-04 "
     "(catalog/k8s-admin.yaml:7:56), after today (2026-12-03): mark attendance once the session has ended"),
    (lambda ws: helpers.request(ws, "dave", "k8s-admin", session="2026-12-berlin"), date(2026, 12, 5),
     "teams/platform/requests/dave/2026-12-k8s-admin.yaml:4:10: session '2026-12-berlin' of 'k8s-admin' ended on "
     "2026-12-04 (catalog/k8s-admin.yaml:7:56), before today (2026-12-05): request a session still to come"),
], ids=["a completion after today", "attendance before the session ends", "a request after the session ended"])
def test_the_helpers_refuse_what_has_not_happened_and_requests_of_what_has(make_org, build, today, expected):
    root = make_org()
    with pytest.raises(InvalidChange) as invalid:
        submit(root, build, today=today)
    assert [str(d) for d in invalid.value.diagnostics] == [expected]
    assert git(root, "branch").split() == ["*", "main"]


def test_the_helpers_judge_by_head_not_by_the_working_tree(make_org):
    """The helpers build on HEAD, so an uncommitted team change gives nobody a new standing."""
    root = make_org()
    team = DESIGN_ORG["teams/platform/team.yaml"].replace("mentor: bob", "mentor: dave")
    write_files(root, {"teams/platform/team.yaml": team})
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.complete(ws, "carol", "k8s-ojt", by="dave"))
    assert [str(d) for d in invalid.value.diagnostics] == [
        f"{RECORDS}:5:45: 'dave' may not record 'k8s-ojt' for 'carol': the course allows manager, mentor "
        "(catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), bob (mentor)"]
    done = submit(root, lambda ws: helpers.complete(ws, "carol", "k8s-ojt", by="bob"))
    assert shows(root, done.branch, RECORDS).endswith("  - {course: k8s-ojt, date: 2026-11-23, by: bob}\n")


def test_an_assignment_is_one_more_line_in_the_team_file(make_org):
    root = make_org()
    done = submit(root, lambda ws: helpers.assign(ws, "platform", "all", "security-intro", due=date(2027, 2, 1)))
    assert done.branch == "lmsgen/assign-platform-all-security-intro"
    assert shows(root, done.branch, "assignments/teams/platform.yaml") == (
        "assignments:\n  - {person: carol, course: k8s-admin, due: 2027-01-31}\n"
        "  - {person: all, course: incident-response}        # no due date\n"
        "  - {person: all, course: security-intro, due: 2027-02-01}\n")
    first = submit(root, lambda ws: helpers.assign(ws, "engineering", "dana", "security-intro"))
    assert shows(root, first.branch, "assignments/teams/engineering.yaml") == (
        "# yaml-language-server: $schema=../../schemas/team-assignments.schema.json\nassignments:\n"
        "  - {person: dana, course: security-intro}\n")
    assert first.approvers == {"assignments/teams/engineering.yaml": ["@alicem", "@danap", "@erinr"]}


def test_an_assignment_outside_the_team_is_refused(make_org):
    root = make_org()
    with pytest.raises(UnknownId, match="unknown team 'plattform'"):
        submit(root, lambda ws: helpers.assign(ws, "plattform", "all", "security-intro"))
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.assign(ws, "platform", "dana", "security-intro"))
    assert [str(d) for d in invalid.value.diagnostics] == [
        "assignments/teams/platform.yaml:4:14: 'dana' is in team 'engineering' (teams/engineering/team.yaml:5:5), "
        "outside team 'platform'"]


def test_attendance_adds_people_to_the_session_list(make_org):
    root = make_org()
    done = submit(root, lambda ws: helpers.attend(ws, "k8s-admin", "2026-12-berlin", ["bob", "alice"]),
                  today=BERLIN_ENDED)
    assert shows(root, done.branch, "attendance/k8s-admin/2026-12-berlin.yaml") == "attended: [carol, dave, bob, alice]\n"
    assert done.branch == "lmsgen/attend-k8s-admin-2026-12-berlin"
    first = submit(root, lambda ws: helpers.attend(ws, "secure-coding", "2026-12-berlin", ["carol"]),
                   today=BERLIN_ENDED)
    assert shows(root, first.branch, "attendance/secure-coding/2026-12-berlin.yaml") == (
        "# yaml-language-server: $schema=../../schemas/attendance.schema.json\nattended:\n  - carol\n")


def test_attendance_of_an_unknown_session_or_twice_is_refused(make_org):
    root = make_org()
    with pytest.raises(UnknownId) as unknown:
        submit(root, lambda ws: helpers.attend(ws, "k8s-admin", "2026-12", ["bob"]))
    assert (unknown.value.what, unknown.value.known) == ("session", ["2026-12-berlin"])
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.attend(ws, "k8s-admin", "2026-12-berlin", ["carol"]))
    assert [str(d) for d in invalid.value.diagnostics] == [
        "attendance/k8s-admin/2026-12-berlin.yaml:1:11: attended: listed twice: carol"]


def test_errors_already_on_head_do_not_block_a_helper(make_org):
    root = make_org({"catalog/broken.yaml": "title: Broken\nformat: nonsense\n"})
    done = submit(root, lambda ws: helpers.complete(ws, "dave", "incident-response", on=TODAY))
    assert done.files == ("teams/platform/records/dave.yaml",)


def test_a_missing_git_identity_is_refused_before_anything_is_written(make_org, no_identity):
    root = make_org()
    git(root, "config", "--unset", "user.name")
    git(root, "config", "--unset", "user.email")
    with pytest.raises(GitError, match="^git does not know who you are"):
        submit(root, lambda ws: helpers.complete(ws, "dave", "incident-response", on=TODAY))
    assert git(root, "branch").split() == ["*", "main"]


def test_pull_request_urls_for_github_and_gitlab():
    github = m.GitSettings(host="github", repo="https://github.com/acme/learning.git", branch="main")
    assert pull_request_url(github, "lmsgen/x") == "https://github.com/acme/learning/compare/main...lmsgen/x?expand=1"
    gitlab = m.GitSettings(host="gitlab", repo="https://gitlab.example/acme/learning/", branch="release/2026")
    assert pull_request_url(gitlab, "lmsgen/a b") == (
        "https://gitlab.example/acme/learning/-/merge_requests/new?merge_request[source_branch]=lmsgen/a%20b"
        "&merge_request[target_branch]=release/2026")


@pytest.mark.parametrize(("text", "expected"), [
    ("person: c\nrecords:\n  - {course: a}  # first\n  # trailing\n",
     "person: c\nrecords:\n  - {course: a}  # first\n  - {course: b}\n  # trailing\n"),
    ("records:\n- {course: a}\nperson: c\n", "records:\n- {course: a}\n- {course: b}\nperson: c\n"),
    ("person: c\nrecords: [{course: a}]\n", "person: c\nrecords: [{course: a}, {course: b}]\n"),
    ("person: c\nrecords: []  # none\n", "person: c\nrecords: [{course: b}]  # none\n"),
    ("person: c\nrecords:   # soon\n", "person: c\nrecords:   # soon\n  - {course: b}\n"),
    ("person: c", "person: c\nrecords:\n  - {course: b}\n"),
    ("", "records:\n  - {course: b}\n"),
    ("records:\n  - course: a\n    note: |\n      two\n      lines\n# end\n",
     "records:\n  - course: a\n    note: |\n      two\n      lines\n  - {course: b}\n# end\n"),
])
def test_append_to_list_keeps_every_other_byte(text, expected):
    assert append_to_list(text, "records", "{course: b}") == expected
