import os
import signal
import time

import pytest

from lmsgen.cache.digests import blob_id
from lmsgen.cache.memo import Memo
from lmsgen.demo.generator import write_demo
from lmsgen.model import loading
from lmsgen.rules.policy import load_inputs
from lmsgen.rules.validation import validate_root


def messages(root):
    return [str(d) for d in validate_root(root).diagnostics]


def test_the_sample_organisation_written_to_the_reference_formats_is_valid(make_org):
    validated = validate_root(make_org())
    assert validated.diagnostics == []
    org = validated.organisation
    assert sorted(org.courses) == ["incident-response", "k8s-admin", "k8s-ojt", "secure-coding", "security-intro"]
    assert org.rules["security-baseline"].model.from_.isoformat() == "2026-01-01"
    assert org.members["carol"].team == "platform"
    assert [e.id for e in org.slips] == ["2026-11-k8s-admin"]


def test_every_error_of_a_run_is_reported_with_its_position(make_org):
    root = make_org({
        "catalog/k8s-ojt.yaml": """
            title: Kubernetes on the job
            format: ojt
            titel: typo
            hours: lots
            """,
        "roles/admin.yaml": """
            name: Administrators
            holders: [erin]
            """,
        "budgets/2026.yaml": "Engineering: {amount: -5, currency: eur}\n",
    })
    assert messages(root) == [
        "budgets/2026.yaml:1:1: 'Engineering' is not a valid id: use lowercase letters, digits and hyphens",
        "budgets/2026.yaml:1:23: Engineering.amount: input should be greater than or equal to 0",
        "budgets/2026.yaml:1:37: Engineering.currency: 'eur' is not a currency code: use three capital letters, such as EUR",
        "catalog/k8s-ojt.yaml:3:1: unknown key 'titel' (did you mean 'title'?)",
        "catalog/k8s-ojt.yaml:4:8: hours: input should be a valid number, found 'lots'",
        "roles/admin.yaml:1:1: missing required key 'grants'",
    ]


def test_numbers_are_yaml_numbers_and_text_is_taken_as_written(make_org):
    root = make_org({
        "catalog/k8s-ojt.yaml": """
            title: Kubernetes on the job
            format: ojt
            hours: "2"
            valid_months: true
            checklist: [Deploys a service, "  "]
            """,
        "assignments/security-baseline.yaml": """
            title: Security baseline for everyone
            courses: [secure-coding, secure-coding]
            exclude: [{person: " erin", reason: Certified externally}]
            due_days: "30"
            """,
    })
    assert messages(root) == [
        "assignments/security-baseline.yaml:2:10: courses: listed twice: secure-coding",
        "assignments/security-baseline.yaml:3:20: exclude[0].person: ' erin' is not a valid id: use lowercase "
        "letters, digits and hyphens",
        "assignments/security-baseline.yaml:4:11: due_days: input should be a valid integer, found '30': a number in "
        "quotes is text to YAML; remove the quotes",
        "catalog/k8s-ojt.yaml:3:8: hours: input should be a valid number, found '2': a number in quotes is text to "
        "YAML; remove the quotes",
        "catalog/k8s-ojt.yaml:4:15: valid_months: input should be a valid integer, found true",
        "catalog/k8s-ojt.yaml:5:32: checklist[1]: the text is blank: write it out",
    ]


def test_nested_unknown_key_names_its_place(make_org):
    root = make_org({"teams/platform/records/carol.yaml": """
        person: carol
        records:
          - {course: secure-coding, date: 2026-03-02, by: carol, scroe: 92}
        """})
    assert messages(root) == [
        "teams/platform/records/carol.yaml:3:58: records[0]: unknown key 'scroe' (did you mean 'score'?)"
    ]


