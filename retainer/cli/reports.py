"""The ``report`` commands: disposition (and, with the compliance engine, compliance and
destruction)."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys

import click

from retainer.dates import parse_day
from retainer.retention import disposition_report
from retainer.retention.filing import rulebook_for


@click.group()
def report() -> None:
    """Reports for records officers and management.

    \b
    Example:
      retainer report disposition --as-of 2027-01-01
    """


@report.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Report as of this date (default: "
              "today; words such as 'next month' work too).")
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
    day = parse_day(as_of or settings.as_of or "today", zone=settings.timezone)
    rulebook = rulebook_for(settings)
    with state.archive.read() as session:
        result = disposition_report.build(session, rulebook, day)
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
