"""`lmsgen build`: the static site, rendered into a staging folder and swapped in whole.

mkdocs-material renders the public pages (home, catalog, courses, policy) and gives the theme, the
navigation and the search; the per-person and per-team pages and the reports, all private, are
rendered by `pages` into the shells mkdocs made, and the calendar feeds and the exports are
written by `exports`. Which page is in which zone is `zones.PAGE_KINDS`; a public build
(`public=True`) writes the public zone alone, without personal data. Only public pages are in the
search index and the sitemap: the private directories have their own filter over their own list.
Calendar feeds are written at secret addresses (`feeds`), and only with a secret.

Invalid data builds nothing and leaves the last good site where it was; nothing is written outside
the output folder except its staging sibling, which becomes it.

The output folder may be in the organisation repository (`site/` by default), a pull request's
checkout: the folders on the way to it are opened without following links (`lmsgen.writing`),
it may not be a link itself nor be inside a data folder, and the staging folder is made new,
readable by its owner alone, so what is rendered into it needs no such care.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import posixpath
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from ..errors import GitError
from ..history.revision import validate_revision
from ..model import formats as m
from ..model.diagnostics import Diagnostic
from ..model.layout import DATA_ROOTS
from ..writing import Tree, anchored
from . import (
    badges,
    dashboards,
    export_pieces,
    exports,
    feeds,
    mkdocs_project,
    page_units,
    public_fork,
    request_links,
    shard_plan,
    shards,
    swap,
    theme,
    vendor_report,
)
from .beside import Beside, forked_pool
from .incremental import Incremental, Written
from .manifest import EVERYONE, PUBLIC, Manifest, ManifestStore, person_unit, team_unit
from .mkdocs_project import MkdocsError, MkdocsPage
from .page_inputs import PageInputs, digest_of
from .pages import Pages
from .pieces import Pieces, PieceStore
from .portals import Portals
from .theme_templates import ThemeError
from .views import SiteData

MARKER = ".lmsgen-site"
"""A file in every built site: only a folder that has it (or an empty one) is ever replaced."""
MARKER_TEXT = "built by lmsgen; `lmsgen build` replaces this folder whole\n"


class SiteError(Exception):
    """The site cannot be built where it was asked to go, or could not be written."""


@dataclass
class BuildResult:
    """What a build did: whether the data was valid, its diagnostics, pages per kind and seconds per step."""

    ok: bool
    diagnostics: list[Diagnostic]
    out: Path
    pages: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    public: bool = False
    """Whether the build is of the public zone alone."""
    written: Written = field(default_factory=Written)
    """How many files were written, and how many taken over from the last build (`incremental`)."""
    shard: shards.Shard | None = None
    """The part of the site built (`build --shard K/N`, docs/sharding.md), None for all of it."""


def build_site(root: Path, out: Path, as_of: date, *, use_cache: bool = True, at: str | None = None,
               public: bool = False, feed_secret: str | None = None, badge_secret: str | None = None,
               engine: str = "mkdocs", shard: shards.Shard | None = None) -> BuildResult:
    """Validates the organisation at `root` (or as of commit `at`) and renders its site into `out`, atomically.

    `public`: the public zone alone, without personal data. `feed_secret`: the secret the calendar feeds'
    addresses are made from (`feeds`); without one that will do, no feed is written and a warning says why.
    `engine`: what renders the public pages and the shells, mkdocs or Zensical (`mkdocs_project.ENGINES`).
    `badge_secret`: the same for the Open Badges' assertions (`badges`), which also need org.yaml's `site_url`.
    `shard`: one part of the site, for a CI matrix (`shards`, docs/sharding.md); None for the whole site.

    Only the pages whose inputs changed since the last build into `out` are rendered; the others are taken over
    from it (`incremental`, docs/site.md). `use_cache=False` renders everything.
    """
    started = time.perf_counter()
    root, out = Path(root).resolve(), Path(out).absolute()
    manifests, kept_pieces = ManifestStore(root, out), PieceStore(root, out)
    within, rel = anchored(out, root)
    with Tree(within) as tree:
        _check_out(root, out, tree, rel)
        validated = validate_revision(root, at, use_cache=use_cache)
        timings = {"load": time.perf_counter() - started}
        if not validated.ok:
            return BuildResult(False, validated.diagnostics, out, timings=timings)
        clock = time.perf_counter()
        history = None if public else _audit(root, at, use_cache)  # public pages show no history
        timings["audit"] = time.perf_counter() - clock
        data = SiteData(validated.organisation, as_of, history)
        parent, name = posixpath.split(rel)
        try:
            within.mkdir(parents=True, exist_ok=True)
            clock = time.perf_counter()
            swap.remove_leftovers(tree, rel)
            timings["leftovers"] = time.perf_counter() - clock
            staging = tree.new_folder(parent, name, ".lmsgen-tmp")
        except OSError as problem:
            raise SiteError(f"cannot write beside {out}: {problem.strerror or problem}") from None
        try:
            clock = time.perf_counter()
            units = Incremental(tree, rel, staging, manifests.read() if use_cache else None,
                                pieces=kept_pieces.read() if use_cache else Pieces(), store=kept_pieces)
            timings["last build"] = time.perf_counter() - clock
            with public_fork.stopped_on_failure(), stopped_people():
                pages, warnings, manifest, written = _render(data, within / staging, timings, public, feed_secret,
                                                             badge_secret, engine, units, shard)
            (within / staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            if shard is not None:
                shards.mark(within / staging, shard, shards.build_digest(
                    validated.organisation, root, at, as_of, engine=engine, public=public,
                    feed_secret=feed_secret, badge_secret=badge_secret))
            clock = time.perf_counter()
            swap.swap(tree, staging, rel, old_files=units.previous_files)
            timings["swap"] = time.perf_counter() - clock
            manifests.write(manifest)
            if not units.pieces_kept:  # kept by the process that wrote the exports, if one did (`_write_everyone`)
                kept_pieces.write(units.pieces)
            timings["kept"] = time.perf_counter() - clock - timings["swap"]
        except (OSError, MkdocsError) as problem:
            tree.remove_tree(staging)
            raise SiteError(f"the site could not be written: {problem}") from None
        except ThemeError as problem:  # the organisation's theme (docs/theme.md): the last good site stays
            tree.remove_tree(staging)
            raise SiteError(f"the site was not built, the theme failed: {problem}") from None
        except BaseException:
            tree.remove_tree(staging)
            raise
    timings["total"] = time.perf_counter() - started
    return BuildResult(True, validated.diagnostics, out, pages, timings, warnings, public, written, shard)


def _audit(root: Path, at: str | None, use_cache: bool = True):
    """Who added each record (`history.record_credits`: cached, extended with new commits); None outside a git
    repository or before a first commit."""
    from ..history.record_credits import record_credits
    from ..history.repository import Repository

    try:
        with Repository(root) as repo:
            rev = at or "HEAD"
            return record_credits(repo, rev, use_cache=use_cache) if repo.has_commit(rev) else None
    except GitError:
        return None


def _check_out(root: Path, out: Path, tree: Tree, rel: str) -> None:
    """Refuses an output folder that would replace the organisation or sit among its data, a link (which the
    swap would replace, and a pull request may have committed), a file, and a folder lmsgen did not build."""
    resolved = out.resolve()
    if resolved == root or resolved in root.parents:
        raise SiteError(f"--out {out} would replace the organisation repository itself; choose a folder for the site")
    top = rel.split("/", 1)[0]
    if Path(tree.root) == root and top in DATA_ROOTS:
        raise SiteError(f"--out {out} is inside {top}, which holds the organisation's data: the site's files would "
                        f"be read as data; choose a folder outside {', '.join(DATA_ROOTS)}, such as site")
    try:
        found = tree.lstat(rel)
        if found is None:
            return
        if stat.S_ISLNK(found.st_mode):
            raise SiteError(f"--out {out} is a symbolic link, and lmsgen never writes through one; remove it, or "
                            f"choose another folder")
        if not stat.S_ISDIR(found.st_mode):
            raise SiteError(f"--out {out} is a file, not a folder")
        names = tree.names(rel)
    except FileNotFoundError:  # the folder the site goes in does not exist yet
        return
    except OSError as problem:  # writing.Refused: a link on the way
        raise SiteError(f"--out {out}: {problem.strerror or problem}") from None
    if names and MARKER not in names:
        raise SiteError(f"--out {out} is a folder that lmsgen did not build; refusing to replace it "
                        "(choose an empty or new folder)")


def _path(base: Path, *ids: str) -> Path:
    """`base/<id>/...`, each id checked to be a slug before it becomes part of a path."""
    for ident in ids:
        if not m.is_slug(ident):
            raise SiteError(f"'{ident}' is not an id; refusing to use it in a path")
    return base.joinpath(*ids)


_PARALLEL_PEOPLE = 2_000
"""From this many people on, portals are rendered by a pool of forked processes (one per core)."""
_CHUNK = 250
_shared: tuple[Portals, Pages, Path, str | None] | None = None
"""What the forked workers render from: set before the fork, so it is inherited, never pickled."""


def _start_people(data: SiteData, pages: Pages, site: Path, feed_secret: str | None, inputs: PageInputs,
                  units: Incremental, part: shard_plan.Part) -> tuple[frozenset[str], Callable[[], None]]:
    """Begins writing every portal (of `part`'s people) whose inputs changed, and with `feed_secret` the calendar
    pages and feeds (`_portals`): from `_PARALLEL_PEOPLE` people on, forked processes render them from now on, while
    this one writes the pages that count everyone and the exports (on two cores, at once). Returns whose, and what
    waits for them (or renders them here, when they are few); `stopped_people` ends the processes of a failed build."""
    global _shared
    portals = Portals(data)
    ours = part.ours(data.org.members)
    for person in ours:
        _path(site, person)  # the slug check, before any id names a folder
    people = [person for person in ours if not units.take(person_unit(person), inputs.portal(person))]
    units.link_early()  # the kept people's files linked beside the rendering from now on (`kept_files`)
    if feed_secret:
        (site / "feeds").mkdir(exist_ok=True)
    chunks = [people[i:i + _CHUNK] for i in range(0, len(people), _CHUNK)]
    workers = min(os.cpu_count() or 1, len(chunks))
    if len(people) < _PARALLEL_PEOPLE or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return frozenset(people), lambda: [_portals(portals, pages, site, feed_secret, chunk) for chunk in chunks]
    _shared = (portals, pages, site, feed_secret)
    try:
        pool = forked_pool(workers)
    except BaseException:
        _shared = None
        raise
    done = pool.map_async(_portals_in_worker, chunks)
    _pools.append(pool)

    def finish() -> None:
        global _shared
        try:
            with pool:
                done.get()
        finally:
            _shared = None
            _pools.remove(pool)

    return frozenset(people), finish


_pools: list = []
"""The pools rendering portals meanwhile (`_start_people`)."""


@contextlib.contextmanager
def stopped_people() -> Iterator[None]:
    """Around the rendering: should it fail while forked processes render portals, they end first."""
    global _shared
    try:
        yield
    except BaseException:
        while _pools:
            _pools.pop().terminate()
        _shared = None
        raise


def _portals_in_worker(chunk: list[str]) -> None:
    assert _shared is not None
    _portals(*_shared, chunk)


def _portals(portals: Portals, pages: Pages, site: Path, feed_secret: str | None, people: list[str]) -> None:
    """Writes the portals of `people`, and with `feed_secret` the calendar page and feed of those still here: a
    leaver's portal stays for the people who may read it (their records are kept), but a leaver reads nothing,
    and a feed is served to whoever has its address."""
    data = portals.data
    present = data.org.present(data.as_of)
    for person in people:
        folder = site / "people" / person
        folder.mkdir(parents=True, exist_ok=True)
        portal = portals.portal(person)
        calendar = bool(feed_secret) and person in present
        (folder / "index.html").write_text(pages.person(portal, calendar=calendar), encoding="utf-8")
        if feed_secret and calendar:
            feed = feeds.feed_path(feed_secret, person)
            (site / feed).write_text(exports.calendar(portal, data.as_of), encoding="utf-8", newline="")
            (folder / "calendar").mkdir()
            (folder / "calendar" / "index.html").write_text(pages.calendar(portal, feed), encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _render(data: SiteData, site: Path, timings: dict[str, float], public: bool,
            feed_secret: str | None, badge_secret: str | None, engine: str,
            units: Incremental, shard: shards.Shard | None) -> tuple[dict[str, int], list[str], Manifest, Written]:
    try:
        return _render_units(data, site, timings, public, feed_secret, badge_secret, engine, units, shard)
    finally:  # the forked processes are done before anything goes on
        units.stop()
        if units.beside is not None:
            units.beside.stop()


def _render_units(data: SiteData, site: Path, timings: dict[str, float], public: bool,
                  feed_secret: str | None, badge_secret: str | None, engine: str,
                  units: Incremental, shard: shards.Shard | None
                  ) -> tuple[dict[str, int], list[str], Manifest, Written]:
    org = data.org
    inputs = PageInputs(data, (data.as_of, public, engine, shards.secret_digest(feed_secret),
                               shards.secret_digest(badge_secret),
                               str(shard)))
    clock = time.perf_counter()
    if not public:  # everyone's rows, completions, certificates, skills: the unchanged people's as last made
        units.pieces.fill(data, inputs)
    timings["pieces"] = time.perf_counter() - clock
    # What this build renders of the shared pages, and whose portals (all of them, without a shard: shard_plan).
    part = shard_plan.part(data, shard.k if shard else 1, shard.n if shard else 1,
                           feeds=bool(feed_secret) and feeds.secret_problem(feed_secret) is None)
    holds_public = part.holds(shard_plan.PUBLIC)  # the public pages: the whole build's, or one shard's
    clock = time.perf_counter()
    look = theme.look(org)
    plain = Pages(data, public=public, templates=look.templates)
    assigned = Counter(row.course for row in data.rows)
    background: public_fork.Background | None = None
    if units.take(PUBLIC, digest_of(inputs.public(assigned, plain.words.language), part.key())):
        shells, public_pages, public_warnings = units.public_shells()
    else:
        mkdocs_pages = [
            # Material titles the tab "<page> - <site>": the site's name as the home page's title read twice.
            MkdocsPage("index.md", plain.words.t("site.nav.home"), plain.home()),
            MkdocsPage("catalog/index.md", plain.words.t("site.title.catalog"), plain.catalog()),
            MkdocsPage("policy.md", plain.words.t("site.nav.policy"), plain.policy()),
        ]
        for course_id, entry in org.courses.items() if holds_public else ():  # else the shells alone
            _path(site, course_id)  # the slug check, before the id names a page
        course_pages = lambda: [  # noqa: E731
            MkdocsPage(f"catalog/{course_id}.md", data.course_title(course_id),
                       plain.course(course_id, assigned[course_id]))
            for course_id in (org.courses if holds_public else ())]
        build_public = partial(mkdocs_project.build, data.name, public=public, engine=engine, look=look,
                               language=plain.words.language)
        if holds_public and not public and public_fork.wanted(engine, len(org.courses)):  # rendered beside the rest
            background = public_fork.Background(site, mkdocs_pages + look.pages,
                                                lambda: mkdocs_pages + course_pages() + look.pages, build_public)
            shells, public_pages, public_warnings = background.shells, 0, []
        else:
            with shards.public_pages_folder(holds_public, site) as public_folder:
                built = build_public(mkdocs_pages + course_pages() + look.pages, public_folder)
            units.note_public_files(str(site))
            shells, public_pages, public_warnings = built.shells, built.pages, built.warnings
    timings["mkdocs"] = time.perf_counter() - clock
    warnings = [f"mkdocs: {note}" for note in public_warnings]
    counts = {"mkdocs": public_pages if holds_public else 0, "people": 0, "feeds": 0, "teams": 0, "reports": 0}

    def finish(owners: dict[str, str]) -> tuple[dict[str, int], list[str], Manifest, Written]:
        nonlocal public_pages, public_warnings
        clock = time.perf_counter()
        if background is not None:  # the public pages, rendered meanwhile (public_fork)
            public_pages, public_warnings, units.public_files = background.join()
            warnings[:0] = [f"mkdocs: {note}" for note in public_warnings]
            counts["mkdocs"] = public_pages
        timings["public_wait"] = time.perf_counter() - clock
        if units.beside is not None:  # the exports, written meanwhile
            units.pieces_kept, exports_index, certifications = units.beside.join()
            if not units.pieces_kept:
                units.pieces.exports, units.pieces.certifications = exports_index, certifications
            units.beside = None
        timings["exports_wait"] = time.perf_counter() - clock - timings["public_wait"]
        manifest, written = units.finish(str(site), owners, shells, public_pages, public_warnings,
                                         frozenset({MARKER}))
        timings["manifest"] = time.perf_counter() - clock
        return counts, warnings, manifest, written

    if public:
        return finish({})

    clock = time.perf_counter()
    pages = Pages(data, shells, templates=look.templates)
    data.warm()
    held_exports = part.exports()  # the exports this build writes: all of them, or a shard's (shard_plan)
    everyone = bool(held_exports) and not units.take(EVERYONE, digest_of(inputs.everyone(), part.key()))
    problem = feeds.secret_problem(feed_secret)
    made, badge_problem = _badges(data, pages, site, badge_secret, write_shared=False)
    # The portals, begun: rendered by forked processes while this one writes what follows (_start_people).
    rendered, people_done = _start_people(data, pages, site, None if problem else feed_secret, inputs, units, part)
    if part.holds(shard_plan.PAGES):  # directories, reports, rosters: each rendered when it changed (page_units)
        page_units.write_pages(data, pages, site, units, inputs, shells, _write, _path)
    if everyone:  # in an incremental build, by a forked process while the rest is rendered (`beside`)
        (site / "exports").mkdir(exist_ok=True)
        units.beside = Beside(partial(_write_everyone, data, pages, site, units, keep=True, held=held_exports),
                              fork=units.previous is not None)
    elif held_exports:  # the exports are the last build's files
        units.pieces.carry_exports()
    if everyone and made is not None and shard_plan.OTHER_EXPORTS in held_exports:
        _write_badges(made, site)
    timings["other"] = time.perf_counter() - clock

    clock = time.perf_counter()
    if problem:
        warnings.append(problem)
    if badge_problem:
        warnings.append(badge_problem)
    people_done()
    owners = {} if problem or not feed_secret else {feeds.feed_path(feed_secret, p): p for p in org.present(data.as_of)}
    if made is not None:  # a holder's assertions are theirs: written with their portal
        for certificate, token, email in made.issued:
            owners[badges.assertion_path(token)] = certificate.person
            if certificate.person in rendered:
                _write(site / badges.assertion_path(token), made.assertion_text(certificate, token, email))
    timings["people"] = time.perf_counter() - clock

    clock = time.perf_counter()
    teams = part.ours(org.teams)
    for team_id in teams:
        _path(site, team_id)  # the slug check, before any id names a folder
    changed = [team_id for team_id in teams if not units.take(team_unit(team_id), inputs.team(team_id))]
    units.link_early()  # the kept dashboards' files, linked meanwhile
    dashboards.write_dashboards(data, pages, changed, lambda team_id: site / "teams" / team_id / "index.html")
    timings["teams"] = time.perf_counter() - clock
    feeds_written = 0 if problem else len(part.ours(org.present(data.as_of)))
    issued = [certificate.person for certificate, _, _ in made.issued] if made else []
    counts.update(people=len(part.ours(org.members)), feeds=feeds_written, teams=len(teams),
                  reports=6 if part.holds(shard_plan.PAGES) else 0, badges=len(part.ours(issued)))
    return finish(owners)


def _write_everyone(data: SiteData, pages: Pages, site: Path, units: Incremental, *, keep: bool = False,
                    held: frozenset[str] = shard_plan.WHOLE_PART.exports()) -> tuple[bool, dict | None, dict | None]:
    """Writes the exports, the vendors' report and the request links, and with `keep` the pieces the next build
    takes over (`pieces`: they are complete once the exports' index is); returns whether it kept them, and if not the
    exports' index and certification lines (`Pieces.exports`, `Pieces.certifications`). The pieces
    are keyed by their inputs and by the stat of the files they index, so a build that fails later leaves none that
    could be taken over wrongly."""
    export_pieces.write(data, site / "exports", units.pieces, units.tree, f"{units.out}/exports", held)
    if "certifications.csv" in held:
        export_pieces.write_certifications(data, site / "exports" / "certifications.csv", units.pieces)
    if shard_plan.OTHER_EXPORTS in held:  # `held`: the groups of a shard (shard_plan), all of them without one
        for name, export in exports.FILES.items():
            if name in export_pieces.SPLITS or name == "certifications.csv":
                continue
            with open(site / "exports" / name, "w", encoding="utf-8", newline="") as stream:
                export(data, stream)  # written as it is made: the largest is tens of megabytes
        vendors = vendor_report.report(data)
        _write(site / vendor_report.PAGE, vendor_report.page(pages, vendors))
        with open(site / "exports" / vendor_report.EXPORT, "w", encoding="utf-8", newline="") as stream:
            vendor_report.vendors_csv(vendors, stream)
        if data.settings is not None:  # the portals' "Request" links, once for all of them (docs/site.md)
            _write(site / request_links.FILE, request_links.RequestLinks(data).json())
    if keep and units.store is not None and units.store.home is not None:
        units.store.write(units.pieces)
        return True, None, None
    return False, units.pieces.exports, units.pieces.certifications


def _badges(data: SiteData, pages: Pages, site: Path, secret: str | None, *,
            write_shared: bool) -> tuple[badges.Badges | None, str | None]:
    """Gives the portals their Open Badges links, and with `write_shared` writes the issuer and the badge classes;
    (the badges, why there are none)."""
    site_url = data.org.org.model.site_url if data.org.org else None
    certifying = any(entry.model.valid_months for entry in data.org.courses.values())
    problem = badges.problem(site_url, secret, certifying)
    if problem or not certifying:
        return None, problem
    assert site_url is not None and secret is not None
    made = badges.Badges(data, site_url, secret)
    if write_shared:
        _write_badges(made, site)
    pages.badges = made.links()
    return made, None


def _write_badges(made: badges.Badges, site: Path) -> None:
    """The issuer and the badge classes every assertion names (`badges.Badges.shared_files`)."""
    for path, text in made.shared_files().items():
        _write(site / path, text)