@pytest.mark.parametrize(
    ("path", "content", "expected"),
    [
        ("catalog/Secure Coding.yaml", "title: x\n",
         "catalog/Secure Coding.yaml:1:1: 'Secure Coding' is not a valid course id: "
         "use lowercase letters, digits and hyphens"),
        ("catalog/x.yml", "title: x\n", "catalog/x.yml:1:1: use the .yaml extension, not .yml"),
        ("teams/platform/requests/carol/r1.money.yaml", "request: r1\n",
         "teams/platform/requests/carol/r1.money.yaml:1:1: unknown approval slip kind 'money': "
         "expected <request>.cost.yaml, <request>.external.yaml"),
        ("catalog/deep/x.yaml", "title: x\n",
         "catalog/deep/x.yaml:1:1: this file is not part of the layout; expected one of: org.yaml, "
         "catalog/<course>.yaml, roles/<role>.yaml, teams/<team>/team.yaml, "
         "teams/<team>/records/<person>.admin.yaml (or requests/<person>/<request>.admin.yaml), "
         "teams/<team>/records/<person>.yaml, "
         "teams/<team>/requests/<person>/<request>.withdraw.yaml, "
         "teams/<team>/requests/<person>/<request>.<kind>.yaml, teams/<team>/requests/<person>/<request>.yaml, "
         "assignments/teams/<team>.yaml, assignments/<rule>.yaml, attendance/<course>/<session>.admin.yaml, "
         "attendance/<course>/<session>.yaml, "
         "budgets/<year>.yaml, completions/<source>/<batch>.admin.yaml, completions/<source>/<batch>.yaml, "
             "programs/<program>.yaml, profiles/<profile>.yaml, vendors/<vendor>.yaml, theme/theme.yaml"),
        ("catalog/big.yaml", b"title: " + b"x" * (1024 * 1024) + b"\n",
         "catalog/big.yaml:1:1: file is 1,048,584 bytes, over the limit of 1,048,576 (1 MiB)"),
        ("catalog/latin1.yaml", b"title: caf\xe9\nformat: elearning\n",
         "catalog/latin1.yaml:1:11: invalid UTF-8 (byte 0xe9)"),
        ("catalog/dup.yaml", "title: a\nformat: ojt\ntitle: b\n",
         "catalog/dup.yaml:3:1: duplicate key 'title' (first at line 1)"),
        ("catalog/broken.yaml", "title: [a\nformat: ojt\n",
         "catalog/broken.yaml:2:7: YAML syntax error: did not find expected ',' or ']'"),
        ("catalog/empty.yaml", "",
         "catalog/empty.yaml:1:1: expected a mapping of keys (catalog/<course>.yaml), found an empty file"),
        ("catalog/list.yaml", "- title: a\n",
         "catalog/list.yaml:1:1: expected a mapping of keys (catalog/<course>.yaml), found a list"),
    ],
)
def test_each_bad_file_is_one_clean_error(make_org, path, content, expected):
    assert messages(make_org({path: content})) == [expected]


def test_symbolic_links_are_refused(make_org, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: x\nformat: ojt\n")
    root = make_org()
    os.symlink(secret, root / "catalog" / "leak.yaml")
    assert messages(root) == ["catalog/leak.yaml:1:1: symbolic links are not followed; replace it with the file itself"]


def test_files_outside_the_data_folders_are_ignored(make_org):
    assert messages(make_org({"docs/notes.yaml": "- not org data\n", "catalog/README.md": "# Catalog\n"})) == []


def test_missing_org_yaml(make_org):
    assert messages(make_org({"org.yaml": None})) == [
        "org.yaml:1:1: missing org.yaml: every organisation needs one (name, git host and repository)"
    ]


def test_the_cache_rereads_only_changed_files(make_org, monkeypatch):
    root = make_org()
    assert validate_root(root).ok
    parsed = []
    real_parse = loading.parse
    monkeypatch.setattr(loading, "parse", lambda raw: parsed.append(raw) or real_parse(raw))
    assert validate_root(root).ok
    assert parsed == []
    (root / "catalog" / "k8s-ojt.yaml").write_text(
        "title: Kubernetes on the job, revised\nformat: ojt\ncompletion: {by: [manager, mentor]}\n"
        "checklist: [Deploys a service, Rolls back a release]\n")
    validated = validate_root(root)
    assert validated.ok
    assert len(parsed) == 1
    assert validated.organisation.courses["k8s-ojt"].model.title == "Kubernetes on the job, revised"


def test_a_damaged_cache_is_ignored(make_org):
    root = make_org()
    cache_file = Memo.for_root(root).path
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(b"not a pickle")
    assert validate_root(root).ok


def test_blob_id_is_gits(make_org):
    root = make_org()
    from conftest import git
    assert blob_id((root / "org.yaml").read_bytes()) == git(root, "hash-object", "org.yaml").strip()


def test_the_organisation_loads_without_the_fast_reader(make_org, monkeypatch):
    from lmsgen.model import yamlfile
    monkeypatch.setattr(yamlfile, "yaml_rs", None)
    validated = validate_root(make_org(), use_cache=False)
    assert validated.diagnostics == []
    assert validated.organisation.rules["security-baseline"].model.due_days == 30


def test_a_date_like_title_stays_text(make_org):
    validated = validate_root(make_org({"catalog/incident-response.yaml": "title: 2026-01-01\nformat: webinar\n"}))
    assert validated.diagnostics == []
    assert validated.organisation.courses["incident-response"].model.title == "2026-01-01"


def test_a_number_where_an_id_is_expected_says_to_quote_it(make_org):
    # `101` is a valid course id, but YAML reads it unquoted as a number.
    root = make_org({"attendance/k8s-admin/2026-12-berlin.yaml": "attended: [101, true]\n"})
    assert messages(root) == [
        "attendance/k8s-admin/2026-12-berlin.yaml:1:12: attended[0]: input should be a valid string, "
        "but YAML reads this value as a number: put it in quotes",
        "attendance/k8s-admin/2026-12-berlin.yaml:1:17: attended[1]: input should be a valid string, "
        "but YAML reads this value as a boolean: put it in quotes",
    ]


def test_a_small_change_goes_to_the_cache_journal_and_is_read_back(make_org, monkeypatch):
    root = make_org()
    assert validate_root(root).ok
    cache_file = Memo.for_root(root).path
    journal = cache_file.with_name(cache_file.name + ".journal")
    size = cache_file.stat().st_size
    journal_size = journal.stat().st_size if journal.exists() else 0
    monkeypatch.setattr("lmsgen.cache.store._JOURNAL_SHARE", 10.0)  # the demo's cache is small: let the journal grow
    (root / "catalog" / "k8s-ojt.yaml").write_text(
        "title: Kubernetes on the job, revised\nformat: ojt\ncompletion: {by: [manager, mentor]}\n"
        "checklist: [Deploys a service, Rolls back a release]\n")
    assert validate_root(root).ok
    assert journal.stat().st_size > journal_size and cache_file.stat().st_size == size
    parsed = []
    real_parse = loading.parse
    monkeypatch.setattr(loading, "parse", lambda raw: parsed.append(raw) or real_parse(raw))
    validated = validate_root(root)
    assert parsed == [] and validated.organisation.courses["k8s-ojt"].model.title == "Kubernetes on the job, revised"
    with journal.open("ab") as cut_short:
        cut_short.write(b"\xfb\x00")  # a record a killed run left half written
    assert validate_root(root).ok and parsed == []


def test_records_found_valid_before_are_validated_only_when_read(make_org, monkeypatch):
    root = make_org()
    assert validate_root(root).ok
    validated_now = []
    real_validate = loading.validate_data
    monkeypatch.setattr(loading, "validate_data", lambda kind, *args: validated_now.append(kind.name) or
                        real_validate(kind, *args))
    org = validate_root(root).organisation
    assert validated_now == ["org"]  # every other file, records or not, is validated when first read
    (carol,) = org.records
    assert [(r.course, r.by) for r in carol.model.records] == [("secure-coding", "carol"), ("k8s-ojt", "bob")]


def test_a_valid_records_file_the_cache_no_longer_holds_is_read_again(make_org, monkeypatch):
    root = make_org()
    assert validate_root(root).ok
    carol_blob = blob_id((root / "teams/platform/records/carol.yaml").read_bytes())
    org = loading.load_root(root).organisation
    real_recall = Memo.recall
    monkeypatch.setattr(Memo, "recall", lambda self, kind, *inputs, **options: None if inputs == (carol_blob,)
                        else real_recall(self, kind, *inputs, **options))
    (carol,) = org.records
    assert carol.model.person == "carol" and len(carol.model.records) == 2


def test_a_flag_is_true_or_false_only(make_org):
    root = make_org({
        "catalog/incident-response.yaml": "title: Incident response\nformat: webinar\nelective: yes\n",
        "teams/platform/records/carol.yaml": "person: carol\nrecords:\n"
                                             "  - {course: k8s-ojt, date: 2026-05-10, by: bob, checklist: [1, on]}\n",
    })
    assert messages(root) == [
        "catalog/incident-response.yaml:3:11: elective: expected true or false, found 'yes'",
        "teams/platform/records/carol.yaml:3:62: records[0].checklist[0]: expected true or false, found the number 1",
        "teams/platform/records/carol.yaml:3:65: records[0].checklist[1]: expected true or false, found 'on'",
    ]


def test_a_control_character_is_one_error_at_its_place(make_org):
    root = make_org({"catalog/incident-response.yaml": b"title: Incident\x00response\nformat: webinar\n"})
    assert messages(root) == [
        "catalog/incident-response.yaml:1:16: control character U+0000 is not allowed in YAML: remove it"]


def test_numbers_are_finite(make_org):
    root = make_org({"catalog/incident-response.yaml": "title: Incident response\nformat: webinar\nhours: .inf\n",
                     "budgets/2026.yaml": "engineering: {amount: .nan, currency: EUR}\n"})
    assert messages(root) == [
        "budgets/2026.yaml:1:23: engineering.amount: input should be a finite number",
        "catalog/incident-response.yaml:3:8: hours: input should be a finite number",
    ]


def test_a_file_that_fails_to_load_is_not_also_reported_missing(make_org):
    root = make_org({"org.yaml": "name: Acme\ngit: {host: bitbucket, repo: https://bitbucket.org/acme/learning}\n",
                     "teams/engineering/team.yaml": "name: Engineering\nmanager: erin\nmembers:\n"
                                                    "  - {id: Erin, name: Erin Roe}\n"})
    assert [line for line in messages(root) if "missing" in line or "unknown team" in line
            or line.startswith(("org.yaml", "teams/engineering/team.yaml"))] == [
        "org.yaml:2:13: git.host: input should be 'github' or 'gitlab'",
        "teams/engineering/team.yaml:4:10: members[0].id: 'Erin' is not a valid id: use lowercase letters, digits "
        "and hyphens",
    ]


def test_an_edit_whose_modification_time_was_put_back_is_seen(make_org):
    root = make_org()
    assert validate_root(root).ok
    course = root / "catalog" / "k8s-ojt.yaml"
    before = course.stat()
    course.write_text(course.read_text().replace("Kubernetes on the job", "Kubernetes in the job"))  # same size
    os.utime(course, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `rsync -a` or `touch -r` leave it
    assert course.stat().st_size == before.st_size and course.stat().st_mtime_ns == before.st_mtime_ns
    assert validate_root(root).organisation.courses["k8s-ojt"].model.title == "Kubernetes in the job"


def test_a_run_that_reads_part_of_the_organisation_keeps_what_check_needs(tmp_path, monkeypatch):
    """After a team changes, `lmsgen codeowners` reads only the policy's inputs; the next check stays warm."""
    root = tmp_path / "org"
    write_demo(root, 200)
    assert validate_root(root).ok
    team = sorted(root.glob("teams/*/team.yaml"))[0]
    team.write_text(team.read_text() + "# reviewed\n")
    load_inputs(root)
    parsed = []
    real_parse = loading.parse
    monkeypatch.setattr(loading, "parse", lambda raw: parsed.append(raw) or real_parse(raw))
    validate_root(root)
    assert parsed == []


def test_a_whole_check_forgets_what_no_longer_serves_and_keeps_the_rest(make_org, monkeypatch):
    root = make_org()
    assert validate_root(root).ok
    stale = Memo.for_root(root)
    for number in range(500):  # what runs of other versions of the files left behind
        stale.remember("records-check", "old", str(number), value=[])
    stale.save()
    (root / "catalog" / "k8s-ojt.yaml").write_text(
        "title: Kubernetes on the job\nformat: ojt\ncompletion: {by: [manager, mentor, self]}\n"
        "checklist: [Deploys a service, Rolls back a release]\n")
    load_inputs(root)  # reads part of the organisation: forgets nothing
    assert Memo.for_root(root).recall("records-check", "old", "0") == []
    assert validate_root(root).ok  # reads all of it
    assert Memo.for_root(root).recall("records-check", "old", "0") is None
    parsed = []
    real_parse = loading.parse
    monkeypatch.setattr(loading, "parse", lambda raw: parsed.append(raw) or real_parse(raw))
    assert validate_root(root).ok and parsed == []


def test_ids_are_at_most_a_hundred_characters_in_paths_and_in_fields(make_org):
    long_id = "a" * 101
    root = make_org({
        f"teams/platform/records/{long_id}.yaml": "person: carol\nrecords: []\n",
        "assignments/security-baseline.yaml": f"""
            title: Security baseline for everyone
            courses: [{long_id}]
            """,
    })
    assert messages(root) == [
        "assignments/security-baseline.yaml:2:11: courses[0]: string should have at most 100 characters",
        f"teams/platform/records/{long_id}.yaml:1:1: the person id is 101 characters long: an id has at most 100",
    ]


DEEP_CHECKLIST = "title: Kubernetes on the job\nformat: ojt\nchecklist:\n  " + "- " * 12_000 + "x\n"
DEEP_MESSAGE = "catalog/k8s-ojt.yaml:4:129: the data nests more than 64 levels deep here: flatten it"


@pytest.mark.parametrize("parallel", [False, True], ids=["in-process", "process-pool"])
def test_a_deeply_nested_file_is_one_error_and_check_exits_1(make_org, monkeypatch, capsys, parallel):
    from lmsgen.cli import main
    if parallel:  # a cold run over many bytes: before, the worker died and the pool raised BrokenProcessPool
        monkeypatch.setattr(loading, "_PARALLEL_BYTES", 0)
        monkeypatch.setattr(loading.os, "cpu_count", lambda: 2)
    root = make_org({"catalog/k8s-ojt.yaml": DEEP_CHECKLIST, "catalog/incident-response.yaml": "title: [\n"})
    started = time.perf_counter()
    assert main(["check", "--root", str(root), "--no-cache"]) == 1
    assert time.perf_counter() - started < (5 if parallel else 1)  # a pool starts processes on a busy machine
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "catalog/incident-response.yaml:2:1: YAML syntax error: did not find expected node content",
        DEEP_MESSAGE,
    ]
    assert captured.err == "2 errors\n"


def test_a_worker_that_dies_names_its_file_and_hides_no_other_problem(make_org, monkeypatch):
    # The pool's processes are forked: they read with the replaced parser.
    real_parse = loading.parse
    monkeypatch.setattr(loading, "parse", lambda raw: os.kill(os.getpid(), signal.SIGKILL) if b"# kills the reader"
                        in raw else real_parse(raw))
    monkeypatch.setattr(loading, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(loading.os, "cpu_count", lambda: 2)
    root = make_org({
        "catalog/k8s-ojt.yaml": "# kills the reader\ntitle: x\nformat: ojt\n",
        "catalog/incident-response.yaml": "title: a\nformat: webinar\ntitle: b\n",
        "roles/ld.yaml": "name: L&D\ngrants: [catalog.edit]\nholders: [alice, bob]\nbogus: 1\n",
    })
    problems = [str(d) for d in loading.load_root(root, use_cache=False).diagnostics]
    assert problems == [
        "catalog/incident-response.yaml:3:1: duplicate key 'title' (first at line 1)",
        "catalog/k8s-ojt.yaml:1:1: reading this file stopped the process that read it: it could not be read; "
        "check its size and nesting, or report it to lmsgen's maintainers",
        "roles/ld.yaml:4:1: unknown key 'bogus'",
    ]


def test_a_worker_that_dies_for_no_file_loses_no_file(make_org, monkeypatch, tmp_path):
    killed_once = tmp_path / "killed"
    real_parse = loading.parse

    def parse(raw: bytes):  # the process dies once (out of memory, killed), for no fault of the file
        if b"name: Acme Corp" in raw and not killed_once.exists():
            killed_once.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real_parse(raw)

    monkeypatch.setattr(loading, "parse", parse)
    monkeypatch.setattr(loading, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(loading.os, "cpu_count", lambda: 2)
    validated = validate_root(make_org(), use_cache=False)
    assert killed_once.exists() and validated.diagnostics == []
    assert validated.organisation.org.model.name == "Acme Corp"


BROKEN_RECORDS = {
    "teams/platform/records/carol.yaml": "person: carol\nrecords:\n"
                                         "  - {course: k8s-ojt, date: 2026-13-10, by: bob}\n"
                                         "  - {course: nope, date: 2026-05-10, by: carol}\n",
    "teams/platform/records/dave.yaml": "person: dave\nrecords: {}\n",
}


def test_a_cold_run_in_worker_processes_finds_what_one_in_process_finds(make_org, monkeypatch):
    in_process = messages(make_org(BROKEN_RECORDS, name="in-process"))
    monkeypatch.setattr(loading, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(loading.os, "cpu_count", lambda: 2)
    root = make_org(BROKEN_RECORDS, name="workers")
    assert messages(root) == in_process and in_process
    assert messages(root) == in_process  # warm: from the cache the workers' answers filled


def test_a_cold_run_keeps_no_model_of_a_valid_records_file_until_one_is_asked_for(make_org, monkeypatch):
    monkeypatch.setattr(loading, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(loading.os, "cpu_count", lambda: 2)
    validated = validate_root(make_org(), use_cache=False)
    assert validated.ok
    (carol,) = validated.organisation.records
    assert carol._pending is not None and carol._model is None  # validated and summarised in a worker
    assert [(r.course, r.by) for r in carol.model.records] == [("secure-coding", "carol"), ("k8s-ojt", "bob")]
