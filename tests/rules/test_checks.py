import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DESIGN_ORG, write_files
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lmsgen.rules.validation import validate_root

REPO = Path(__file__).resolve().parents[2]

PLATFORM_TEAM = """
    name: Platform
    parent: engineering
    manager: alice
    members:
      - {id: alice, name: Alice Moe, git: alicem}
      - {id: bob, name: Bob Lee, git: bobl}
      - {id: carol, name: Carol Diaz, git: carold, mentor: bob}
      - {id: dave, name: Dave Kim, git: davek}
    """


def messages(root):
    return [str(d) for d in validate_root(root).diagnostics]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"catalog/secure-coding.yaml": "title: S\nformat: elearning\nprerequisites: [nope]\ntrainers: [zed]\n"},
            ["catalog/secure-coding.yaml:3:17: unknown course 'nope': there is no catalog/nope.yaml",
             "catalog/secure-coding.yaml:4:12: unknown trainer 'zed': no team file lists this person"],
            id="course references"),
        pytest.param(
            {"teams/platform/team.yaml": PLATFORM_TEAM.replace("parent: engineering", "parent: enginering")
             .replace("git: davek}", "git: davek, mentor: bobby}")},
            ["teams/platform/team.yaml:2:9: unknown team 'enginering': there is no teams/enginering/team.yaml",
             "teams/platform/team.yaml:8:52: unknown mentor 'bobby': no team file lists this person"],
            id="team references"),
        pytest.param(
            {"roles/admin.yaml": "name: A\ngrants: [roles.edit]\nholders: [erin, zoe]\nscope: [sales]\n"},
            ["roles/admin.yaml:3:17: unknown role holder 'zoe': no team file lists this person",
             "roles/admin.yaml:4:9: unknown team 'sales': there is no teams/sales/team.yaml"],
            id="role references"),
        pytest.param(
            {"assignments/security-baseline.yaml": """
                title: T
                courses: [secure-coding, k8s]
                audience: {teams: [ops], people: [zed]}
                exclude: [{person: yan, reason: r}]
                """},
            ["assignments/security-baseline.yaml:2:26: unknown course 'k8s': there is no catalog/k8s.yaml",
             "assignments/security-baseline.yaml:3:20: unknown team 'ops': there is no teams/ops/team.yaml",
             "assignments/security-baseline.yaml:3:35: unknown person 'zed': no team file lists this person",
             "assignments/security-baseline.yaml:4:20: unknown person 'yan': no team file lists this person"],
            id="rule references"),
        pytest.param(
            {"attendance/k8s-admin/2026-12-lyon.yaml": "attended: [carol, zed]\n"},
            ["attendance/k8s-admin/2026-12-lyon.yaml:1:1: unknown session '2026-12-lyon' of course 'k8s-admin' "
             "(catalog/k8s-admin.yaml lists: 2026-12-berlin)"],
            id="attendance of an unknown session"),
        pytest.param(
            {"attendance/k8s-admin/2026-12-berlin.yaml": "attended: [carol, zed]\n"},
            ["attendance/k8s-admin/2026-12-berlin.yaml:1:19: unknown person 'zed': no team file lists this person"],
            id="attendance of an unknown person"),
        pytest.param(
            {"budgets/2026.yaml": "sales: {amount: 10, currency: EUR}\nengineering: {amount: 90000, currency: USD}\n"},
            ["budgets/2026.yaml:1:1: unknown team 'sales': there is no teams/sales/team.yaml",
             "budgets/2026.yaml:2:40: the budget is in USD, but budgets count in EUR (org.yaml:3:11) and no rate "
             "converts USD: add one to org.yaml (money: {rates: {USD: <EUR for 1 USD>}}), or state it in EUR"],
            id="budget references"),
        pytest.param(
            {"assignments/teams/platform.yaml": "assignments:\n  - {person: erin, course: k8s-admin}\n",
             "assignments/teams/sales.yaml": "assignments: []\n"},
            ["assignments/teams/platform.yaml:2:14: 'erin' is in team 'engineering' (teams/engineering/team.yaml:4:5), "
             "outside team 'platform'",
             "assignments/teams/sales.yaml:1:1: unknown team 'sales': there is no teams/sales/team.yaml"],
            id="team assignments"),
    ],
)
def test_every_reference_resolves(make_org, changes, expected):
    assert messages(make_org(changes)) == expected


