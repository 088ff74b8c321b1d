"""The ``report destruction`` command: possible unauthorised destruction of records
(36 C.F.R. part 1230) for the records officer, with a draft of the report to NARA."""

from __future__ import annotations

import json

import click

from retainer.reports.destruction import build_destruction, render_destruction_text


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True,
              help="text for a terminal, markdown for an e-mail, json for other tools.")
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file "
              "(readable by its owner only) instead of stdout.")
@click.pass_obj
def destruction(state, fmt: str, output: str | None) -> None:
    """Possible unauthorised destruction of records, per custodian (36 C.F.R. part 1230).

    Lists deleted messages whose content was never captured, messages deleted or missing in
    later exports (their content is kept), and chats where disappearing messages were turned
    on, under each custodian whose exports show them; then drafts the report to NARA that
    36 C.F.R. § 1230.14 asks for, with [RECORDS OFFICER: ...] marks where the archive cannot
    know the answer. "You" in an export is the custodian whose device exported it.

    \b
    Example:
      retainer report destruction
      retainer report destruction --format markdown --output destruction.md
    """
    with state.archive.read() as session:
        result = build_destruction(session, state.settings)
    if fmt == "json":
        text = json.dumps(result.as_json(), ensure_ascii=False, indent=1)
    else:
        text = render_destruction_text(result, markdown=fmt == "markdown")
    from retainer.cli.reports import _emit

    state.log("report", {"report": "destruction", "format": fmt})
    _emit(text, output)
