"""Investigators' commands: ``search``, ``thread``, ``export``, ``verify-export`` and ``audit``.

Each resolves its options, calls one function of ``retainer.search.access`` (which records
the action in the audit log) and prints the result; see docs/search.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import os
import sys
from pathlib import Path

import click

from retainer.archive.audit import current_operator
from retainer.archive.engine import parse_url, sqlite_path
from retainer.archive.models import INTEGER_MAX, KINDS
from retainer.config import DATABASE_ENV
from retainer.errors import UsageError
from retainer.search import access, render
from retainer.search.dates import parse_date
from retainer.search.filters import Filters
from retainer.search.handover import FORMATS, is_sha256, verify_package


def _when(state, text: str | None, *, end: bool) -> dt.datetime | None:
    if text is None:
        return None
    return parse_date(text, end=end, now=dt.datetime.now(dt.UTC), zone=state.settings.timezone)


def filter_options(command):
    """The filters every investigator command shares, gathered into ``filters``."""
    options = [
        click.option("--chat", metavar="TITLE", help="Only this chat (title, any case)."),
        click.option("--person", metavar="NAME", help="Only messages by this configured "
                     "person (any of their accounts)."),
        click.option("--author", metavar="TEXT", help="Only authors containing TEXT, as "
                     "the export shows them."),
        click.option("--since", metavar="DATE", help='From DATE: 2019-03-01, "March 2019", '
                     '"2 weeks ago" (in the archive\'s time zone).'),
        click.option("--until", metavar="DATE", help="Up to the end of DATE: its day, month "
                     "or year, or the minute of 2019-03-01T10:00. Numeric dates must start "
                     "with the year (01/03/2019, 01-12 and 1.3 are refused)."),
        click.option("--kind", type=click.Choice(KINDS), help="Only this kind of message."),
        click.option("--category", metavar="CODE", help="Only messages filed now under this "
                     "category (code, any case; unknown codes are an error)."),
    ]

    @functools.wraps(command)
    def wrapper(*args, chat, person, author, since, until, kind, category, **kwargs):
        state = click.get_current_context().obj
        filters = Filters(chat=chat, person=person, author=author,
                          since=_when(state, since, end=False),
                          until=_when(state, until, end=True), kind=kind, category=category)
        return command(*args, filters=filters, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


@click.command()
@click.argument("query")
@filter_options
@click.option("--limit", type=click.IntRange(1, INTEGER_MAX), metavar="N", default=20,
              show_default=True, help="Most results shown.")
@click.option("--sort", type=click.Choice(("newest", "relevance")), default="newest",
              show_default=True, help="Newest first, or best match first.")
@click.option("--format", "fmt", type=click.Choice(("table", "jsonl", "csv")), default="table",
              show_default=True)
@click.pass_obj
def search(state, query: str, filters: Filters, limit: int, sort: str, fmt: str) -> None:
    """Find messages: words, "exact phrases", OR, -excluded, prefix*, :emoji_name:.

    Case and accents are ignored. Every search is recorded in the audit log (who, what was
    asked, how many results).

    \b
    Example:
      retainer search '"lane 3" closed -test' --chat "Port Ops" --since "March 2019"
      retainer search ':thumbs_up: OR approved' --person "Dana Reyes" --format jsonl
    """
    hits = access.logged_search(state.archive, query, filters, limit=limit, sort=sort,
                                operator=current_operator(state.operator))
    if fmt == "jsonl":
        for hit in hits:
            click.echo(json.dumps(hit.as_json(), ensure_ascii=False, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, render.SEARCH_CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(render.search_row(hit) for hit in hits)
        click.echo(buffer.getvalue(), nl=False)
    else:
        marks = render.BOLD if sys.stdout.isatty() else render.BRACKETS
        for line in render.hit_lines(hits, marks, limit=limit):
            click.echo(line)


@click.command()
@click.argument("chat")
@click.option("--around", type=click.IntRange(1, INTEGER_MAX), metavar="MESSAGE_ID",
              help="Show this message in context.")
@click.option("--before", type=click.IntRange(0, INTEGER_MAX), metavar="N",
              help="Messages before --around [10].")
@click.option("--after", type=click.IntRange(0, INTEGER_MAX), metavar="N",
              help="Messages after --around [10].")
@click.option("--since", metavar="DATE", help="From DATE.")
@click.option("--until", metavar="DATE", help="Up to the end of DATE.")
@click.option("--limit", type=click.IntRange(1, INTEGER_MAX), metavar="N", default=500,
              show_default=True, help="Most messages shown without --around.")
@click.option("--provenance", is_flag=True, help="Show which exports and official copies "
              "hold each message.")
@click.option("--format", "fmt", type=click.Choice(("text", "jsonl")), default="text",
              show_default=True)
@click.pass_obj
def thread(state, chat: str, around: int | None, before: int | None, after: int | None,
           since: str | None, until: str | None, limit: int, provenance: bool,
           fmt: str) -> None:
    """Read a chat as a conversation, whole or around one message; recorded in the audit log.

    \b
    Example:
      retainer thread "Port Ops" --around 1234 --before 5 --after 20 --provenance
      retainer thread "Port Ops" --since 2019-03-01 --until 2019-03-02
    """
    found = access.logged_thread(
        state.archive, chat, operator=current_operator(state.operator), around=around,
        before=before, after=after, since=_when(state, since, end=False),
        until=_when(state, until, end=True), limit=limit, provenance=provenance)
    if fmt == "jsonl":
        for item in found.messages:
            click.echo(json.dumps(item.as_json(), ensure_ascii=False, default=str))
        return
    for line in render.thread_lines(found):
        click.echo(line)


@click.command("export")
@click.option("--query", metavar="QUERY", help="Messages matching QUERY (search syntax).")
@filter_options
@click.option("--to", "to", required=True, metavar="DIR",
              type=click.Path(file_okay=False),
              help="A new or empty directory (not the current one, nor one holding it).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="eml", show_default=True)
@click.option("--limit", type=click.IntRange(1, INTEGER_MAX), metavar="N",
              help="Most messages exported.")
@click.pass_obj
def export(state, query: str | None, filters: Filters, to: str, fmt: str,
           limit: int | None) -> None:
    """Write messages for hand-over, with a manifest of SHA-256s (see verify-export).

    Give --query, --chat, or both. The package (mode 0700, files 0600) holds the messages
    and manifest.json: every file's SHA-256, the selection, who made it and when, and the
    audit-chain head. Recorded in the audit log, with the manifest's SHA-256, which is
    printed: keep it with the hand-over record.

    \b
    Example:
      retainer export --query 'tariff OR aduana' --since 2021 --to handover-2021 --format mbox
      retainer export --chat "Port Ops" --to port-ops --format html
    """
    package = access.logged_export(state.archive, query, filters, to, fmt,
                                   operator=current_operator(state.operator), limit=limit)
    click.echo(f"exported {package.messages} message{'s' * (package.messages != 1)} to "
               f"{package.directory} ({len(package.files)} file"
               f"{'s' * (len(package.files) != 1)} + manifest.json)")
    click.echo(f"manifest SHA-256  {package.manifest_sha256}  (keep it with the hand-over "
               "record: `retainer verify-export DIR --manifest-sha256 HEX` checks it)")


def _sha256_option(ctx, param, value: str | None) -> str | None:
    if value is not None and not is_sha256(value.strip()):
        raise click.BadParameter("give the 64 hexadecimal digits `retainer export` printed")
    return value.strip().lower() if value is not None else None


def _archive_to_check(state, alone: bool):
    """The archive to check a package against: None with ``--no-archive``, or when none is
    named (``--db``, ``--config``, their variables) and neither ./retainer.toml nor
    ./retainer.db exists — a recipient checks the package alone."""
    named = state["db"] or os.environ.get(DATABASE_ENV)
    if alone or not (named or state.settings.config_path or Path("retainer.db").exists()):
        return None
    path = sqlite_path(parse_url(state.settings.database_url))
    if path is not None and not path.exists():
        raise UsageError(f"{path}: no archive there to check the package against (give "
                         "--db or --config, or --no-archive to check the package alone)")
    return state.archive


@click.command("verify-export")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--manifest-sha256", "expected", metavar="HEX", callback=_sha256_option,
              help="The manifest's SHA-256 as `retainer export` printed it: a manifest "
                   "changed and re-sealed is caught only this way or through the archive.")
@click.option("--no-archive", "alone", is_flag=True,
              help="Check the package alone even where an archive is configured.")
@click.pass_obj
def verify_export(state, directory: str, expected: str | None, alone: bool) -> None:
    """Check an export package against its manifest; exit 1 if anything is missing, added
    or altered.

    Prints the manifest's SHA-256. With --manifest-sha256, checks it. When an archive is at
    hand (--db or --config given, $RETAINER_DATABASE_URL or $RETAINER_CONFIG set, or
    ./retainer.toml or ./retainer.db present; not with --no-archive), also checks that the
    archive's audit log holds the export with that manifest and that the audit chain
    verifies; that check is itself recorded in the audit log.

    \b
    Example:
      retainer verify-export handover-2021
      retainer verify-export handover-2021 --no-archive --manifest-sha256 9f86d0…
    """
    archive = _archive_to_check(state, alone)
    if archive is None:
        report = verify_package(directory, manifest_sha256=expected)
    else:
        report = access.logged_verify_export(archive, directory, manifest_sha256=expected,
                                             operator=current_operator(state.operator))
    if report.manifest_sha256 is not None:
        click.echo(f"manifest SHA-256  {report.manifest_sha256}"
                   + ("  (as expected)" if expected == report.manifest_sha256 else ""))
    if report.recorded is not None:
        click.echo(f"recorded by       {report.recorded}")
    for problem in report.problems:
        click.echo(f"PROBLEM  {problem}")
    verdict = "OK" if report.ok else f"{len(report.problems)} problem(s)"
    checked = "" if archive is None else ", against the archive"
    click.echo(f"verify-export: {verdict} — {report.files} files checked"
               + (f", {report.messages} messages" if report.messages is not None else "")
               + checked)
    if not report.ok:
        sys.exit(1)


@click.command()
@click.option("--since", metavar="DATE", help="Entries from DATE on.")
@click.option("--operator", "by", metavar="NAME", help="Only this operator's entries.")
@click.option("--action", "actions", multiple=True, metavar="ACTION",
              help="Only these actions (search, thread, export, audit, import, …).")
@click.option("--format", "fmt", type=click.Choice(("table", "jsonl")), default="table",
              show_default=True)
@click.pass_obj
def audit(state, since: str | None, by: str | None, actions: tuple[str, ...],
          fmt: str) -> None:
    """List the audit log: imports and every search, thread view and export, with who and
    when. Viewing it is itself recorded.

    \b
    Example:
      retainer audit --since "2 weeks ago" --operator dana --action search
    """
    lines = access.logged_audit(state.archive, operator=current_operator(state.operator),
                                since=_when(state, since, end=False), by=by,
                                actions=actions)
    if fmt == "jsonl":
        for line in lines:
            click.echo(json.dumps(line.as_json(), ensure_ascii=False, default=str))
        return
    for text in render.audit_lines(lines):
        click.echo(text)