def test_a_person_is_in_exactly_one_team(make_org):
    root = make_org({"teams/platform/team.yaml": PLATFORM_TEAM + "  - {id: dana, name: Dana Again}\n"})
    assert messages(root) == [
        "teams/platform/team.yaml:9:10: person 'dana' is in two teams: also listed at teams/engineering/team.yaml:5:10"
    ]


def test_team_parents_have_no_cycle(make_org):
    root = make_org({
        "teams/engineering/team.yaml": "name: E\nparent: platform\nmanager: erin\nmembers:\n"
                                       "  - {id: erin, name: Erin}\n  - {id: dana, name: Dana}\n",
    })
    assert messages(root) == [
        "teams/engineering/team.yaml:2:9: teams form a cycle: engineering -> platform -> engineering "
        "(see teams/platform/team.yaml)"
    ]


def test_prerequisites_have_no_cycle(make_org):
    root = make_org({"catalog/security-intro.yaml": "title: I\nformat: microlearning\nprerequisites: [secure-coding]\n"})
    assert messages(root) == [
        "catalog/secure-coding.yaml:13:16: prerequisites form a cycle: secure-coding -> security-intro -> "
        "secure-coding (see catalog/security-intro.yaml)"
    ]


def test_records_sit_under_their_persons_team(make_org):
    root = make_org({
        "teams/platform/records/carol.yaml": None,
        "teams/engineering/records/carol.yaml": "person: carol\nrecords: []\n",
        "teams/platform/records/dave.yaml": "person: carol\nrecords: []\n",
    })
    assert messages(root) == [
        "teams/engineering/records/carol.yaml:1:9: 'carol' is in team 'platform' (teams/platform/team.yaml:7:5), "
        "so this records file belongs under teams/platform/",
        "teams/platform/records/dave.yaml:1:9: this records file is in the folder of 'dave' but names 'carol'",
    ]


def test_requests_sit_under_their_persons_folder(make_org):
    root = make_org({
        "teams/platform/requests/dave/2026-11-k8s-admin.yaml": """
            person: carol
            course: k8s-admin
            date: 2026-11-20
            """,
        "teams/platform/requests/dave/2026-11-k8s-admin.cost.yaml": "request: 2026-11-k8s-admin\n"
                                                                    "amount: {amount: 1200, currency: EUR}\n",
    })
    assert messages(root) == [
        "teams/platform/requests/dave/2026-11-k8s-admin.yaml:1:9: this request is in the folder of 'dave' "
        "but names 'carol'"
    ]


def test_a_record_is_made_by_someone_the_course_allows(make_org):
    root = make_org({"teams/platform/records/carol.yaml": """
        person: carol
        records:
          - {course: k8s-ojt, date: 2026-05-10, by: carol, checklist: [true, true]}
          - {course: k8s-ojt, date: 2026-05-11, by: alice, checklist: [true, true]}
          - {course: k8s-ojt, date: 2026-05-12, by: erin, checklist: [true, true]}
          - {course: k8s-ojt, date: 2026-05-13, by: dave, checklist: [true]}
        """})
    allowed = ("the course allows manager, mentor (catalog/k8s-ojt.yaml:3:13), "
               "that is alice (manager), erin (manager), bob (mentor)")
    # Warnings for merged records: who may record is judged when a record is added (check --base, the helpers).
    assert messages(root) == [
        f"teams/platform/records/carol.yaml:3:45: warning: 'carol' may not record 'k8s-ojt' for 'carol': {allowed}",
        f"teams/platform/records/carol.yaml:6:45: warning: 'dave' may not record 'k8s-ojt' for 'carol': {allowed}",
        "teams/platform/records/carol.yaml:6:62: the checklist has 1 item but 'k8s-ojt' has 2 "
        "(catalog/k8s-ojt.yaml:4:12)",
    ]


