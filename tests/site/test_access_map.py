"""The access map, served by a real nginx: the demo organisation's full site, with its calendar pages and feeds,
requested page kind by page kind as an employee, their mentor, their manager, the manager's manager, HR, finance,
L&D, an outsider and nobody.

The expected answers are written out by hand from the demo's teams/ and roles/ (not computed by the code under
test). The same nginx runs docs/access.md's front server, to show that a client cannot choose the header
the site's server believes. Needs Debian's nginx (/usr/sbin/nginx; .ci/run installs it); skips when it is missing.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.rules.validation import validate_root
from lmsgen.site import zones
from lmsgen.site.access_map import Settings, UnsafeSetting
from lmsgen.site.badges import token as badge_token
from lmsgen.site.build import build_site
from lmsgen.site.feeds import feed_path

NGINX = Path("/usr/sbin/nginx")
REPO_ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-12-01"
SECRET = "the-demo-feed-secret-of-the-access-tests-0123456789"
DOMAIN = "acme-robotics.example"

# The demo's facts, from teams/ and roles/:
#   acme (helena) > engineering (tobias) > platform (priya): jonas, mentored by lukas
#   acme (helena) > corporate (sabine) > people (martina): olivia (HR), ben (L&D)
#   acme (helena) > corporate (sabine) > finance (henrik)
#   roles: executives (reports.division): helena, tobias, claire, daniel, sabine; finance (approve.cost,
#   budget.edit): sabine, henrik; hr (reports.certifications, approve.external): martina, olivia, manon;
#   ld (reports.org): ben, leonie; safety-officers (reports.certifications, scoped to manufacturing).
EMAILS = {
    "jonas": f"jonas.weber@{DOMAIN}",  # an employee
    "lukas": f"lukas.becker@{DOMAIN}",  # jonas's mentor
    "priya": f"priya.raman@{DOMAIN}",  # jonas's manager
    "tobias": f"Tobias.Brandt@{DOMAIN}",  # priya's manager, an executive (and the IdP's capitals)
    "olivia": f"olivia.grant@{DOMAIN}",  # HR
    "henrik": f"henrik.larsen@{DOMAIN}",  # finance
    "ben": f"ben.carter@{DOMAIN}",  # L&D: reports.org
    "outsider": "mallory@elsewhere.example",
    "nobody": None,  # no header at all
}
EVERYONE = set(EMAILS)
MEMBERS = EVERYONE - {"outsider", "nobody"}

JONAS_FEED = "/" + feed_path(SECRET, "jonas")
JONAS_BADGE = f"/badges/assertions/{badge_token(SECRET, 'jonas', 'secure-coding', date(2025, 6, 4))}.json"

# Each page and who gets 200; everyone else gets 403. The full build's public pages name trainers and approvers:
# members only (anyone else reads the public build).
EXPECTED: dict[str, set[str]] = {
    "/": MEMBERS,
    "/index.html": MEMBERS,
    "/catalog/": MEMBERS,
    "/catalog/anti-bribery/": MEMBERS,
    "/policy/": MEMBERS,
    "/assets/lmsgen/lmsgen.css": MEMBERS,
    # The demo's own look (theme/, docs/theme.md): public, like the catalog.
    "/assets/theme/logo.svg": MEMBERS,
    "/assets/theme/extra.css": MEMBERS,
    "/pages/about/": MEMBERS,
    "/sitemap.xml": MEMBERS,
    "/404.html": MEMBERS,
    JONAS_FEED: EVERYONE,
    "/feeds/": set(),  # never listed
    "/people/": MEMBERS,
    "/teams/": MEMBERS,
    "/search/search_index.json": MEMBERS,
    "/people/jonas/": {"jonas", "lukas", "priya", "tobias", "ben"},
    "/people/jonas/calendar/": {"jonas"},
    "/people/priya/": {"priya", "tobias", "ben"},
    "/people/tobias/": {"tobias", "ben"},
    "/people/olivia/": {"olivia", "ben"},
    "/people/henrik/": {"henrik", "ben"},
    "/teams/platform/": {"priya", "tobias", "ben"},
    "/teams/engineering/": {"tobias", "ben"},
    "/teams/people/": {"tobias", "ben"},
    "/teams/finance/": {"henrik", "tobias", "ben"},
    "/reports/certifications/": {"olivia", "ben"},
    "/reports/budgets/": {"henrik", "ben"},
    "/reports/divisions/": {"tobias", "ben"},
    "/exports/status.json": {"ben"},
    "/exports/status.csv": {"ben"},
    "/exports/records.csv": {"ben"},
    "/exports/certifications.csv": {"olivia", "ben"},
    "/exports/approvals.csv": {"olivia", "henrik", "ben"},
    # Finance (budget.edit, approve.cost) and L&D (catalog.edit, reports.org) read the vendors report.
    "/reports/vendors/": {"henrik", "ben"},
    "/exports/vendors.csv": {"henrik", "ben"},
    # Open Badges: verifiers fetch them without signing in; an assertion names nobody, at a secret address.
    "/badges/issuer.json": EVERYONE,
    "/badges/classes/secure-coding.json": EVERYONE,
    "/badges/classes/secure-coding.svg": EVERYONE,
    JONAS_BADGE: EVERYONE,
    "/badges/assertions/": set(),
    "/badges/": set(),
    # A roster: the course's trainer (lukas), the managers up the chain of the booked (priya, tobias), L&D.
    "/sessions/k8s-admin/": {"lukas", "priya", "tobias", "ben"},
    "/sessions/robot-cell-safety/": {"ben"},
    "/people/no-such-person/": set(),
    "/people/jonas/learning.ics": set(),
    "/.lmsgen-site": set(),
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """The demo site behind nginx with the generated access map, on 127.0.0.1 (a free port)."""
    if not NGINX.exists():
        pytest.skip(f"the access map tests need Debian's nginx at {NGINX} (apt-get install nginx)")
    base = tmp_path_factory.mktemp("access")
    site = base / "site"
    assert build_site(REPO_ROOT, site, date.fromisoformat(AS_OF), feed_secret=SECRET, badge_secret=SECRET).ok
    port, front, sso = _free_port(), _free_port(), _free_port()
    include = base / "access.conf"
    assert main(["--root", str(REPO_ROOT), "access", "--format", "nginx", "--as-of", AS_OF, "--site", str(site),
                 "--listen", f"127.0.0.1:{port}", "--out", str(include)]) == 0
    prefix = base / "nginx"
    (prefix / "logs").mkdir(parents=True)
    temp = " ".join(f"{kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                       "scgi"))
    conf = prefix / "nginx.conf"
    conf.write_text(f"daemon off;\nmaster_process off;\npid {prefix / 'nginx.pid'};\n"
                    f"error_log {prefix / 'logs/error.log'};\nevents {{ worker_connections 64; }}\n"
                    f"http {{\n  access_log off;\n  {temp}\n  include /etc/nginx/mime.types;\n"
                    f"  include {include};\n{_front(port, front, sso)}}}\n")
    command = [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "logs/error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "warn" not in checked.stderr, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for listening in (port, front, sso):
            _wait_for(listening, process)
        yield port, site, front
    finally:
        process.terminate()
        process.wait(timeout=10)


def _front(site: int, front: int, sso: int) -> str:
    """docs/access.md's front server (its header handling exactly; the sign-in simplified to a redirect), in front
    of the site's server on port `site`, with a stand-in for oauth2-proxy's /oauth2/auth on port `sso`: a signed-in
    session is a cookie naming the verified e-mail."""
    return f"""
  server {{
    listen 127.0.0.1:{sso};
    location = /oauth2/auth {{
      if ($cookie_session = "") {{ return 401; }}
      add_header X-Auth-Request-Email $cookie_session always;
      return 202;
    }}
  }}
  server {{
    listen 127.0.0.1:{front};
    location = /oauth2/auth {{
      internal;
      proxy_pass http://127.0.0.1:{sso};
      proxy_set_header Content-Length "";
      proxy_pass_request_body off;
    }}
    location /feeds/ {{
      proxy_set_header X-Auth-Request-Email "";
      proxy_pass http://127.0.0.1:{site};
    }}
    location /badges/ {{
      proxy_set_header X-Auth-Request-Email "";
      proxy_pass http://127.0.0.1:{site};
    }}
    location / {{
      auth_request /oauth2/auth;
      error_page 401 = @sign_in;
      auth_request_set $verified_email $upstream_http_x_auth_request_email;
      proxy_set_header X-Auth-Request-Email $verified_email;
      proxy_pass http://127.0.0.1:{site};
    }}
    location @sign_in {{ return 302 /oauth2/sign_in; }}
  }}
