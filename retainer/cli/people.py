"""The ``people`` command: configured people and the author names nobody claims."""

from __future__ import annotations

import dataclasses
import json

import click

from retainer.roster import people_summary


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of a table.")
@click.pass_obj
def people(state, as_json: bool) -> None:
    """List people with their accounts and message counts, then unresolved author names.

    Unresolved names (most frequent first) are authors no alias claims yet: add them to a
    person's aliases in the configuration and they resolve everywhere, imports included.

    \b
    Example:
      retainer --config /etc/retainer/retainer.toml people
    """
    with state.archive.read() as session:
        known, unknown = people_summary(session, state.settings.people)
    if as_json:
        click.echo(json.dumps({"people": [dataclasses.asdict(p) for p in known],
                               "unresolved": [dataclasses.asdict(u) for u in unknown]},
                              ensure_ascii=False))
        return
    click.echo(f"{'PERSON':<24} {'CUSTODIAN':<9} {'MESSAGES':>8} {'CHATS':>5}  ACCOUNTS")
    for p in known:
        accounts = ", ".join(p.aliases) or "—"
        official = ", ".join(p.official_accounts)
        click.echo(f"{p.name[:24]:<24} {'yes' if p.custodian else 'no':<9} {p.messages:>8} "
                   f"{p.chats:>5}  {accounts}" + (f"; official: {official}" if official else ""))
    click.echo("")
    if not unknown:
        click.echo("Every author resolves to a person.")
        return
    click.echo(f"Unresolved authors ({len(unknown)}), most frequent first:")
    for u in unknown:
        click.echo(f"  {u.messages:>8} messages in {u.chats} chat(s)  {u.author}")
