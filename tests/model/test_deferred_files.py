"""Files other than records found valid before are validated when first read, with org.yaml's context, as when
loaded (model/loading.py `_known_valid`); what the checks find is the same warm as cold."""

from __future__ import annotations

from conftest import write_files

from lmsgen.model import loading
from lmsgen.rules.validation import validate_root

BERLIN_ORG = """\
name: Acme Corp
git: {host: github, repo: https://github.com/acme/learning, branch: main}
currency: EUR
timezone: Europe/Berlin
"""


def _start(root, *, deferred: bool = True):
    entry = loading.load_root(root).organisation.courses["k8s-admin"]
    assert (entry._model is None) is deferred  # found valid before: not validated until read
    return entry.model.sessions[0].start


def test_a_deferred_course_is_validated_with_the_zone_of_org_yaml(make_org):
    root = make_org({"org.yaml": BERLIN_ORG})
    cold = loading.load_root(root, use_cache=False).organisation.courses["k8s-admin"].model.sessions[0].start
    assert str(cold.tzinfo) == "Europe/Berlin"
    assert validate_root(root).ok
    assert _start(root) == cold and str(_start(root).tzinfo) == "Europe/Berlin"  # warm: deferred, same model
    write_files(root, {"org.yaml": BERLIN_ORG.replace("Europe/Berlin", "America/New_York")})
    moved = _start(root, deferred=False)
    assert str(moved.tzinfo) == "America/New_York" and moved != cold  # another org.yaml: validated anew


def test_a_warm_check_finds_what_a_cold_one_does_after_files_change(make_org):
    root = make_org()
    assert validate_root(root).ok
    write_files(root, {"teams/platform/requests/carol/2026-11-ojt.yaml": "person: carol\ncourse: k8s-ojt\n"
                                                                         "date: 2026-11-02\n"})
    cold = [str(d) for d in validate_root(root, use_cache=False).diagnostics]
    assert any("not elective" in line for line in cold)
    assert [str(d) for d in validate_root(root).diagnostics] == cold
    assert [str(d) for d in validate_root(root).diagnostics] == cold  # and again, all recalled
