"""The portal's "Withdraw" links: the git host's editor with `<request>.withdraw.yaml` pre-filled beside a booked
request whose session is still to come (docs/sessions.md)."""

from __future__ import annotations

from ..history import helpers
from ..rules.withdrawals import withdrawal_path
from . import links
from .views import SiteData


def withdraw_links(data: SiteData, person: str) -> dict[str, str]:
    """The request id → the link that withdraws it, for each of `person`'s requests that may still be withdrawn:
    a session that has not started before the build date, not withdrawn already. Empty without git settings."""
    if data.settings is None:
        return {}
    found = {}
    for view in data.requests_by_person.get(person, []):
        if view.session is None or view.withdrawn or view.session.starts_on < data.as_of:
            continue
        path = withdrawal_path(view.entry)
        text = helpers.document("withdrawal", path, {"reason": data.words.t("site.withdraw.reason"), "date": data.as_of})
        found[view.entry.id] = links.new_file_url(data.settings, path, text)
    return found
