"""A person's standing, as the records check keys their findings by it, is what the organisation says of them."""

from __future__ import annotations

from pathlib import Path

from lmsgen.demo.generator import write_demo
from lmsgen.model.loading import load_root
from lmsgen.model.organisation import Organisation
from lmsgen.rules.records_check import _Standings


def _said(org: Organisation, person: str) -> str:
    """The standing, asked of the organisation one question at a time."""
    member = org.members.get(person)
    if member is None:
        return "unlisted"
    return (f"{member.team}:{member.source.blob}:{member.index}:"
            f"{org.approving_manager(person)}:{org.alternate_manager(person)}")


def test_each_standing_is_what_the_organisation_says(tmp_path: Path) -> None:
    write_demo(tmp_path / "org", 400)
    org = load_root(tmp_path / "org", use_cache=False).organisation
    managers = {entry.model.manager for entry in org.teams.values()}
    assert managers & set(org.members) and set(org.members) - managers  # both kinds of people are asked about
    standings = _Standings(org)
    for person in [*org.members, *managers, "nobody-listed"]:
        assert standings.of(person) == _said(org, person), person


def test_a_manager_above_whom_no_one_is_has_no_approver(make_org) -> None:
    org = load_root(make_org({})).organisation
    standings = _Standings(org)
    for person in org.members:
        assert standings.of(person) == _said(org, person), person
