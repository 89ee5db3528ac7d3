"""`lmsgen withdraw`: the file that withdraws a request, written on a new branch as the other helpers do
(docs/sessions.md)."""

from __future__ import annotations

from ..rules.withdrawals import Withdrawals, withdrawal_path
from .helpers import Proposal, Refused, Workspace, document


def withdraw(ws: Workspace, request_path: str, reason: str) -> Proposal:
    """`<req>.withdraw.yaml` beside the request at `request_path` (relative to the root), dated today."""
    path = request_path.strip().removeprefix("./")
    request = next((entry for entry in ws.org.requests if entry.source.path == path), None)
    if request is None:
        raise Refused.said("cli.refused.no_request", path=path)
    if Withdrawals(ws.org).of(request) is not None:
        raise Refused.said("cli.refused.withdrawn", path=path, withdrawal=withdrawal_path(request))
    if not reason.strip():
        raise Refused.said("cli.refused.no_reason")
    target = withdrawal_path(request)
    text = document("withdrawal", target, {"reason": reason, "date": ws.today})
    what = request.model.course + (f", session {request.model.session}" if request.model.session else "")
    return Proposal({target: text}, f"Withdraw {request.model.person}'s request for {what}", reason,
                    f"lmsgen/withdraw-{request.model.person}-{request.id}")
