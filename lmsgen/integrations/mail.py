"""Reminders by e-mail: each letter as a MIME message, written to an outbox folder or sent over SMTP.

A message is multipart: plain text and HTML (rendered by Jinja2 with autoescaping, so nothing from the
data is markup), and for a person with due dates an `.ics` calendar (lmsgen.model.ical) holding them.
Everything in it follows from the date and the recipient, so a re-run on the same day makes the same
bytes: the `Date` header is the as-of date (midnight UTC), the `Message-ID` and the MIME boundaries are
derived from the date, the digest's kind and the recipient, and the outbox file is named after them.

SMTP settings come from the environment (docs/reminders.md): ``LMSGEN_SMTP_HOST``, ``LMSGEN_SMTP_PORT``
(587 with STARTTLS, else 25), ``LMSGEN_SMTP_STARTTLS`` (true unless ``false``), ``LMSGEN_SMTP_USER`` and
``LMSGEN_SMTP_PASSWORD`` (both or neither), ``LMSGEN_SMTP_FROM`` (the sender; also used for the outbox),
and ``LMSGEN_SMTP_CAFILE`` (a CA bundle to trust besides the system's, for an internal relay).
A failure stops the batch and says what failed and which messages were already sent: SMTP gives no way
to take them back, and a re-run the same day sends the whole day's set again.
"""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email import charset as charsets
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr
from pathlib import Path

import jinja2

from ..messages import DEFAULT_LANGUAGE, Catalog
from ..model import ical
from ..writing import Tree
from .digests import Letter

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("lmsgen", "templates/mail"),
                          autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

_UTF8 = charsets.Charset("utf-8")
_UTF8.body_encoding = charsets.QP  # readable in the outbox, unlike base64
_WIRE = compat32.clone(linesep="\r\n")
DEFAULT_SENDER = "lmsgen@localhost"
ENVIRONMENT = ("LMSGEN_SMTP_HOST", "LMSGEN_SMTP_PORT", "LMSGEN_SMTP_STARTTLS", "LMSGEN_SMTP_USER",
               "LMSGEN_SMTP_PASSWORD", "LMSGEN_SMTP_FROM", "LMSGEN_SMTP_CAFILE")
"""The variables lmsgen reads its SMTP settings from."""
TIMEOUT_SECONDS = 30


class DeliveryError(Exception):
    """Delivery stopped. `key` and `values` say what went wrong, in the message catalogs' words (`describe`);
    `parts` are further (key, values) sentences listed after it; `done` is what was delivered before, in
    order, of `total` (0: nothing was tried)."""

    def __init__(self, key: str, done: Sequence[str] = (), total: int = 0, *,
                 parts: Sequence[tuple[str, dict[str, object]]] = (), **values: object):
        self.key, self.values, self.parts = key, values, list(parts)
        self.done, self.total = list(done), total
        super().__init__(self.describe(Catalog(DEFAULT_LANGUAGE)))

    def describe(self, text: Catalog) -> str:
        """What failed and what was already delivered, in the catalog's language."""
        problems = "; ".join(text(key, **values) for key, values in self.parts)
        failed = text(self.key, problems=problems, **self.values) if self.parts else text(self.key, **self.values)
        if not self.total:
            return failed
        if self.done:
            return f"{failed}; " + text("remind.error.some_delivered", count=len(self.done), total=self.total,
                                        names=", ".join(self.done))
        return f"{failed}; " + text("remind.error.none_delivered", total=self.total)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    sender: str
    cafile: str | None

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def sender(environ: Mapping[str, str]) -> str:
    """The From address: `LMSGEN_SMTP_FROM`, or a placeholder for an outbox that is never sent."""
    return environ.get("LMSGEN_SMTP_FROM") or DEFAULT_SENDER


def smtp_settings(environ: Mapping[str, str]) -> SmtpSettings:
    """The SMTP settings from the environment; raises DeliveryError naming each one that is missing or wrong."""
    problems: list[tuple[str, dict[str, object]]] = []
    host = environ.get("LMSGEN_SMTP_HOST", "")
    if not host:
        problems.append(("remind.error.setting.host", {}))
    if not environ.get("LMSGEN_SMTP_FROM"):
        problems.append(("remind.error.setting.from", {}))
    starttls_text = environ.get("LMSGEN_SMTP_STARTTLS", "true").lower()
    if starttls_text not in ("true", "false"):
        problems.append(("remind.error.setting.starttls", {"value": repr(starttls_text)}))
    starttls = starttls_text != "false"
    port_text = environ.get("LMSGEN_SMTP_PORT") or ("587" if starttls else "25")
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        problems.append(("remind.error.setting.port", {"value": repr(port_text)}))
    user, password = environ.get("LMSGEN_SMTP_USER") or None, environ.get("LMSGEN_SMTP_PASSWORD") or None
    if (user is None) != (password is None):
        problems.append(("remind.error.setting.login", {}))
    if problems:
        raise DeliveryError("remind.error.settings", parts=problems)
    return SmtpSettings(host, int(port_text), starttls, user, password, sender(environ),
                        environ.get("LMSGEN_SMTP_CAFILE") or None)


