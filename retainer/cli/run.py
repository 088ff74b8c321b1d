"""The ``run`` command: the unattended nightly import of every drop folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from retainer.cli.imports import describe_totals
from retainer.ingest.report import describe, totals
from retainer.ingest.sources import run_sources
from retainer.retention.filing import file_archive


@click.command()
@click.option("--move-done", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Move imported and already-archived files here (after their commit).")
@click.option("--move-failed", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Move files that failed here.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of lines.")
@click.pass_obj
def run(state, move_done: Path | None, move_failed: Path | None, as_json: bool) -> None:
    """Import every [[sources]] drop folder (device exports and official mail): the nightly job.

    Made for cron: no prompts, a line per file, idempotent, safe to run twice at once. Exits 0
    when every file imported or was already there, 1 when any failed, 2 for usage errors.

    \b
    Example:
      retainer --config /etc/retainer/retainer.toml run --move-done /srv/drop-done
    """
    settings = state.settings
    if not settings.sources:
        raise click.UsageError("the configuration names no [[sources]] to import")
    show = (lambda r: None) if as_json else (lambda r: click.echo(describe(r)))
    results = run_sources(state.archive, settings, operator=state.operator,
                          move_done=move_done, move_failed=move_failed, on_result=show)
    filed = file_archive(state.archive, settings, operator=state.operator)
    if as_json:
        click.echo(json.dumps({"files": [r.as_json() for r in results],
                               "totals": totals(results), "filed": filed.filed},
                              ensure_ascii=False, default=str))
    else:
        click.echo(describe_totals(results))
        click.echo(f"filed {filed.filed} new messages under the records schedules")
    if any(r.status == "failed" for r in results):
        sys.exit(1)
