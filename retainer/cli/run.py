"""The ``run`` command: the unattended nightly import of every drop folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from retainer.cli.imports import describe_totals
from retainer.cli.reports import _emit
from retainer.compliance.render import summary_table
from retainer.compliance.report import custodian_zones
from retainer.ingest.report import MATCHED, describe, has_failures, totals
from retainer.nightly import nightly


@click.command()
@click.option("--move-done", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Move imported and already-archived files to DIR/SOURCE/… after their "
                   "commit (never overwriting).")
@click.option("--move-failed", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Move files that failed to DIR/SOURCE/….")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write the HTML compliance report to FILE.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of lines.")
@click.pass_obj
def run(state, move_done: Path | None, move_failed: Path | None, report_path: str | None,
        as_json: bool) -> None:
    """Import every [[sources]] drop folder, file new messages, sum up § 2911 compliance.

    The nightly job, made for cron: no prompts, a line per file, idempotent, safe to run twice
    at once. Exits 0 when every file imported or was already there, 1 when any failed, had a
    part refused or could not be moved (the others still land and move), 2 for usage errors.

    \b
    Example:
      retainer --config /etc/retainer/retainer.toml run --move-done /srv/drop-done
    """
    settings = state.settings
    if not settings.sources:
        raise click.UsageError("the configuration names no [[sources]] to import")
    show = (lambda r: None) if as_json else (lambda r: click.echo(describe(r)))
    result = nightly(state.archive, settings, operator=state.operator, move_done=move_done,
                     move_failed=move_failed, on_result=show,
                     full_report=report_path is not None)
    for warning in result.warnings:  # e.g. an example schedule in use
        click.echo(warning, err=True)
    if report_path is not None:
        from retainer.reports.html import render_html

        page = render_html(result.compliance, zones=custodian_zones(settings))
        # The report quotes messages: a look at the archive, on record like any other.
        state.log("report", {"report": "compliance", "as_of":
                             result.compliance.as_of.isoformat(), "format": "html",
                             "output": report_path, "run": True,
                             "messages": len(result.compliance.verdicts)})
        _emit(page, report_path)
    if as_json:
        click.echo(json.dumps({"files": [r.as_json() for r in result.files
                                         if r.status != MATCHED],
                               "late_matches": next((r.as_json() for r in result.files
                                                     if r.status == MATCHED), None),
                               "totals": totals(result.files), "filed": result.filed.filed,
                               "compliance": result.compliance.as_json()["summary"]},
                              ensure_ascii=False, default=str))
    else:
        click.echo(describe_totals(result.files))
        if problems := totals(result.files)["with_problems"]:
            click.echo(f"{problems} files with problems (FAILED: above); they stay archived")
        click.echo(f"filed {result.filed.filed} new messages under the records schedules")
        click.echo(f"\n§ 2911 compliance as of {result.compliance.as_of_text()} "
                   f"(window {settings.window_days} days):")
        for line in summary_table(result.compliance):
            click.echo(line)
    if has_failures(result.files):
        sys.exit(1)