def file_name(letter: Letter, as_of: date) -> str:
    """The outbox file of a letter: `<date>-<audience>-<recipient>.eml` (a person id is a slug)."""
    return f"{as_of.isoformat()}-{letter.digest.name}.eml"


def message(letter: Letter, as_of: date, from_address: str) -> Message:
    """The letter as an e-mail, the same bytes for the same letter, day and sender.

    Built with `email.mime` (the compat32 policy): the modern `EmailMessage` parses every header it is
    given again, which made a day of 10,000 people's messages take seconds longer than the rest together.
    """
    assert letter.address is not None, "only a reachable recipient gets a message"
    key = f"{as_of.isoformat()}.{letter.digest.name}"
    boundary = hashlib.sha256(key.encode()).hexdigest()[:24]
    body = MIMEMultipart("alternative", boundary=f"=_alt_{boundary}")
    body.attach(MIMEText(_ENV.get_template("digest.txt").render(letter=letter), "plain", _UTF8))
    body.attach(MIMEText(_ENV.get_template("digest.html").render(letter=letter), "html", _UTF8))
    mail: Message = body
    if letter.due_dates:
        mail = MIMEMultipart("mixed", boundary=f"=_mixed_{boundary}")
        mail.attach(body)
        calendar = MIMEText(_calendar(letter, as_of), "calendar", _UTF8)
        calendar.set_param("method", "PUBLISH")
        calendar.add_header("Content-Disposition", "attachment", filename="due-dates.ics")
        mail.attach(calendar)
    mail["From"] = from_address
    mail["To"] = formataddr((letter.name, letter.address), charset="utf-8")
    mail["Subject"] = _header(letter.subject)
    mail["Date"] = format_datetime(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc))
    mail["Message-ID"] = f"<{key}@{from_address.rpartition('@')[2] or 'localhost'}>"
    mail["Content-Language"] = letter.language
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a robot
    return mail


def as_bytes(mail: Message) -> bytes:
    """The message as SMTP carries it (CRLF line ends): what the outbox holds, byte for byte."""
    return mail.as_bytes(policy=_WIRE)


def _header(text: str) -> str:
    return text if text.isascii() else Header(text, "utf-8").encode()


def _calendar(letter: Letter, as_of: date) -> str:
    events = [ical.all_day(f"due-{letter.digest.recipient}-{due.item.course}@lmsgen", as_of, due.item.on,
                           due.summary, due.description, "due") for due in letter.due_dates]
    return ical.calendar(letter.calendar_name, events)


def write_outbox(folder: Path, messages: Sequence[tuple[str, Message]]) -> list[str]:
    """Writes each (file name, message) into `folder` (made if missing, never through a link); the names written,
    or DeliveryError naming what could not be."""
    done: list[str] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with Tree(folder) as tree:
            for name, mail in messages:
                tree.write(name, as_bytes(mail))
                done.append(name)
    except OSError as problem:
        raise DeliveryError("remind.error.outbox", done, len(messages), folder=folder,
                            problem=problem.strerror or problem) from None
    return done


def send(settings: SmtpSettings, messages: Sequence[tuple[str, Message]]) -> int:
    """Sends every message over one SMTP connection; the number sent, or DeliveryError naming what failed."""
    total, done = len(messages), []
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as server:
            if settings.starttls:
                context = ssl.create_default_context(cafile=settings.cafile)
                server.starttls(context=context)
            if settings.user is not None:
                server.login(settings.user, settings.password or "")
            for name, mail in messages:
                try:
                    server.send_message(mail)
                except smtplib.SMTPRecipientsRefused as refused:
                    raise DeliveryError("remind.error.recipient", done, total, server=settings.server, name=name,
                                        reasons=_reasons(refused.recipients)) from None
                done.append(name)
    except DeliveryError:
        raise
    except smtplib.SMTPAuthenticationError as problem:
        raise DeliveryError("remind.error.login", done, total, server=settings.server, user=repr(settings.user),
                            reply=_reply(problem)) from None
    except smtplib.SMTPNotSupportedError as problem:
        raise DeliveryError("remind.error.not_offered", done, total, server=settings.server, problem=problem) from None
    except smtplib.SMTPResponseException as problem:
        raise DeliveryError("remind.error.answered", done, total, server=settings.server,
                            reply=_reply(problem)) from None
    except (ssl.SSLError, ssl.CertificateError) as problem:
        raise DeliveryError("remind.error.tls", done, total, server=settings.server, problem=problem) from None
    except (smtplib.SMTPException, OSError, socket.timeout) as problem:
        raise DeliveryError("remind.error.unreachable", done, total, server=settings.server, problem=problem) from None
    return len(done)


def _reply(problem: smtplib.SMTPResponseException) -> str:
    reply = problem.smtp_error
    return f"{problem.smtp_code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply}"


def _reasons(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{address}: {code} {reply.decode('utf-8', 'replace')}" for address, (code, reply)
                     in recipients.items())
