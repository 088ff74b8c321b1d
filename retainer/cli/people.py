"""The ``people`` command: configured people, the author names nobody claims, and the mails
that reached no official account."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import click

from retainer.roster import people_summary, unofficial_mails


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of a table.")
@click.pass_obj
def people(state, as_json: bool) -> None:
    """List people with their accounts and message counts, then unresolved author names, then
    the mails that reached no official account.

    Unresolved names (most frequent first) are authors no alias claims yet: add them to a
    person's aliases in the configuration and they resolve everywhere, imports included.
    Mails that reached no official account of a custodian prove no forward (44 U.S.C.
    § 2911(a)(2)); if one of their addresses is official, add it to official_accounts.
    Only headers are shown, never a mail's text.

    \b
    Example:
      retainer --config /etc/retainer/retainer.toml people
    """
    with state.archive.read() as session:
        known, unknown = people_summary(session, state.settings.people)
        mails = unofficial_mails(session, state.settings.people)
    if as_json:
        click.echo(json.dumps({"people": [dataclasses.asdict(p) for p in known],
                               "unresolved": [dataclasses.asdict(u) for u in unknown],
                               "unofficial_mails": [dataclasses.asdict(m) for m in mails]},
                              ensure_ascii=False, default=_instant))
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
    else:
        click.echo(f"Unresolved authors ({len(unknown)}), most frequent first:")
        for u in unknown:
            click.echo(f"  {u.messages:>8} messages in {u.chats} chat(s)  {u.author}")
    click.echo("")
    if not mails:
        click.echo("Every archived mail reached an official account of a custodian.")
        return
    click.echo(f"Mails that reached no official account ({len(mails)}); they prove no "
               "forward:")
    for m in mails:
        date = _instant(m.date) if m.date else "no readable Date"
        addressed = "; ".join(f"{label}: {', '.join(found)}" for label, found in (
            ("To", m.to), ("Cc", m.cc), ("Delivered-To", m.delivered_to)) if found)
        click.echo(f"  {m.source}  {m.message_id or '(no Message-ID)'}  {date}  "
                   f"{addressed or '(no recipient)'}")


def _instant(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    raise TypeError(type(value).__name__)
