"""Approval slips: the files beside a request that route it to the holders of `approve.cost` or
`approve.external`, which `check` requires and `check --fix` writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import formats as m
from ..model.diagnostics import Diagnostic, error
from ..model.organisation import Entry, Organisation
from ..writing import Refused, Tree
from .money import amount_line, is_free, number, request_cost


@dataclass(frozen=True)
class MissingSlip:
    """An approval slip that a request needs and that is not beside it."""

    request: Entry[m.Request]
    kind: m.SlipKind
    path: str
    amount: m.Money | None

    def text(self) -> str:
        """The slip's file: the schema comment for editors, the request's id and, for cost, the amount."""
        schema = "../" * self.path.count("/") + "schemas/slip.schema.json"
        lines = [f"# yaml-language-server: $schema={schema}", f"request: {self.request.id}"]
        if self.amount is not None:
            lines.append(amount_line(self.amount))
        return "\n".join(lines) + "\n"

    def reason(self) -> str:
        """Why the request needs the slip: `a request costing 1200 EUR needs the approval of ...`."""
        if self.amount is not None:
            return (f"a request costing {number(self.amount.amount)} {self.amount.currency} needs the approval "
                    f"of the holders of {self.kind.permission.value}")
        return f"external training needs the approval of the holders of {self.kind.permission.value}"

    def diagnostic(self, why: str | None = None) -> Diagnostic:
        """The error at the request: which slip is missing, and why (by default: the reason, and how to write
        it)."""
        why = why or f"{self.reason()} (run 'lmsgen check --fix' to write it)"
        return self.request.source.error(("course",), f"missing approval slip {self.path}: {why}", key=True)


def required_slips(org: Organisation, request: m.Request) -> dict[m.SlipKind, m.Money | None]:
    """The slips a request needs, each with the amount it approves (cost slips only).

    A cost (the request's own, else the course's) needs a cost slip; external training (the
    request's kind, or the course's format) an external slip.
    """
    course = org.courses[request.course].model if request.course in org.courses else None
    cost = request_cost(org, request)
    needed: dict[m.SlipKind, m.Money | None] = {}
    if cost is not None and not is_free(cost):
        needed[m.SlipKind.COST] = cost
    if request.kind is m.RequestKind.EXTERNAL or (course is not None and course.format is m.Format.EXTERNAL):
        needed[m.SlipKind.EXTERNAL] = None
    return needed


def slip_path(request: Entry[m.Request], kind: m.SlipKind) -> str:
    """Where the slip of `kind` for `request` goes: beside it, `<request>.<kind>.yaml`."""
    return f"{request.source.path.rsplit('/', 1)[0]}/{request.id}.{kind.value}.yaml"


def missing_slips(org: Organisation) -> list[MissingSlip]:
    """Every slip a request needs that is not beside it, in request order."""
    present = {entry.source.path for entry in org.slips}
    # A slip that exists but failed to load has its own errors; it is not missing.
    broken = {id_ for kind, id_ in org.broken if kind == "slip"}
    found = []
    for entry in org.requests:
        for kind, amount in required_slips(org, entry.model).items():
            path = slip_path(entry, kind)
            if path not in present and entry.id not in broken:
                found.append(MissingSlip(entry, kind, path, amount))
    return found


def write_slips(root: Path, slips: Iterable[MissingSlip]) -> tuple[list[str], list[Diagnostic]]:
    """Writes each missing slip under `root`, never over an existing file (or link) and never through a link;
    returns the paths written, and an error for each slip that could not be, at the path at fault."""
    written, problems = [], []
    with Tree(root) as tree:
        for slip in slips:
            try:
                tree.write(slip.path, slip.text().encode("utf-8"), exclusive=True)
            except FileExistsError:
                continue
            except Refused as refused:
                problems.append(error(refused.path, (1, 1), f"{refused.reason} (the approval slip {slip.path} "
                                                            f"was not written)"))
                continue
            except OSError as problem:
                problems.append(error(slip.path, (1, 1), f"the approval slip could not be written: "
                                                         f"{(problem.strerror or str(problem)).lower()}"))
                continue
            written.append(slip.path)
    return written, problems