def test_merged_records_stay_valid_when_their_recorder_moves_on(make_org):
    root = make_org({"teams/platform/team.yaml": PLATFORM_TEAM.replace("mentor: bob", "mentor: dave")})
    assert [m for m in messages(root) if "warning" not in m] == []
    assert messages(root) == [
        "teams/platform/records/carol.yaml:4:45: warning: 'bob' may not record 'k8s-ojt' for 'carol': the course "
        "allows manager, mentor (catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), dave (mentor)",
    ]


def test_a_session_ends_after_it_starts(make_org):
    root = make_org({"catalog/k8s-admin.yaml": """
        title: K
        format: classroom
        elective: true
        sessions:
          - {id: s1, start: 2026-12-03T09:00, end: 2026-12-03T08:00}
          - {id: s1, start: 2026-12-04T09:00, end: 2026-12-04T17:00}
          - {id: s2, start: 2026-12-05T09:00, end: 2026-12-05T09:00}
        """, "teams/platform/requests/carol/2026-11-k8s-admin.yaml": """
        person: carol
        course: k8s-admin
        session: s1
        date: 2026-11-20
        """, "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml": None,
        "assignments/teams/platform.yaml": None, "attendance/k8s-admin/2026-12-berlin.yaml": None})
    assert messages(root) == [
        "catalog/k8s-admin.yaml:5:44: session 's1' ends (2026-12-03T08:00) before it starts "
        "(2026-12-03T09:00, at catalog/k8s-admin.yaml:5:21)",
        "catalog/k8s-admin.yaml:6:10: session 's1' is listed twice (first at catalog/k8s-admin.yaml:5:10)",
        "catalog/k8s-admin.yaml:7:44: session 's2' ends (2026-12-05T09:00) when it starts "
        "(2026-12-05T09:00, at catalog/k8s-admin.yaml:7:21)",
    ]


def test_a_slip_names_an_existing_request_beside_it(make_org):
    root = make_org({
        "teams/platform/requests/carol/2026-11-other.cost.yaml": "request: 2026-11-other\n",
        "teams/platform/requests/carol/2026-11-third.cost.yaml": "request: 2026-11-k8s-admin\n",
    })
    assert messages(root) == [
        "teams/platform/requests/carol/2026-11-other.cost.yaml:1:10: no request '2026-11-other' beside this slip: "
        "expected teams/platform/requests/carol/2026-11-other.yaml",
        "teams/platform/requests/carol/2026-11-third.cost.yaml:1:10: this slip is for request '2026-11-third' "
        "(its file name) but names '2026-11-k8s-admin'",
    ]


def test_requests_need_an_elective_course_and_a_known_session(make_org):
    root = make_org({"teams/platform/requests/carol/2026-11-k8s-admin.yaml": """
        person: carol
        course: k8s-admin
        session: 2027-01-lyon
        kind: external
        date: 2026-11-20
        """, "teams/platform/requests/carol/2026-11-ojt.yaml": """
        person: carol
        course: k8s-ojt
        date: 2026-11-20
        """})
    assert messages(root) == [
        "teams/platform/requests/carol/2026-11-k8s-admin.yaml:2:1: missing approval slip "
        "teams/platform/requests/carol/2026-11-k8s-admin.external.yaml: external training needs the approval of the "
        "holders of approve.external (run 'lmsgen check --fix' to write it)",
        "teams/platform/requests/carol/2026-11-k8s-admin.yaml:3:10: unknown session '2027-01-lyon' of course "
        "'k8s-admin' (catalog/k8s-admin.yaml lists: 2026-12-berlin)",
        "teams/platform/requests/carol/2026-11-k8s-admin.yaml:4:7: an external request needs a course of format "
        "external; 'k8s-admin' is classroom (catalog/k8s-admin.yaml:2:9)",
        "teams/platform/requests/carol/2026-11-ojt.yaml:2:9: course 'k8s-ojt' is not elective, so it cannot be "
        "requested (catalog/k8s-ojt.yaml:1:1)",
    ]


def test_a_broken_course_file_does_not_echo_as_unknown_references(make_org):
    root = make_org({"catalog/k8s-ojt.yaml": "title: [broken\n"})
    assert messages(root) == ["catalog/k8s-ojt.yaml:2:1: YAML syntax error: did not find expected ',' or ']'"]


