"""`lmsgen remind [--as-of DATE] (--dry-run | --outbox DIR | --smtp | --webhook URL)`: the reminders due that day.

What is due is a function of the data and the date (lmsgen.rules.reminders), so a daily scheduled job
runs this once a day and keeps no state; docs/reminders.md says how to set it up."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from ._common import EXIT_DATA, EXIT_OK, add_no_cache
from ._revision import add_at
from .status import as_of_date, load_valid


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("remind", help="send the reminders due on a day: to people, managers and HR")
    parser.add_argument("--as-of", type=as_of_date, default=None, metavar="DATE",
                        help="the day to send the reminders of (default: today)")
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--dry-run", action="store_true", help="print who would get what, and send nothing")
    how.add_argument("--outbox", type=Path, metavar="DIR", help="write each message as DIR/<date>-<kind>-<person>.eml")
    how.add_argument("--smtp", action="store_true",
                     help="send by e-mail through the server the LMSGEN_SMTP_* variables name (docs/reminders.md)")
    how.add_argument("--webhook", metavar="URL", help="post each digest as JSON (Slack and Teams incoming webhooks)")
    add_no_cache(parser)
    add_at(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..integrations import digests, mail, webhook  # Jinja2 and smtplib only for this command

    org = load_valid(args, "remind")
    if org is None:
        return EXIT_DATA
    as_of = args.as_of or date.today()
    writer, letters = digests.letters(org, as_of)
    text = writer.catalog
    if not letters:
        print(text("remind.nothing", date=as_of.isoformat()))
        return EXIT_OK
    try:
        if args.webhook:
            bodies = [(letter.digest.name, webhook.payload(letter, text("reminder.webhook.to", name=letter.name)))
                      for letter in letters]
            print(text("remind.posted", count=webhook.post(args.webhook, bodies)))
            return EXIT_OK
        reachable = [letter for letter in letters if letter.address]
        for letter in letters:
            count = len(letter.digest.items)
            lines = text("remind.lines.one") if count == 1 else text("remind.lines.other", count=count)
            if not letter.address:
                print(text("remind.unreachable", name=letter.name, person=letter.digest.recipient,
                           subject=letter.subject, lines=lines))
            elif args.dry_run:
                print(text("remind.would_send", name=letter.name, address=letter.address, subject=letter.subject,
                           lines=lines))
        if args.dry_run:
            return EXIT_OK
        settings = mail.smtp_settings(os.environ) if args.smtp else None
        sender = settings.sender if settings else mail.sender(os.environ)
        messages = [(mail.file_name(letter, as_of), mail.message(letter, as_of, sender)) for letter in reachable]
        if settings is not None:
            print(text("remind.sent", count=mail.send(settings, messages), server=settings.server))
        else:
            mail.write_outbox(args.outbox, messages)
            print(text("remind.wrote", count=len(messages), folder=args.outbox))
    except mail.DeliveryError as problem:
        print(f"lmsgen remind: {problem.describe(text)}", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK
