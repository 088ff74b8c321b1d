"""The ``import`` command: export files and folders into the archive."""

from __future__ import annotations

import json
import sys

import click

from retainer.cli.retention import warn_examples
from retainer.formats.model import DATE_ORDERS
from retainer.ingest.options import import_options
from retainer.ingest.pipeline import FileResult
from retainer.ingest.report import describe, has_failures, totals
from retainer.ingest.sources import import_any, walk_sources
from retainer.retention.filing import file_archive
from retainer.retention.rulebook import checked_rulebook


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--custodian", metavar="NAME", help="Whose device the exports come from "
              "(a person in the configuration).")
@click.option("--tz", "timezone", metavar="ZONE", help="IANA time zone the exports' times are "
              "in (default: the custodian's, else the archive's).")
@click.option("--chat", metavar="TITLE", help="Chat title, instead of the one in the file name.")
@click.option("--date-order", type=click.Choice(DATE_ORDERS, case_sensitive=False),
              help="Date order, for files whose dates all fit both DMY and MDY.")
@click.option("--channel", type=click.Choice(["device", "official"]), default="device",
              show_default=True, help="device: handed over or taken from a phone; official: "
                                      "found in an official account.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with per-file "
                                                      "results instead of lines.")
@click.pass_obj
def import_(state, paths, custodian, timezone, chat, date_order, channel, as_json) -> None:
    """Import chat exports (.txt or .zip), or with --channel official mail files (.eml, mbox,
    Maildir), from files or folders.

    Each file is one transaction: it lands completely or not at all. A file already archived
    (same SHA-256) is skipped. New messages are filed under the records schedules; when a
    schedule in use fails its checks nothing is imported (see `retainer schedules validate`).
    Exits 0 when every file imported or was already there, 1 when any failed or had a part
    refused (a mail of an mbox whose dates fit both DMY and MDY, or an attached export that
    cannot be read; the others still land), 2 for usage errors and unusable schedules.

    \b
    Example:
      retainer import --custodian "Dana Reyes" drop/dana/
    """
    options = import_options(state.settings, custodian=custodian, timezone=timezone,
                             chat=chat, date_order=date_order, channel=channel,
                             operator=state.operator)
    archive, settings = state.archive, state.settings
    rulebook = checked_rulebook(settings)  # before anything lands: it must all be filed
    warn_examples(rulebook)
    files = list(walk_sources(paths))
    results = import_with_progress(archive, settings, files, options,
                                   show=None if as_json else describe,
                                   bar=not as_json and sys.stderr.isatty())
    filed = file_archive(archive, settings, operator=state.operator, rulebook=rulebook)
    if as_json:
        click.echo(json.dumps({"files": [r.as_json() for r in results],
                               "totals": totals(results), "filed": filed.filed},
                              ensure_ascii=False))
    else:
        click.echo(describe_totals(results))
        if filed.filed:
            click.echo(f"filed {filed.filed} new messages under the records schedules")
    if has_failures(results):
        sys.exit(1)


def describe_totals(results: list[FileResult]) -> str:
    t = totals(results)
    return (f"total: {t['files']} files — {t['imported']} imported, {t['already']} already "
            f"archived, {t['skipped']} skipped, {t['failed']} failed; {t['new']} new messages, "
            f"{t['seen_again']} seen again")


def import_with_progress(archive, settings, files, options, *, show, bar: bool
                         ) -> list[FileResult]:
    """Import ``files``; on a terminal (``bar``) a progress bar by bytes with the running
    message count, and the per-file lines after it; otherwise each line as its file is done
    (cron logs)."""
    results: list[FileResult] = []
    sizes = [path.stat().st_size if path.is_file() else 0 for path in files]
    try:
        with click.progressbar(length=max(sum(sizes), 1), label="importing", file=sys.stderr,
                               hidden=not bar, show_pos=False,
                               item_show_func=lambda text: text) as progress:
            for path, size in zip(files, sizes, strict=True):
                done = [0]

                def count(messages: int, path=path, done=done) -> None:
                    done[0] += messages
                    progress.update(0, f"{path.name}: {done[0]:,} messages")

                results.append(import_any(archive, settings, path, options, count))
                progress.update(size, path.name)
                if show is not None and not bar:
                    click.echo(show(results[-1]))
    finally:  # also when stopped (Ctrl-C): the files that landed are said
        if show is not None and bar:
            for result in results:
                click.echo(show(result))
    return results