"""


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start listening within 10 s")


def _status(port: int, path: str, email: str | None, headers: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        sent = {**({"X-Auth-Request-Email": email} if email else {}), **(headers or {})}
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_every_page_kind_answers_each_reader_as_the_policy_says(server):
    port, _, _ = server
    found = {(path, who): _status(port, path, email) for path in EXPECTED for who, email in EMAILS.items()}
    expected = {(path, who): 200 if who in readers else 403 for path, readers in EXPECTED.items() for who in EMAILS}
    assert found == expected


def test_a_feed_is_served_without_a_header_and_the_feeds_are_not_listed(server):
    port, site, _ = server
    feed = (site / JONAS_FEED.lstrip("/")).read_bytes()
    assert feed.startswith(b"BEGIN:VCALENDAR\r\n")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", JONAS_FEED)
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, feed)
    finally:
        connection.close()
    for path in ("/feeds/", "/feeds/index.html", "/feeds/jonas.ics"):
        assert {_status(port, path, email) for email in EMAILS.values()} == {403}, path


def test_every_file_the_site_builds_is_served_to_its_readers(server):
    """L&D reads every page but other people's calendar pages, which their person reads: no file of the build but
    the site's marker falls to the default refusal."""
    port, site, _ = server
    demo = validate_root(REPO_ROOT).organisation
    built = [path.relative_to(site).as_posix() for path in sorted(site.rglob("*")) if path.is_file()]
    refused = [path for path in built if _status(port, "/" + path, EMAILS["ben"]) != 200]
    calendars = {f"people/{person}/calendar/index.html": person for person in demo.members if person != "ben"}
    assert refused == sorted([".lmsgen-site", *calendars])
    assert {path: _status(port, "/" + path, demo.members[person].person.email) for path, person in calendars.items()
            } == dict.fromkeys(calendars, 200)
    # The build drops mkdocs' compressed sitemap; Zensical's search index is its own (test_zensical.py)
    assert {zones.kind_of(path).name for path in built} == {kind.name for kind in zones.PAGE_KINDS} - {
        "sitemap-gz", "search-json"}