def test_remembered_records_checks_follow_the_files_they_are_checked_against(make_org):
    root = make_org({"teams/platform/records/carol.yaml": """
        person: carol
        records:
          - {course: k8s-ojt, date: 2026-05-10, by: carol, checklist: [true, true]}
        """})
    first = messages(root)
    assert first == [
        "teams/platform/records/carol.yaml:3:45: warning: 'carol' may not record 'k8s-ojt' for 'carol': the course "
        "allows manager, mentor (catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), bob (mentor)"]
    assert messages(root) == first  # remembered
    write_files(root, {"catalog/k8s-ojt.yaml": """
        title: Kubernetes on the job
        format: ojt
        completion: {by: [self, manager, mentor]}
        checklist: [Deploys a service, Rolls back a release]
        """})
    assert messages(root) == []


# Edits to the files that the checks of a records file depend on: its courses, its person's team and managers,
# and the people its recorders are; each maps paths to new contents (None deletes).
EDITS: dict[str, dict[str, str | None]] = {
    "ojt by manager only": {"catalog/k8s-ojt.yaml": "title: K\nformat: ojt\ncompletion: {by: [manager]}\n"
                                                    "checklist: [Deploys, Rolls back]\n"},
    "ojt with three items": {"catalog/k8s-ojt.yaml": "title: K\nformat: ojt\ncompletion: {by: [manager, mentor]}\n"
                                                     "checklist: [Deploys, Rolls back, Scales]\n"},
    "ojt with three items, moved down": {"catalog/k8s-ojt.yaml": "# Owned by L&D\n\ntitle: K\nformat: ojt\n"
                                                                 "completion: {by: [manager, mentor]}\n"
                                                                 "checklist: [Deploys, Rolls back, Scales]\n"},
    "ojt renamed": {"catalog/k8s-ojt.yaml": "title: Kubernetes at work\nformat: ojt\ncompletion: {by: [manager, mentor]}\n"
                                            "checklist: [Deploys a service, Rolls back a release]\n"},
    "ojt removed": {"catalog/k8s-ojt.yaml": None},
    "ojt broken": {"catalog/k8s-ojt.yaml": "title: [broken\n"},
    "carol mentored by dave": {"teams/platform/team.yaml": PLATFORM_TEAM.replace("mentor: bob", "mentor: dave")},
    "platform managed by dave": {"teams/platform/team.yaml": PLATFORM_TEAM.replace("manager: alice", "manager: dave")},
    "platform team moved down": {"teams/platform/team.yaml": "# Reviewed yearly\n\n" + PLATFORM_TEAM},
    "carol moved to engineering": {
        "teams/platform/team.yaml": PLATFORM_TEAM.replace("  - {id: carol, name: Carol Diaz, git: carold, mentor: bob}\n",
                                                          ""),
        "teams/engineering/team.yaml": "name: Engineering\nmanager: erin\nmembers:\n  - {id: erin, name: E, git: e}\n"
                                       "  - {id: dana, name: D, git: d}\n  - {id: carol, name: C, git: c}\n"},
    "platform team broken": {"teams/platform/team.yaml": "name: [broken\n"},
    "zoe hired": {"teams/engineering/team.yaml": "name: Engineering\nmanager: erin\nmembers:\n"
                                                 "  - {id: erin, name: E, git: e}\n  - {id: dana, name: D, git: d}\n"
                                                 "  - {id: zoe, name: Z, git: z}\n"},
    "engineering managed by dana": {"teams/engineering/team.yaml": DESIGN_ORG["teams/engineering/team.yaml"]
                                    .replace("manager: erin", "manager: dana")},
    "ojt requested": {"teams/platform/requests/carol/2026-11-ojt.yaml": "person: carol\ncourse: k8s-ojt\n"
                                                                       "date: 2026-11-02\n"},
    "k8s-admin's cost slip removed": {"teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml": None},
    "budget overspent": {"budgets/2026.yaml": "platform: {amount: 100, currency: EUR}\n"},
    "records by zoe and erin": {"teams/platform/records/carol.yaml": """
        person: carol
        records:
          - {course: k8s-ojt, date: 2026-05-10, by: bob, checklist: [true, true]}
          - {course: k8s-ojt, date: 2026-06-10, by: zoe, checklist: [true, true]}
          - {course: k8s-ojt, date: 2026-06-11, by: erin, checklist: [true, true]}
          - {course: secure-coding, date: 2026-06-11, by: dave}
        """},
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(steps=[("records by zoe and erin", True), ("zoe hired", True)])  # a stranger to the records becomes known
@example(steps=[("records by zoe and erin", True), ("engineering managed by dana", True)])  # a manager above changes
@example(steps=[("ojt with three items", True), ("ojt with three items, moved down", True)])  # a cited course moves
@given(steps=st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.booleans()), min_size=1, max_size=6))
def test_remembered_findings_are_what_a_fresh_check_finds(tmp_path_factory, steps):
    """Whatever changes between runs, a run with the cache reports exactly what one without it reports."""
    root = tmp_path_factory.mktemp("org")
    original = {**DESIGN_ORG, "teams/platform/team.yaml": PLATFORM_TEAM}
    write_files(root, original)
    fresh = [str(d) for d in validate_root(root, use_cache=False, check_codeowners=True).diagnostics]
    assert [str(d) for d in validate_root(root, check_codeowners=True).diagnostics] == fresh
    for edit, applied in steps:
        changes = EDITS[edit]
        write_files(root, changes if applied else {path: original.get(path) for path in changes})
        fresh = [str(d) for d in validate_root(root, use_cache=False, check_codeowners=True).diagnostics]
        assert [str(d) for d in validate_root(root, check_codeowners=True).diagnostics] == fresh, (edit, applied)


