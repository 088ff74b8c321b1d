"""The ``parse`` command: read one export and print its messages, without any database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from retainer.errors import UsageError
from retainer.formats import DATE_ORDERS, ParsedMessage, read_export
from retainer.formats.summary import Summary


def _table_row(message: ParsedMessage) -> str:
    text = message.text.replace("\n", " ⏎ ")
    if len(text) > 70:
        text = text[:69] + "…"
    author = message.author if message.author is not None else "—"
    flag = "*" if message.edited else " "
    return (f"{message.line:>7}  {message.sent_at:<19}  {message.kind:<7}{flag} "
            f"{author:<22.22}  {text}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--date-order", type=click.Choice(DATE_ORDERS, case_sensitive=False),
              help="Date order of the file when every date fits both DMY and MDY.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              show_default=True, help="table for reading, jsonl (one JSON object per message) "
                                      "for tools.")
def parse(file: Path, date_order: str | None, fmt: str) -> None:
    """Read one chat export (.txt or .zip) and print its messages; no database.

    Messages go to stdout in file order; a summary (messages, format family, date order, time
    span) goes to stderr. Exits 2 when the date order cannot be inferred or FILE is a folder,
    1 when FILE is not a readable export (one line naming the file, and the line in it).

    \b
    Example:
      retainer parse "WhatsApp Chat with Port Ops.txt" --format jsonl > messages.jsonl
    """
    if file.is_dir():  # a usage mistake (exit 2), said in one line rather than click's four
        raise UsageError("is a folder; parse reads one export file (retainer import takes "
                         "folders)", path=file)
    export = read_export(file, date_order=date_order.upper() if date_order else None)
    summary = Summary()
    out = sys.stdout
    if fmt == "table":
        out.write(f"{'LINE':>7}  {'SENT_AT':<19}  {'KIND':<8} {'AUTHOR':<22}  TEXT\n")
    for message in export.messages():
        summary.add(message)
        if fmt == "jsonl":
            out.write(json.dumps(message.as_json(), ensure_ascii=False) + "\n")
        else:
            out.write(_table_row(message) + "\n")
    out.flush()
    click.echo(summary.describe(export), err=True)
    for defect in export.defects[:10]:
        click.echo(f"  note: {defect}", err=True)
