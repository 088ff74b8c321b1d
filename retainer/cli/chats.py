"""The ``chats`` command: list chats with counts, time span and flags."""

from __future__ import annotations

import json

import click

from retainer.chats import list_chats


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per chat.")
@click.pass_obj
def chats(state, as_json: bool) -> None:
    """List the archived chats: messages, first and last message, exports, and flags.

    Flags point at possible destruction of records: deleted messages, messages missing from
    later exports, disappearing messages turned on.

    \b
    Example:
      retainer chats --json
    """
    with state.archive.read() as session:
        summaries = list_chats(session)
    if as_json:
        for summary in summaries:
            click.echo(json.dumps(summary.as_json(), default=str, ensure_ascii=False))
        return
    click.echo(f"{'CHAT':<32} {'MESSAGES':>8}  {'FIRST (UTC)':<16}  {'LAST (UTC)':<16}  "
               f"{'EXPORTS':>7}  FLAGS")
    for s in summaries:
        first = s.first.strftime("%Y-%m-%d %H:%M") if s.first else "—"
        last = s.last.strftime("%Y-%m-%d %H:%M") if s.last else "—"
        click.echo(f"{s.title[:32]:<32} {s.messages:>8}  {first:<16}  {last:<16}  "
                   f"{s.exports:>7}  {'; '.join(s.flags) or '—'}")
