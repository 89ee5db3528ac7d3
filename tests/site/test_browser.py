"""End to end, in headless Chromium: a new employee's first visit to the demo organisation's site.

Builds the repository's own demo site (Acme Robotics) once, serves it on 127.0.0.1 and walks through it as a
new employee would: the home page, the header search, the catalog filter, a course page, the people directory,
a personal portal and a team dashboard. On every page it checks that nothing was fetched from outside
127.0.0.1 and that the browser console shows no severe errors, and it saves a full-page screenshot to
test-artifacts/<name>.png for a human to look at.

Needs Debian's chromium and chromium-driver (.ci/run installs them); skips when they are missing.
Run alone with: .venv/bin/python -m pytest tests/site/test_browser.py -m browser -q
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from lmsgen.rules.validation import validate_root  # noqa: E402
from lmsgen.site.build import build_site  # noqa: E402
from lmsgen.site.request_links import RequestLinks  # noqa: E402
from lmsgen.site.serve import start_server  # noqa: E402
from lmsgen.site.views import SiteData  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
AS_OF = date(2026, 12, 1)
WINDOW = (1280, 900)
WAIT = 15  # seconds for anything asynchronous (the search worker, the filter script)
MAX_SHOT_HEIGHT = 12000  # px: a screenshot taller than this is cut, to keep the files reasonable

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
]
# Schemes that never leave the machine: inline data, the browser's own pages (its first tab), blank pages.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-untrusted", "devtools"}
# https://github.com/<owner>/<repo>/new/main?filename=teams/...: the git host's "create a file" page.
REQUEST_LINK = re.compile(r"^https://github\.com/[^/]+/[^/]+/new/main\?filename=teams/[^&]+\.yaml(&|$)")


def _require_chromium() -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.skip(f"browser tests need Debian's chromium and chromium-driver; missing: {', '.join(missing)}")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site, built once and served on 127.0.0.1 (any free port)."""
    _require_chromium()
    out = tmp_path_factory.mktemp("browser") / "site"
    result = build_site(REPO_ROOT, out, AS_OF)
    assert result.ok, f"the demo site did not build: {result}"
    server = start_server(out, 0)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    _require_chromium()
    profile = tempfile.mkdtemp(prefix="lmsgen-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        browser.set_window_size(*WINDOW)
        browser.set_page_load_timeout(30)
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Visit:
    """The browser, the site's address, and the checks every page gets."""

    def __init__(self, driver: webdriver.Chrome, base: str) -> None:
        self.driver, self.base = driver, base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self._collect()  # whatever the browser did before the first page: its own new tab page
        self.requests.clear()
        self.errors.clear()

    # navigation -------------------------------------------------------------------------------------------

    def open(self, path: str) -> None:
        self.driver.get(self.base + path.lstrip("/"))
        self.wait_loaded()

    def wait_loaded(self) -> None:
        WebDriverWait(self.driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def path(self) -> str:
        return urlsplit(self.driver.current_url).path

    def wait(self, condition, message: str):  # noqa: ANN001 - a WebDriverWait condition
        return WebDriverWait(self.driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(
            condition, message)

    def one(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css: str) -> WebElement:
        element = self.one(css)
        assert element.is_displayed(), f"{css} is on {self.path()} but not shown"
        return element

    # checks on every page ---------------------------------------------------------------------------------

    def _collect(self) -> None:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
            elif message["method"] == "Network.webSocketCreated":
                self.requests.append(message["params"]["url"])
        # The page's own view as well, which includes what the search worker fetched.
        self.requests.extend(self.driver.execute_script(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; })") or [])
        for entry in self.driver.get_log("browser"):
            if entry["level"] == "SEVERE" and "favicon" not in entry["message"].lower():
                self.errors.append(entry["message"])

    def assert_clean(self) -> None:
        """Nothing fetched from outside 127.0.0.1, and no severe console errors, since the last check."""
        self._collect()
        outside = sorted({url for url in self.requests
                          if not url.startswith(self.base) and urlsplit(url).scheme not in LOCAL_SCHEMES})
        errors, self.requests, self.errors = self.errors, [], []
        assert not outside, f"requests left 127.0.0.1 (on or before {self.path()}): {outside}"
        assert not errors, f"browser console errors (on or before {self.path()}): {errors}"

    def shot(self, name: str) -> Path:
        """A full-page screenshot (beyond the 1280x900 viewport) in test-artifacts/<name>.png."""
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        try:
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            clip = {"x": 0, "y": 0, "scale": 1, "width": max(size["width"], WINDOW[0] - 20),
                    "height": min(max(size["height"], 1), MAX_SHOT_HEIGHT)}
            data = self.driver.execute_cdp_cmd(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})["data"]
            target.write_bytes(base64.b64decode(data))
        except Exception:  # noqa: BLE001 - a viewport screenshot is better than none
            self.driver.save_screenshot(str(target))
        return target


@pytest.fixture(scope="module")
def site(driver: webdriver.Chrome, base_url: str) -> Visit:
    return Visit(driver, base_url)


def _heading(site: Visit) -> str:
    return site.visible("article h1").text.strip()


def _link_path(element: WebElement) -> str:
    return urlsplit(element.get_attribute("href") or "").path


# the journey, in order ------------------------------------------------------------------------------------


def test_home_page_introduces_the_site(site: Visit) -> None:
    site.open("/")
    site.shot("01-home")
    assert site.driver.title == "Home - Acme Robotics"
    assert _heading(site) == "Acme Robotics: learning"
    assert "Acme Robotics" in site.visible(".md-header__topic").text
    starts = {_link_path(link): link.text for link in site.all("a.lms-start__item") if link.is_displayed()}
    assert "/people/" in starts and "My learning" in starts["/people/"], f"no visible link to People: {starts}"
    assert "/catalog/" in starts and "Course catalog" in starts["/catalog/"], f"no visible link to the catalog: {starts}"
    tabs = {link.text.strip(): _link_path(link) for link in site.all(".md-tabs a.md-tabs__link") if link.is_displayed()}
    assert any(path == "/catalog/" for path in tabs.values()), f"the header tabs have no Catalog: {tabs}"
    site.assert_clean()


def _search(site: Visit, words: str) -> None:
    """Types `words` into the header search of the home page."""
    site.open("/")
    box = site.one("input.md-search__input")
    if not box.is_displayed():  # a narrow window shows only the magnifier
        site.visible("label.md-search__icon[for='__search']").click()
    site.wait(lambda d: box.is_displayed(), "the header search box did not open")
    box.click()
    box.send_keys(words)


def test_header_search_finds_a_course(site: Visit) -> None:
    _search(site, "kubernetes")

    def course_results(driver) -> list[WebElement]:  # noqa: ANN001
        return [link for link in driver.find_elements(By.CSS_SELECTOR, ".md-search-result__list a")
                if re.fullmatch(r"/catalog/[a-z0-9-]+/", _link_path(link)) and link.is_displayed()]

    try:
        results = site.wait(course_results, "the header search showed no catalog course for 'kubernetes'")
    finally:
        site.shot("02-header-search")
    paths = [_link_path(link) for link in results]
    assert "/catalog/k8s-admin/" in paths, f"Kubernetes administration is not among the results: {paths}"
    meta = site.visible(".md-search-result__meta").text
    assert "matching document" in meta, meta
    site.assert_clean()

    # A click on the result opens the course.
    next(link for link in results if _link_path(link) == "/catalog/k8s-admin/").click()
    site.wait(lambda d: urlsplit(d.current_url).path == "/catalog/k8s-admin/", "the search result did not open")
    site.wait_loaded()
    assert _heading(site) == "Kubernetes administration"
    site.assert_clean()


def test_header_search_finds_no_person(site: Visit) -> None:
    """The search index holds the public pages alone: a colleague's name leads to no portal or dashboard."""
    _search(site, "Jonas Weber")
    site.wait(lambda d: "matching" in site.visible(".md-search-result__meta").text.lower(),
              "the header search did not answer")
    site.shot("02b-header-search-person")
    paths = [_link_path(link) for link in site.all(".md-search-result__list a")]
    assert not [path for path in paths if path.startswith(("/people/", "/teams/"))], paths
    site.assert_clean()


def test_catalog_filter_hides_other_courses(site: Visit) -> None:
    site.open("/catalog/")
    site.shot("03-catalog")
    assert _heading(site) == "Catalog"
    rows = site.all('[data-lms-rows="catalog"] tbody tr')
    assert len(rows) >= 10, f"the catalog lists only {len(rows)} courses"
    assert all(row.is_displayed() for row in rows), "courses are hidden before any filter is set"

    box = site.visible('form[data-lms-filter="catalog"] input[name="q"]')
    box.send_keys("kubernetes")
    site.wait(lambda d: any(row.get_attribute("hidden") is not None for row in rows), "typing did not hide any course")
    shown = [row for row in rows if row.get_attribute("hidden") is None]
    hidden = [row for row in rows if row.get_attribute("hidden") is not None]
    site.shot("04-catalog-filtered")
    titles = [row.find_element(By.CSS_SELECTOR, "td a").text for row in shown]
    assert "Kubernetes administration" in titles, titles
    assert all(row.is_displayed() for row in shown)
    assert not any(row.is_displayed() for row in hidden)
    assert all("kubernetes" in (row.get_attribute("data-q") or "") for row in shown)
    count = site.visible('form[data-lms-filter="catalog"] [data-lms-count]')
    assert count.text == f"{len(shown)} of {len(rows)}"
    assert (count.get_attribute("role"), count.get_attribute("aria-live")) == ("status", "polite"), \
        "a screen reader is not told how many courses the filter left"
    assert "q=kubernetes" in site.driver.current_url  # the filter is in the address, to share

    box.clear()
    box.send_keys("no such course anywhere")
    site.wait(lambda d: all(row.get_attribute("hidden") is not None for row in rows), "a nonsense search left rows")
    assert site.visible("[data-lms-none]").text.strip(), "no 'nothing matches' note when every course is hidden"
    site.assert_clean()


def test_course_page_shows_sessions_and_how_to_request(site: Visit) -> None:
    site.open("/catalog/k8s-admin/")
    site.shot("05-course-k8s-admin")
    assert _heading(site) == "Kubernetes administration"
    assert "Kubernetes administration" in site.driver.title
    description = site.visible(".lms-description").text
    assert "Two intensive days" in description, description[:200]
    assert not re.search(r"</?(p|strong|em|ul|ol|li|code)>", description), f"raw markup shown: {description[:200]!r}"
    assert site.visible("h2#sessions").text.startswith("Sessions")
    # The table right after the heading (inside its scroll wrapper): one row per session, past ones included.
    sessions = site.driver.find_elements(By.XPATH, "//h2[@id='sessions']/following-sibling::*[1]//tbody/tr")
    upcoming = [row for row in sessions if "lms-past" not in (row.get_attribute("class") or "")]
    assert sessions, "the course page shows no session"
    assert upcoming and all(row.is_displayed() for row in upcoming), "no upcoming session is shown"
    assert site.visible("h2#how-to-request").text.startswith("How to request")
    site.assert_clean()


def test_people_directory_leads_to_a_portal(site: Visit) -> None:
    site.open("/people/")
    site.shot("06-people")
    assert _heading(site) == "People"
    people = [row for row in site.all('[data-lms-rows="people"] tbody tr') if row.is_displayed()]
    assert len(people) >= 10, f"the directory shows only {len(people)} people"
    site.assert_clean()

    link = next((a for a in site.all('[data-lms-rows="people"] tbody tr a') if _link_path(a) == "/people/jonas/"), None)
    assert link is not None, "Jonas is not in the people directory"
    assert link.text == "Jonas Weber"
    link.click()
    site.wait(lambda d: urlsplit(d.current_url).path == "/people/jonas/", "the directory link did not open the portal")
    site.wait_loaded()
    site.shot("07-portal-jonas")
    assert _heading(site) == "Jonas Weber"
    headings = {h.text.strip() for h in site.all("article h2") if h.is_displayed()}
    for section in ("To do", "Certifications", "Learning history"):
        assert section in headings, f"the portal has no visible '{section}' section: {sorted(headings)}"

    requests = [a for a in site.all("article a") if a.text.strip() == "Request this course"]
    assert requests, "the portal offers no 'Request this course' link"
    # The shared script puts each card's link in from catalog/requests.json (docs/site.md).
    site.wait(lambda d: all(a.get_attribute("data-lms-ready") is not None for a in requests),
              "the request links were not filled in")
    shared = RequestLinks(SiteData(validate_root(REPO_ROOT).organisation, AS_OF))
    for anchor in requests:
        href = anchor.get_attribute("href")
        assert REQUEST_LINK.match(href), f"a request link does not open the git host's new-file page: {href}"
        assert "filename=teams/platform/requests/jonas/" in href, href
        assert href == shared.url(anchor.get_attribute("data-lms-request"), "jonas", "platform"), href
        assert anchor.get_attribute("target") == "_blank"
    site.assert_clean()


def test_team_dashboard_has_a_completion_matrix(site: Visit) -> None:
    site.open("/teams/platform/")
    site.shot("08-team-platform")
    assert _heading(site) == "Platform"
    assert site.visible("h2#matrix").text.strip() == "Completion matrix"
    matrix = site.visible("table.lms-matrix")
    courses = matrix.find_elements(By.CSS_SELECTOR, "thead th.lms-matrix__course")
    people = matrix.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert courses and people, f"the matrix is empty: {len(courses)} courses, {len(people)} people"
    assert any(a.text == "Jonas Weber" or _link_path(a) == "/people/jonas/"
               for a in matrix.find_elements(By.CSS_SELECTOR, "tbody a")), "Jonas is not in his team's matrix"
    site.assert_clean()



@pytest.mark.parametrize(("page", "entry"), [("/people/jonas/", "/people/"), ("/reports/budgets/", "/reports/budgets/"),
                                           ("/catalog/", "/catalog/"), ("/teams/platform/", "/teams/")])
def test_the_drawer_is_written_and_marks_where_the_reader_is(site: Visit, page: str, entry: str) -> None:
    """docs/site.md#the-page-shell: a script writes the drawer (a phone's navigation) and marks the reader's entry."""
    site.open(page)
    marked = site.all(".md-sidebar--primary a.md-nav__link--active")
    assert [_link_path(a) for a in marked] == [entry]
    assert site.all('.md-sidebar--primary a.md-nav__link[href$="policy/"]'), "the drawer has no entry for the policy"
    assert site.all('[data-md-component="search"]') and site.all("#__config")


def test_without_javascript_a_phone_has_the_tabs_and_the_portal(site: Visit) -> None:
    """docs/site.md#the-page-shell: without JavaScript there is no drawer; on a phone the tabs show instead."""
    site.driver.set_window_size(*PHONE)
    site.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        site.driver.get(site.base + "people/jonas/")
        assert "no-js" in site.one("html").get_attribute("class")
        tabs = [a for a in site.all(".md-tabs a.md-tabs__link") if a.is_displayed()]
        assert {_link_path(a) for a in tabs} >= {"/", "/catalog/", "/people/", "/teams/", "/policy/"}
        assert not [b for b in site.all('label[for="__drawer"].md-header__button') if b.is_displayed()]
        assert site.one("article h1").text == "Jonas Weber" and site.one("h2#history").is_displayed()
    finally:
        site.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
        site.driver.set_window_size(*WINDOW)


# on a phone -----------------------------------------------------------------------------------------------

PHONE = (390, 844)
# Every cell's words stay whole: the table scrolls sideways instead, and says so with shadows at its edges.
_BROKEN_WORDS = """
return Array.from(document.querySelectorAll('.lms-table td, .lms-table td a, .lms-table td code')).filter(e => {
  const s = getComputedStyle(e);
  return s.overflowWrap !== 'normal' || !['normal', 'keep-all'].includes(s.wordBreak);
}).slice(0, 3).map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40));
"""
_PAGE_WIDER = "return document.querySelector('article').scrollWidth - document.querySelector('article').clientWidth;"


@pytest.mark.parametrize("page", ["/catalog/", "/catalog/secure-coding/", "/policy/", "/people/", "/people/jonas/",
                                  "/teams/platform/", "/reports/budgets/", "/reports/certifications/"])
def test_a_phone_reads_every_page_without_words_cut(site: Visit, page: str) -> None:
    site.driver.set_window_size(*PHONE)
    try:
        site.open(page)
        site.shot("phone" + page.rstrip("/").replace("/", "-"))
        assert site.driver.execute_script(_PAGE_WIDER) <= 1, f"{page} is wider than a phone's screen"
        assert site.driver.execute_script(_BROKEN_WORDS) == [], f"{page} breaks words inside table cells"
        for wrap in site.all(".lms-table-wrap"):
            assert "gradient" in wrap.value_of_css_property("background-image"), "a wide table gives no hint"
        if page == "/policy/":
            rows = site.all("table.lms-table--stack tbody tr")
            assert rows and all(row.value_of_css_property("display") == "block" for row in rows), \
                "the policy's rows stack on a phone"
            label = site.driver.execute_script(
                "return getComputedStyle(document.querySelector('.lms-table--stack td[data-label=\"Files\"]'),"
                " '::before').content")
            assert label == '"Files: "'
    finally:
        site.driver.set_window_size(*WINDOW)


# accessibility ---------------------------------------------------------------------------------------------

def _axe_source() -> str:
    # axe-core ships in the axe-playwright-python wheel; .ci/run installs it without Playwright, which is not needed.
    try:
        from importlib import resources
        return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.skip("the accessibility tests need axe-core: pip install --no-deps axe-playwright-python==0.1.8")


ACCESSIBLE_PAGES = ["/", "/catalog/", "/catalog/secure-coding/", "/policy/", "/people/", "/people/jonas/", "/teams/",
                    "/teams/platform/", "/reports/certifications/", "/reports/budgets/", "/reports/divisions/"]


@pytest.mark.parametrize(("window", "scheme"), [(WINDOW, "light"), (PHONE, "light"), (WINDOW, "dark")],
                         ids=["desktop", "phone", "dark"])
def test_axe_finds_no_violation_on_any_page(site: Visit, window: tuple[int, int], scheme: str) -> None:
    axe = _axe_source()
    site.driver.set_window_size(*window)
    site.driver.set_script_timeout(60)
    # The palette follows the reader's system setting until they use its toggle.
    site.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    site.open("/")
    site.driver.execute_script("localStorage.clear();")  # the scheme Material remembered from the pages before
    found = {}
    try:
        for page in ACCESSIBLE_PAGES:
            site.open(page)
            site.driver.execute_script(axe)
            violations = site.driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v =>"
                " v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))));")
            if violations:
                found[page] = violations
        if scheme == "dark":
            assert site.one("body").get_attribute("data-md-color-scheme") == "slate"
    finally:
        site.driver.set_window_size(*WINDOW)
        site.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert found == {}


# the pages the role guides show (docs/guides/; docs/screenshots.py copies them into docs/images/) ------------

GUIDE_PAGES = {"portal": "/people/jonas/", "course": "/catalog/k8s-admin/", "team": "/teams/platform/",
               "roster": "/sessions/k8s-admin/", "budgets": "/reports/budgets/", "policy": "/policy/"}


@pytest.mark.parametrize("name", sorted(GUIDE_PAGES))
def test_guide_pages_are_screenshotted(site: Visit, name: str) -> None:
    site.open(GUIDE_PAGES[name])
    ARTIFACTS.mkdir(exist_ok=True)
    site.driver.save_screenshot(str(ARTIFACTS / f"guide-{name}.png"))  # the 1280x900 viewport, as a reader sees it
    assert _heading(site)
    site.assert_clean()
