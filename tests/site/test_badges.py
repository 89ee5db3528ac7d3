"""Open Badges 2.0 (docs/badges.md): the issuer, a BadgeClass per certification, a hosted Assertion per certificate
in force, checked against the Open Badges 2.0 vocabulary; the token and the hashed identity; the portal's links;
no badge without a site_url and a secret. The vendors report and export (docs/vendors.md) are built beside them.

badgecheck (the reference validator) does not install on this Python, so the vocabulary's required properties and
their types are checked here, as the specification (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/
index.html) lists them.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from hypothesis import given
from hypothesis import strategies as st

from lmsgen.site import badges
from lmsgen.site.build import build_site

AS_OF = date(2026, 12, 1)
SECRET = "0123456789abcdef0123456789abcdef-badges"
SITE = "https://learn.acme.example"
ORG = """\
name: Acme Corp
git: {host: github, repo: https://github.com/acme/learning, branch: main}
currency: EUR
expiring_within_days: 60
site_url: https://learn.acme.example/
"""
CONTEXT = "https://w3id.org/openbadges/v2"


def build(root: Path, secret: str | None = SECRET, **kwargs):
    out = root.parent / "site"
    result = build_site(root, out, AS_OF, badge_secret=secret, **kwargs)
    assert result.ok, result.diagnostics
    return out, result


def read(site: Path, path: str) -> dict:
    return json.loads((site / path).read_text(encoding="utf-8"))


def expected_token(person: str, course: str, day: str) -> str:
    return hmac.new(SECRET.encode(), f"{person}\n{course}\n{day}".encode(), hashlib.sha256).hexdigest()[:32]


# --- the Open Badges 2.0 vocabulary: required properties and their types -------------------------------------


def is_iri(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"https?://\S+", value) is not None


def is_datetime(value: object) -> bool:
    """ISO 8601 with a time zone, as Open Badges' DateTime."""
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


def check_issuer(doc: dict, url: str) -> None:
    assert doc["@context"] == CONTEXT and doc["type"] in ("Issuer", "Profile") and doc["id"] == url
    assert isinstance(doc["name"], str) and doc["name"] and is_iri(doc["url"])


def check_badge_class(doc: dict, url: str, issuer: str) -> None:
    assert doc["@context"] == CONTEXT and doc["type"] == "BadgeClass" and doc["id"] == url
    assert isinstance(doc["name"], str) and isinstance(doc["description"], str) and doc["description"]
    assert is_iri(doc["image"]) and doc["issuer"] == issuer
    criteria = doc["criteria"]
    assert is_iri(criteria) or (isinstance(criteria, dict) and (is_iri(criteria.get("id"))
                                                                  or isinstance(criteria.get("narrative"), str)))
    assert all(isinstance(tag, str) for tag in doc.get("tags", []))


def check_assertion(doc: dict, url: str) -> None:
    assert doc["@context"] == CONTEXT and doc["type"] == "Assertion" and doc["id"] == url
    recipient = doc["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True and isinstance(recipient["salt"], str)
    assert re.fullmatch(r"sha256\$[0-9a-f]{64}", recipient["identity"])
    assert is_iri(doc["badge"]) and doc["verification"] == {"type": "hosted"}
    assert is_datetime(doc["issuedOn"]) and is_datetime(doc["expires"])
    assert set(doc) <= {"@context", "type", "id", "recipient", "badge", "verification", "issuedOn", "expires",
                        "image", "evidence", "narrative", "revoked", "revocationReason"}


# --- the files -------------------------------------------------------------------------------------------------


def test_the_issuer_the_classes_and_an_assertion_per_certificate_in_force(make_org):
    site, result = build(make_org({"org.yaml": ORG}))
    assert result.warnings == ["no calendar feeds were written: LMSGEN_FEED_SECRET is not set; set it to a random "
                               "secret of at least 32 characters, the same on every build, to publish each "
                               "person's feed at its secret address"]
    issuer = f"{SITE}/badges/issuer.json"
    check_issuer(read(site, "badges/issuer.json"), issuer)
    assert read(site, "badges/issuer.json") == {"@context": CONTEXT, "type": "Issuer", "id": issuer,
                                                "name": "Acme Corp", "url": f"{SITE}/"}
    # secure-coding is the one course that certifies (valid_months: 24).
    assert sorted(path.name for path in (site / "badges/classes").iterdir()) == ["secure-coding.json",
                                                                                 "secure-coding.svg"]
    badge_class = read(site, "badges/classes/secure-coding.json")
    check_badge_class(badge_class, f"{SITE}/badges/classes/secure-coding.json", issuer)
    assert badge_class["criteria"] == {
        "id": f"{SITE}/catalog/secure-coding/",
        "narrative": "Completed Secure coding basics at Acme Corp; valid for 24 months from completion."}
    assert (badge_class["name"], badge_class["tags"]) == ("Secure coding basics", ["security"])
    # Carol's completion of 2026-03-02 is in force until 2028-03-02.
    token = expected_token("carol", "secure-coding", "2026-03-02")
    assert [path.name for path in (site / "badges/assertions").iterdir()] == [f"{token}.json"]
    assertion = read(site, f"badges/assertions/{token}.json")
    check_assertion(assertion, f"{SITE}/badges/assertions/{token}.json")
    salt = assertion["recipient"]["salt"]
    assert assertion["recipient"]["identity"] == "sha256$" + hashlib.sha256(
        ("carol@acme.example" + salt).encode()).hexdigest()
    assert (assertion["issuedOn"], assertion["expires"]) == ("2026-03-02T00:00:00Z", "2028-03-02T00:00:00Z")
    assert assertion["badge"] == badge_class["id"]
    assert result.pages["badges"] == 1


def test_an_assertion_names_nobody_and_the_secret_is_never_written(make_org):
    site, _ = build(make_org({"org.yaml": ORG}))
    for path in (site / "badges").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8").lower()
            assert "carol" not in text and "diaz" not in text and SECRET.lower() not in text, path
    assert [path for path in site.rglob("*") if path.is_file() and SECRET.encode() in path.read_bytes()] == []


def test_an_expired_certificate_a_leaver_and_a_person_without_email_get_no_assertion(make_org):
    team = (
        "name: Platform\nparent: engineering\nmanager: alice\nmembers:\n"
        "  - {id: alice, name: Alice Moe, email: alice@acme.example, git: alicem}\n"
        "  - {id: bob, name: Bob Lee, email: bob@acme.example, git: bobl, left: 2026-11-01}\n"
        "  - {id: carol, name: Carol Diaz, email: carol@acme.example, git: carold, mentor: bob}\n"
        "  - {id: dave, name: Dave Kim, git: davek}\n")
    records = {f"teams/platform/records/{who}.yaml": f"person: {who}\nrecords:\n"
                                                     f"  - {{course: secure-coding, date: {day}, by: {who}}}\n"
               for who, day in (("alice", "2024-11-01"), ("bob", "2026-01-10"), ("dave", "2026-02-01"))}
    site, result = build(make_org({"org.yaml": ORG, "teams/platform/team.yaml": team, **records}))
    assert [path.name for path in (site / "badges/assertions").iterdir()] == [
        f"{expected_token('carol', 'secure-coding', '2026-03-02')}.json"]


def test_the_portal_offers_to_add_each_badge_to_a_profile(make_org):
    site, _ = build(make_org({"org.yaml": ORG}))
    token = expected_token("carol", "secure-coding", "2026-03-02")
    portal = (site / "people/carol/index.html").read_text(encoding="utf-8")
    url = f"{SITE}/badges/assertions/{token}.json"
    assert f'<a href="{url}" target="_blank" rel="noopener noreferrer">Badge address</a>' in portal
    linkedin = re.search(r'<a class="md-button lms-button" href="([^"]+)"[^>]*>Add to your profile</a>', portal)
    assert linkedin is not None
    link = urlparse(linkedin.group(1).replace("&amp;", "&"))
    assert (link.scheme, link.netloc, link.path) == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qs(link.query) == {
        "startTask": ["CERTIFICATION_NAME"], "name": ["Secure coding basics"], "organizationName": ["Acme Corp"],
        "issueYear": ["2026"], "issueMonth": ["3"], "expirationYear": ["2028"], "expirationMonth": ["3"],
        "certUrl": [url], "certId": [token]}
    assert "Add to your profile" not in (site / "people/dave/index.html").read_text(encoding="utf-8")


def test_no_badge_without_a_site_url_or_a_secret_and_the_build_says_why_once(make_org):
    site, result = build(make_org(), feed_secret="f" * 32)
    assert result.warnings == [
        "no badges were written: org.yaml has no site_url, and an Open Badges assertion must name the address it is "
        "published at; set site_url to where the site is served"]
    assert not (site / "badges").exists() and "Add to your profile" not in (
        site / "people/carol/index.html").read_text(encoding="utf-8")
    root = make_org({"org.yaml": ORG}, name="no-secret")
    assert build(root, None, feed_secret="f" * 32)[1].warnings == [
        "no badges were written: LMSGEN_BADGE_SECRET is not set; set it to a random secret of at least 32 "
        "characters, the same on every build, to publish each certification as an Open Badge"]
    assert build(root, "short", feed_secret="f" * 32)[1].warnings == [
        "no badges were written: LMSGEN_BADGE_SECRET has 5 characters, and a secret shorter than 32 could be found "
        "by trying from one's own badge address; set a longer random one"]


def test_an_organisation_without_certifications_is_not_warned(make_org):
    root = make_org({"catalog/secure-coding.yaml": "title: Secure coding basics\nformat: elearning\n",
                     "assignments/security-baseline.yaml": None, "teams/platform/records/carol.yaml": None})
    assert build(root, None, feed_secret="f" * 32)[1].warnings == []


def test_a_public_build_writes_no_badge(make_org):
    root = make_org({"org.yaml": ORG})
    out = root.parent / "public"
    assert build_site(root, out, AS_OF, public=True, badge_secret=SECRET).warnings == []
    assert not (out / "badges").exists()


def test_the_build_command_reads_the_secret_from_the_environment(make_org, capsys, monkeypatch):
    from lmsgen.cli import main

    monkeypatch.setenv("LMSGEN_BADGE_SECRET", SECRET)
    monkeypatch.setenv("LMSGEN_FEED_SECRET", "f" * 32)
    root = make_org({"org.yaml": ORG})
    assert main(["--root", str(root), "build", "--out", str(root.parent / "site"), "--as-of", "2026-12-01"]) == 0
    err = capsys.readouterr().err
    assert SECRET not in err and "no badges" not in err
    assert "6 calendar pages and feeds, 1 Open Badges, 2 team dashboards" in err
    token = expected_token("carol", "secure-coding", "2026-03-02")
    assert (root.parent / "site" / "badges" / "assertions" / f"{token}.json").is_file()


# --- the token, the identity, the image --------------------------------------------------------------------------


@given(person=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True), day=st.dates(),
       other=st.text(min_size=32))
def test_a_token_is_stable_unguessable_without_the_secret_and_changes_with_it(person, day, other):
    token = badges.token(SECRET, person, "secure-coding", day)
    assert re.fullmatch(r"[0-9a-f]{32}", token) and token == badges.token(SECRET, person, "secure-coding", day)
    assert person not in token or len(person) < 4
    if other != SECRET:
        assert badges.token(other, person, "secure-coding", day) != token


def test_the_hashed_identity_is_open_badges_sha256_of_the_lowercase_email_and_salt():
    # echo -n 'carol@acme.exampledeadbeef' | sha256sum
    assert badges.hashed_identity("Carol@ACME.example", "deadbeef") == (
        "sha256$" + hashlib.sha256(b"carol@acme.exampledeadbeef").hexdigest())


@given(title=st.text(min_size=1, max_size=200))
def test_the_image_escapes_the_title(title):
    svg = badges.image(title)
    assert svg.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        # Only characters XML 1.0 cannot hold at all (control characters) may fail to parse, never markup.
        assert any(ord(c) < 32 and c not in "\t\n\r" or 0xFFFE <= ord(c) or 0xD800 <= ord(c) <= 0xDFFF
                   for c in title)
        return
    assert root.find("{http://www.w3.org/2000/svg}title").text == title.replace("\r\n", "\n").replace("\r", "\n")
    assert "<script" not in svg.replace("&lt;script", "")


# --- the vendors report and export beside them --------------------------------------------------------------------


VENDOR = "name: Cloudspire <GmbH>\ncontract: {start: 2026-01-01, end: 2027-01-15}\npreferred: true\n"


def test_the_vendors_report_and_export(make_org):
    course = ("title: Kubernetes administration\nformat: classroom\nelective: true\nvendor: cloudspire\n"
              "cost: {amount: 1200, currency: EUR}\ntrainers: [dana]\nsessions:\n"
              "  - {id: 2026-12-berlin, start: 2026-12-03T09:00, end: 2026-12-04T17:00, location: Berlin}\n")
    site, _ = build(make_org({"vendors/cloudspire.yaml": VENDOR, "catalog/k8s-admin.yaml": course}))
    page = (site / "reports/vendors/index.html").read_text(encoding="utf-8")
    assert "Cloudspire &lt;GmbH&gt;" in page and "<GmbH>" not in page
    assert "<h2 id=\"expiring\">Contracts ending within 60 days</h2>" in page
    assert re.search(r"<strong>Cloudspire &lt;GmbH&gt;</strong>: ends <time>2027-01-15</time>"
                     r" \(45 days left\)", page)
    rows = list(csv.DictReader(io.StringIO((site / "exports/vendors.csv").read_text(encoding="utf-8"))))
    assert rows == [{"vendor": "cloudspire", "name": "Cloudspire <GmbH>", "preferred": "yes", "contact": "",
                     "email": "", "contract_start": "2026-01-01", "contract_end": "2027-01-15",
                     "contract": "expiring", "days_left": "45", "courses": "k8s-admin", "year": "2026",
                     "requests": "1", "committed": "1200.0", "attended_requests": "1", "attended": "1200.0",
                     "currency": "EUR"}]
