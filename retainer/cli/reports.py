"""The ``report`` commands: disposition (and, with the compliance engine, compliance and
destruction)."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Iterator

import click

from retainer.cli.retention import warn_examples
from retainer.compliance.model import STATUSES
from retainer.compliance.render import csv_chunks, json_chunks, render_table
from retainer.compliance.report import as_of_moment, custodian_zones
from retainer.compliance.report import build as build_compliance
from retainer.dates import parse_day
from retainer.retention import disposition_report
from retainer.retention.filing import rulebook_for
from retainer.retention.sending import SendingDays


@click.group()
def report() -> None:
    """Reports for management and records officers: compliance, disposition.

    \b
    Example:
      retainer report compliance --status overdue
    """


def _statuses(text: str | None) -> list[str]:
    if not text:
        return []
    chosen = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in STATUSES]
    if unknown:
        raise click.BadParameter(f"unknown status {', '.join(unknown)} (use "
                                 f"{', '.join(STATUSES)})")
    return chosen


@report.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Report as of this moment: a date, "
              "month or year (the end of its last day in each custodian's zone), an ISO "
              "time, or words ('yesterday', '2 weeks ago'); default: the configuration's "
              "as_of, else now.")
@click.option("--custodian", "custodians", multiple=True, metavar="NAME",
              help="Only this custodian (repeatable; must be a configured custodian).")
@click.option("--chat", metavar="TITLE", help="Only this chat (must be in the archive).")
@click.option("--status", "status_list", metavar="LIST",
              help="Only these statuses, comma-separated (e.g. overdue,late; exempt implies "
              "--exempt).")
@click.option("--exempt", "include_exempt", is_flag=True,
              help="Also list exempt messages, each with why it is not subject.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]),
              default="table", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file "
              "(readable by its owner only) instead of stdout.")
@click.option("--fail-on", "fail_on", metavar="LIST", help="Exit 3 when any message has one "
              "of these statuses (comma-separated), for cron.")
@click.pass_obj
def compliance(state, as_of, custodians, chat, status_list, include_exempt, fmt, output,
               fail_on) -> None:
    """44 U.S.C. § 2911: which records reached an official account in time, and which did not.

    Statuses: copied (an official account was in the chat), forwarded (a complete copy within
    the window), late, incomplete, overdue, pending (window still open), exempt (on request).

    \b
    Example:
      retainer report compliance --as-of yesterday --status overdue,late
      retainer report compliance --format html --output compliance.html --fail-on overdue
    """
    settings = state.settings
    moment = as_of_moment(settings, as_of)
    wanted, failing = _statuses(status_list), _statuses(fail_on)
    rulebook = rulebook_for(settings)
    with state.archive.read() as session:
        result = build_compliance(session, settings, rulebook, moment,
                                  custodians=custodians, chat=chat, statuses=wanted,
                                  include_exempt=include_exempt)
    if fmt == "json":  # streamed: a large report is never one string in memory
        text = json_chunks(result)
    elif fmt == "csv":
        text = csv_chunks(result)
    elif fmt == "html":
        from retainer.reports.html import render_html

        text = render_html(result, zones=custodian_zones(settings))
    else:
        text = render_table(result, custodian_zones(settings))
    state.log("report", {"report": "compliance", "as_of": moment.instant.isoformat(),
                         "as_of_date": str(moment.day) if moment.day else None,
                         "custodians": list(custodians), "chat": chat, "statuses": wanted,
                         "exempt": include_exempt, "format": fmt, "messages":
                         len(result.verdicts)})
    _emit(text, output)
    if failing and any(s.counts[status] for s in result.summary for status in failing):
        sys.exit(3)


def _emit(text: str | Iterable[str], output: str | None) -> None:
    """Write the report, ending with one newline: to stdout, or to ``output`` readable by
    its owner only. ``text`` may come in pieces (they are written in batches)."""
    pieces = [text] if isinstance(text, str) else text
    fh = None
    if output is not None:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an existing file would keep its mode (world-readable, say)
        fh = os.fdopen(fd, "w", encoding="utf-8")
    try:
        last = ""
        for batch in _batches(pieces):
            if fh is None:
                click.echo(batch, nl=False)
            else:
                fh.write(batch)
            last = batch[-1:] or last
        if last != "\n":
            click.echo("", file=fh)
    finally:
        if fh is not None:
            fh.close()


def _batches(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Join small pieces (a JSON encoder yields every token) into writes of about ``size``."""
    held: list[str] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if held:
        yield "".join(held)


@report.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Report as of this date (default: "
              "[compliance] as_of, else today; words such as 'next month' work too).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.pass_obj
def disposition(state, as_of: str | None, fmt: str) -> None:
    """What is eligible for disposition, what a hold blocks, what is due for transfer.

    retainer never destroys anything: this lists what the schedules allow, for the records
    officer to act on through the agency's procedures.

    \b
    Example:
      retainer report disposition --as-of 2030-01-01 --format csv > eligible.csv
    """
    settings = state.settings
    day = parse_day(as_of or settings.as_of or "today", zone=settings.timezone,
                    option="--as-of" if as_of else "[compliance] as_of")
    rulebook = rulebook_for(settings)
    warn_examples(rulebook)
    with state.archive.read() as session:
        result = disposition_report.build(
            session, rulebook, day, days=SendingDays(settings.people, settings.timezone))
    state.log("report", {"report": "disposition", "as_of": str(day), "format": fmt,
                         "messages": len(result.items)})
    if fmt == "json":
        click.echo(json.dumps({"as_of": str(day), "counts": dict(result.counts),
                               "items": [dataclasses.asdict(i) for i in result.items]},
                              default=str, ensure_ascii=False))
    elif fmt == "csv":
        fields = [f.name for f in dataclasses.fields(disposition_report.Item)]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        for item in result.items:
            row = dataclasses.asdict(item)
            row["holds"] = "; ".join(row["holds"])
            writer.writerow(row)
    else:
        click.echo(f"Disposition as of {day} (retainer destroys nothing):")
        for status in disposition_report.STATUSES:
            if result.counts[status]:
                click.echo(f"  {status:<13} {result.counts[status]:>8}")
        click.echo("By category:")
        for (schedule, code), counts in sorted(result.by_category.items()):
            parts = ", ".join(f"{n} {s}" for s, n in counts.most_common())
            click.echo(f"  {schedule} {code}: {parts}")
        for item in result.items[:200]:
            extra = f" (held: {', '.join(item.holds)})" if item.holds else ""
            click.echo(f"  {item.status:<12} #{item.message_id} {item.chat!r} "
                       f"{item.sent_at_local} {item.category}{extra}")
        if len(result.items) > 200:
            click.echo(f"  … and {len(result.items) - 200} more (use --format csv)")


def _register() -> None:
    from retainer.cli.destruction import destruction

    report.add_command(destruction)


_register()