# Random edits to a copy of the shipped demo organisation: (what, which file or person by index, a second index).
DEMO_EDITS = ["manager", "member removed", "mentor", "recorders", "checklist", "course removed", "comment above",
              "record by a stranger"]


def _edit_demo(root: Path, what: str, first: int, second: int) -> None:
    teams = sorted(root.glob("teams/*/team.yaml"))
    courses = sorted(root.glob("catalog/*.yaml"))
    records = sorted(root.glob("teams/*/records/*.yaml"))
    team_file, course_file = teams[first % len(teams)], courses[first % len(courses)]
    team, course = yaml.safe_load(team_file.read_text()), yaml.safe_load(course_file.read_text())
    members = team["members"]
    if what == "manager":
        team["manager"] = members[second % len(members)]["id"]
    elif what == "member removed" and len(members) > 1:
        members.pop(second % len(members))
    elif what == "mentor":
        members[second % len(members)]["mentor"] = members[(second + 1) % len(members)]["id"]
    elif what == "recorders":
        kinds = ["self", "manager", "mentor", "trainer"]
        course["completion"] = {"by": [kinds[second % 4], kinds[(second + first) % 4]]}
    elif what == "checklist":
        course["checklist"] = [f"Step {n}" for n in range(second % 4)]
    elif what == "course removed":
        course_file.unlink()
        return
    elif what == "record by a stranger":
        path = records[first % len(records)]
        data = yaml.safe_load(path.read_text())
        data["records"].append({**data["records"][-1], "by": members[second % len(members)]["id"]})
        path.write_text(yaml.safe_dump(data))
        return
    else:  # "comment above": every position in the file moves down
        team_file.write_text("# Reviewed\n" + team_file.read_text())
        return
    team_file.write_text(yaml.safe_dump(team))
    course_file.write_text(yaml.safe_dump(course))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(DEMO_EDITS), st.integers(0, 100), st.integers(0, 100)),
                      min_size=1, max_size=4))
def test_remembered_findings_hold_through_random_edits_of_the_demo(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("demo")
    for folder in ("catalog", "roles", "teams", "assignments", "attendance", "budgets"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "org.yaml", root / "org.yaml")
    validate_root(root)  # the cache, as a user's working copy has it
    for what, first, second in steps:
        _edit_demo(root, what, first, second)
        fresh = [str(d) for d in validate_root(root, use_cache=False).diagnostics]
        assert [str(d) for d in validate_root(root).diagnostics] == fresh, (what, first, second)
