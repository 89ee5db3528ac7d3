"""The rows of a portal's learning history, written compactly (docs/site.md#the-portal).

A long-serving person has hundreds of rows, and ten thousand portals repeat them: the course is its title (the
catalog has its page), the recorder a name (`you` on one's own portal), a cell with nothing to say is empty, and no
cell or row writes its end tag. The commit that added a record is a link on the day it was recorded (a short id,
which the git hosts accept), in a column of its own; rows one after the other that the same commit added share
that cell (`rowspan`): the history an organisation brings when it starts with lmsgen is one commit, as is a pull
request that records a course for a whole team, and a row then says once where it came from, not once per row.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from .portals import HistoryItem
from .words import Words, code


class HistoryMemo:
    """What history rows repeat from portal to portal, escaped once (a build's portals share one): course titles,
    people's names, results, and the cell of each commit."""

    def __init__(self) -> None:
        self.titles: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.results: dict[str | None, str] = {}
        self.commits: dict[tuple[str, str | None], str] = {}


def history_rows(items: list[HistoryItem], me: str | None, w: Words, person_name: Callable[[str], str],
                 memo: HistoryMemo | None = None) -> Markup:
    """The rows of `items` (`me`: whose portal): when, what, who recorded it, in which commit (its day, linked),
    the result and until when. `memo`: what one build's portals share (in `w`'s words)."""
    memo = memo or HistoryMemo()
    titles, names, results, commits = memo.titles, memo.names, memo.results, memo.commits
    tm = w.markup
    # The sentences a row repeats, escaped once per portal: a row fills them with str.format.
    on_commit, you = w.escaped("site.history.on_commit"), w.escaped("site.history.you")
    cells: list[tuple[str, str, str | None, str]] = []
    """Per row: its cells before the commit's, the commit (None: no cell of its own), its cell, those after it."""
    for item in items:
        event = item.event
        commit: str | None = None
        where = ""
        if event.via == "attendance":
            recorded = str(tm("site.history.attended", session=event.session, path=event.path))
        else:
            by = item.recorded_by
            if event.via == "import":
                recorded = str(tm("site.history.imported", source=event.by, batch=code(event.path)))
            elif by and by == me:
                recorded = you
            elif by:
                recorded = names.get(by)
                if recorded is None:
                    recorded = names[by] = str(escape(person_name(by)))
            else:
                recorded = ""
            if item.audit:
                commit = item.audit.commit.sha
                where = commits.get((commit, item.commit_url))
                if where is None:
                    sha, day = escape(commit[:12]), escape(item.audit.commit.date[:10])
                    where = commits[commit, item.commit_url] = (
                        f'<a href="{escape(item.commit_url)}">{day}</a>' if item.commit_url else
                        on_commit.format(date=day, commit=f"<code>{sha}</code>"))
        title = titles.get(item.course_title)
        if title is None:
            title = titles[item.course_title] = str(escape(item.course_title))
        result = results.get(item.result)
        if result is None:
            result = results[item.result] = str(escape(item.result or ""))
        expires = event.expires_on.isoformat() if event.result == "passed" and event.expires_on else ""
        cells.append((f"<tr><td>{event.on.isoformat()}<td>{title}<td>{recorded}", commit, where,
                      f"<td>{result}<td>{expires}"))
    rows = []
    index = 0
    while index < len(cells):
        first, commit, where, last = cells[index]
        span = 1
        while commit is not None and index + span < len(cells) and cells[index + span][1] == commit:
            span += 1
        # A cell ends where the next begins, a row where the next row begins (HTML's optional end tags).
        rows.append(f'{first}<td rowspan="{span}">{where}{last}' if span > 1 else f"{first}<td>{where}{last}")
        rows.extend(f"{cells[next_][0]}{cells[next_][3]}" for next_ in range(index + 1, index + span))
        index += span
    return Markup("".join(rows))  # a row ends where the next begins: no line break between them either