def test_urls_that_try_to_reach_a_page_another_way_are_refused(server):
    port, _, _ = server
    jonas = EMAILS["jonas"]
    assert _status(port, "/people/jonas/../priya/", jonas) == 403
    assert _status(port, "/people/jonas/%2E%2E/priya/", jonas) == 403
    assert _status(port, "/people//priya/", jonas) == 403
    assert _status(port, "/People/priya/", jonas) == 403
    assert _status(port, "/people/priya/index.html", jonas) == 403
    # Two copies of the header (a proxy that appends instead of replacing) identify nobody.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", "/people/priya/")
    connection.putheader("X-Auth-Request-Email", jonas)
    connection.putheader("X-Auth-Request-Email", EMAILS["priya"])
    connection.endheaders()
    assert connection.getresponse().status == 403
    connection.close()


SAFE = st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters="/-_.:@"), min_size=1)


@given(SAFE, st.sampled_from(list("\"';{}$#\\ \t\n\r\x00\x7f")), SAFE)
def test_a_setting_nginx_would_read_as_more_than_one_string_is_refused(before, unsafe, after):
    for settings in (Settings("/" + before + unsafe + after), Settings("/srv/site", listen=before + unsafe + after),
                     Settings("/srv/site", server_name=before + unsafe + after)):
        with pytest.raises(UnsafeSetting):
            settings.check()
    Settings("/" + before + after, listen=before, server_name=after).check()


def test_behind_the_front_server_a_client_cannot_choose_whom_it_reads_as(server):
    """The SSO proxy's header replaces the client's: a signed-in jonas who sends priya's address is still jonas,
    and nobody reads anything private without signing in, whatever header they send."""
    _, _, front = server
    jonas, priya = EMAILS["jonas"], EMAILS["priya"]
    spoofed = {"X-Auth-Request-Email": priya}
    assert _status(front, "/people/jonas/", None, {"Cookie": f"session={jonas}", **spoofed}) == 200
    assert _status(front, "/people/priya/", None, {"Cookie": f"session={jonas}", **spoofed}) == 403
    assert _status(front, "/people/priya/", None, spoofed) == 302  # to the sign-in page
    assert _status(front, "/", None) == 302
    assert _status(front, JONAS_FEED, None) == 200
    # Badge verifiers do not sign in either: the badges go through, with no identity whatever a client sends.
    assert _status(front, JONAS_BADGE, None, spoofed) == 200
    assert _status(front, "/badges/issuer.json", None) == 200
    assert _status(front, "/badges/../people/priya/", None, spoofed) in (302, 400, 403)
