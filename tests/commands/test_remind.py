"""`lmsgen remind`: the day's digests received by a real SMTP server (AUTH, STARTTLS) and a real webhook, written
to an outbox byte for byte the same on a re-run, and every bad setting reported with what was already sent."""

from __future__ import annotations

import email
import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from reminder_org import AS_OF, REMINDER_ORG, SITE

from lmsgen.cli import main

USER, PASSWORD = "lmsgen", "s3cret"
EXPECTED = [  # (recipient, subject) of each message of 2026-12-05, in order; bob has no address
    ("dana@acme.example", "Acme Corp: your learning reminders for 2026-12-05"),
    ("dave@acme.example", "Acme Corp: your learning reminders for 2026-12-05"),
    ("alice@acme.example", "Acme Corp: your teams' learning, week of 2026-12-05"),
    ("erin@acme.example", "Acme Corp: your teams' learning, week of 2026-12-05"),
    ("alice@acme.example", "Acme Corp: certifications expiring and expired, 2026-12-05"),
    ("erin@acme.example", "Acme Corp: certifications expiring and expired, 2026-12-05"),
]
UNREACHABLE = ("not reachable: Bob Lee (bob) has no e-mail address; Acme Corp: your learning reminders for "
               "2026-12-05 (1 line) is not sent\n")


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=default)))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (USER.encode(),
                                                                                          PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, made by openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture
def smtp_server(certificate):
    """A real SMTP server on 127.0.0.1 that offers STARTTLS and requires AUTH (over TLS)."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=_authenticate,
                            auth_required=True, tls_context=context, require_starttls=True)
    controller.start()
    yield controller, inbox, cert
    controller.stop()


@pytest.fixture
def org_root(make_org):
    return make_org(REMINDER_ORG)


def _smtp_env(monkeypatch, port, cafile, password=PASSWORD):
    for name, value in {"LMSGEN_SMTP_HOST": "127.0.0.1", "LMSGEN_SMTP_PORT": str(port), "LMSGEN_SMTP_USER": USER,
                        "LMSGEN_SMTP_PASSWORD": password, "LMSGEN_SMTP_FROM": "learning@acme.example",
                        "LMSGEN_SMTP_CAFILE": str(cafile), "LMSGEN_SMTP_STARTTLS": "true"}.items():
        monkeypatch.setenv(name, value)


def _plain(mail: EmailMessage) -> str:
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _remind(root, *args):
    return main(["--root", str(root), "remind", "--as-of", AS_OF.isoformat(), *args])


def test_the_days_messages_reach_a_real_smtp_server(org_root, smtp_server, monkeypatch, capsys):
    controller, inbox, cert = smtp_server
    _smtp_env(monkeypatch, controller.port, cert)
    assert _remind(org_root, "--smtp") == 0
    assert capsys.readouterr().out == UNREACHABLE + f"sent 6 messages through 127.0.0.1:{controller.port}\n"
    assert [(to[0], mail["Subject"]) for _, to, mail in inbox.received] == EXPECTED
    assert {sender for sender, _, _ in inbox.received} == {"learning@acme.example"}
    dave = inbox.received[1][2]
    assert dave["To"] == "Dave Kim <dave@acme.example>"
    assert dave["Date"] == "Sat, 05 Dec 2026 00:00:00 +0000"
    assert dave["Message-ID"] == "<2026-12-05.person-dave@acme.example>"
    assert _plain(dave) == (
        "Hello Dave Kim,\n\nthis needs your attention in your learning:\n\n"
        "Overdue\n- Secure coding basics: was due on 2026-01-31, 308 days overdue\n"
        f"  {SITE}catalog/secure-coding/\n\n"
        "Certificates expiring\n- First aid <basic>: expires on 2026-12-19\n"
        f"  {SITE}catalog/first-aid/\n\n"
        f"Open your learning portal: {SITE}people/dave/\n\n"
        "-- \nAcme Corp's learning system sends this on the days something is due. "
        "The calendar file holds the due dates.\n")
    html = dave.get_body(("html",)).get_content()
    assert "First aid &lt;basic&gt;: expires on 2026-12-19" in html and "<basic>" not in html
    assert f'<a href="{SITE}people/dave/">Open your learning portal</a>' in html
    [ics] = [part for part in dave.iter_attachments()]
    assert ics.get_filename() == "due-dates.ics" and ics.get_content_type() == "text/calendar"
    assert "DTSTART;VALUE=DATE:20260131\r\nDTEND;VALUE=DATE:20260201\r\nSUMMARY:Due: Secure coding basics" in (
        ics.get_content())
    erin = _plain(inbox.received[3][2])
    assert "this needs attention in the teams you manage (Engineering):" in erin
    assert "- Bob Lee, Secure coding basics: was due on 2026-01-31, 308 days overdue\n" in erin
    assert f"Open the dashboard of Engineering: {SITE}teams/engineering/" in erin
    hr_alice = _plain(inbox.received[4][2])
    assert "(Platform):\n\nCertificates expiring\n- Dave Kim, First aid <basic>: expires on 2026-12-19\n" in hr_alice
    assert not inbox.received[4][2].is_multipart() or not list(inbox.received[4][2].iter_attachments())


def test_a_dutch_organisation_gets_dutch_messages(make_org, tmp_path, capsys):
    root = make_org({**REMINDER_ORG, "org.yaml": REMINDER_ORG["org.yaml"].replace("language: en", "language: nl")})
    assert _remind(root, "--outbox", str(tmp_path / "out")) == 0
    assert capsys.readouterr().out.endswith(f"6 berichten geschreven naar {tmp_path / 'out'}\n")
    dave = email.message_from_bytes((tmp_path / "out" / "2026-12-05-person-dave.eml").read_bytes(), policy=default)
    assert dave["Subject"] == "Acme Corp: je leerherinneringen voor 2026-12-05"
    assert dave["Content-Language"] == "nl"
    assert "- Secure coding basics: moest af op 2026-01-31, 308 dagen te laat\n" in (
        _plain(dave))


def test_a_rerun_on_the_same_day_writes_the_same_bytes(org_root, tmp_path, capsys):
    assert _remind(org_root, "--outbox", str(tmp_path / "first")) == 0
    assert _remind(org_root, "--outbox", str(tmp_path / "second")) == 0
    first = {path.name: path.read_bytes() for path in (tmp_path / "first").iterdir()}
    assert first == {path.name: path.read_bytes() for path in (tmp_path / "second").iterdir()}
    assert sorted(first) == ["2026-12-05-hr-alice.eml", "2026-12-05-hr-erin.eml", "2026-12-05-manager-alice.eml",
                             "2026-12-05-manager-erin.eml", "2026-12-05-person-dana.eml", "2026-12-05-person-dave.eml"]
    assert capsys.readouterr().out == (UNREACHABLE + f"wrote 6 messages to {tmp_path / 'first'}\n"
                                       + UNREACHABLE + f"wrote 6 messages to {tmp_path / 'second'}\n")
    assert _remind(org_root, "--outbox", str(tmp_path / "first")) == 0  # into the same folder: the same files
    assert first == {path.name: path.read_bytes() for path in (tmp_path / "first").iterdir()}


def test_the_dry_run_lists_who_would_get_what(org_root, capsys):
    assert _remind(org_root, "--dry-run") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == UNREACHABLE.rstrip("\n")
    assert out[1:3] == [
        "would send to Dana Poe <dana@acme.example>: Acme Corp: your learning reminders for 2026-12-05 (1 line)",
        "would send to Dave Kim <dave@acme.example>: Acme Corp: your learning reminders for 2026-12-05 (2 lines)"]
    assert len(out) == 7
    assert _remind(org_root, "--dry-run", "--as-of", "2026-12-06") == 0
    assert capsys.readouterr().out == "no reminders are due on 2026-12-06\n"


def test_a_wrong_password_is_reported_and_nothing_is_sent(org_root, smtp_server, monkeypatch, capsys):
    controller, inbox, cert = smtp_server
    _smtp_env(monkeypatch, controller.port, cert, password="wrong")
    assert _remind(org_root, "--smtp") == 1
    err = capsys.readouterr().err
    assert err == (f"lmsgen remind: the SMTP server 127.0.0.1:{controller.port} refused the login of 'lmsgen': "
                   "535 5.7.8 Authentication credentials invalid; none of 6 delivered\n")
    assert inbox.received == []


def test_an_unreachable_server_and_missing_settings_are_reported(org_root, monkeypatch, capsys, tmp_path):
    _smtp_env(monkeypatch, _free_port(), tmp_path / "none.pem")
    monkeypatch.setenv("LMSGEN_SMTP_STARTTLS", "false")
    assert _remind(org_root, "--smtp") == 1
    err = capsys.readouterr().err
    assert err.startswith("lmsgen remind: cannot reach the SMTP server 127.0.0.1:")
    assert err.endswith("Connection refused; none of 6 delivered\n")
    monkeypatch.delenv("LMSGEN_SMTP_HOST")
    monkeypatch.delenv("LMSGEN_SMTP_PASSWORD")
    assert _remind(org_root, "--smtp") == 1
    assert capsys.readouterr().err == (
        "lmsgen remind: the SMTP settings are incomplete: LMSGEN_SMTP_HOST is not set; LMSGEN_SMTP_USER and "
        "LMSGEN_SMTP_PASSWORD go together: set both or neither\n")


class _Hook(http.server.BaseHTTPRequestHandler):
    received: list[dict] = []
    fail_after = 99

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ok = len(self.received) < self.fail_after
        if ok:
            self.received.append(body)
        self.send_response(200 if ok else 500)
        self.end_headers()
        self.wfile.write(b"ok" if ok else b"broken")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    """A real HTTP server on 127.0.0.1 that keeps each JSON body; it answers 500 after `fail_after` posts."""
    handler = type("Hook", (_Hook,), {"received": [], "fail_after": 99})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()


def test_the_webhook_receives_one_text_post_per_digest(org_root, webhook, capsys):
    url, handler = webhook
    assert _remind(org_root, "--webhook", url) == 0
    assert capsys.readouterr().out == "posted 7 messages to the webhook\n"
    assert [set(body) for body in handler.received] == [{"text"}] * 7
    assert handler.received[0]["text"] == (
        "*Acme Corp: your learning reminders for 2026-12-05*\nTo Bob Lee\n\n*Overdue*\n"
        f"- Secure coding basics: was due on 2026-01-31, 308 days overdue {SITE}catalog/secure-coding/\n"
        f"Open your learning portal: {SITE}people/bob/")


def test_a_webhook_answering_500_stops_and_says_what_was_posted(org_root, webhook, capsys):
    url, handler = webhook
    handler.fail_after = 2
    assert _remind(org_root, "--webhook", url) == 1
    assert capsys.readouterr().err == ("lmsgen remind: the webhook answered 500 Internal Server Error to "
                                       "person-dave; 2 of 7 already delivered (person-bob, person-dana)\n")
    assert len(handler.received) == 2


def test_bad_reminder_settings_are_positioned_errors(make_org, capsys):
    root = make_org({**REMINDER_ORG, "org.yaml": REMINDER_ORG["org.yaml"].replace(
        "manager_digest: saturday", "manager_digest: someday").replace("language: en", "language: fr")})
    assert _remind(root, "--dry-run") == 1
    err = capsys.readouterr().err
    assert err.splitlines()[:2] == [
        "org.yaml:5:11: language: input should be 'en' or 'nl'",
        "org.yaml:7:74: reminders.manager_digest: input should be 'monday', 'tuesday', 'wednesday', "
        "'thursday', 'friday', 'saturday' or 'sunday'"]


def test_an_outbox_that_is_a_file_and_a_webhook_that_is_no_url_are_reported(org_root, tmp_path, capsys):
    (tmp_path / "taken").write_text("a file")
    assert _remind(org_root, "--outbox", str(tmp_path / "taken")) == 1
    assert capsys.readouterr().err == (f"lmsgen remind: cannot write to the outbox {tmp_path / 'taken'}: File exists; "
                                       "none of 6 delivered\n")
    assert _remind(org_root, "--webhook", "hooks.example/abc") == 1
    assert capsys.readouterr().err == ("lmsgen remind: cannot post to the webhook: unknown url type: "
                                       "'hooks.example/abc'; none of 7 delivered\n")


def test_errors_are_in_the_organisations_language(make_org, monkeypatch, capsys):
    root = make_org({**REMINDER_ORG, "org.yaml": REMINDER_ORG["org.yaml"].replace("language: en", "language: nl")})
    monkeypatch.setenv("LMSGEN_SMTP_PORT", "smtp")
    monkeypatch.delenv("LMSGEN_SMTP_HOST", raising=False)
    monkeypatch.setenv("LMSGEN_SMTP_FROM", "learning@acme.example")
    assert _remind(root, "--smtp") == 1
    assert capsys.readouterr().err == ("lmsgen remind: de SMTP-instellingen zijn onvolledig: LMSGEN_SMTP_HOST is niet "
                                       "gezet; LMSGEN_SMTP_PORT is 'smtp': gebruik een poortnummer\n")
