"""Records-schedule commands: ``classify``, ``explain`` and ``hold``."""

from __future__ import annotations

import json

import click

from retainer.archive.audit import current_operator
from retainer.dates import parse_when
from retainer.retention import holds as hold_lib
from retainer.retention.explain import explain as explain_message
from retainer.retention.filing import file_archive, rulebook_for


def warn_examples(rulebook) -> None:
    for schedule in rulebook.examples:
        click.echo(f"Warning: schedule {schedule.id!r} is an example, not an approved "
                   "schedule; copy and adapt it before relying on it", err=True)


@click.command()
@click.option("--reclassify", is_flag=True, help="Re-file every message after a schedule "
              "change; earlier filings stay as history.")
@click.pass_obj
def classify(state, reclassify: bool) -> None:
    """File unfiled messages under the schedules in use (imports do this by themselves).

    \b
    Example:
      retainer classify --reclassify
    """
    rulebook = rulebook_for(state.settings)
    warn_examples(rulebook)
    counts = file_archive(state.archive, state.settings, operator=state.operator,
                          reclassify=reclassify, rulebook=rulebook)
    click.echo(f"classify: {counts.examined} messages examined, {counts.filed} filings added, "
               f"{counts.unchanged} unchanged")


@click.command()
@click.argument("message_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
def explain(state, message_id: int, as_json: bool) -> None:
    """Show a message, its filing, the rule that decided it and why, and its disposition.

    \b
    Example:
      retainer explain 1042
    """
    rulebook = rulebook_for(state.settings)
    with state.archive.read() as session:
        found = explain_message(session, message_id, rulebook, state.settings.people)
    state.log("explain", {"message": message_id})
    if as_json:
        import dataclasses

        click.echo(json.dumps(dataclasses.asdict(found), default=str, ensure_ascii=False))
        return
    who = found.author or "(notice)"
    if found.person and found.person != found.author:
        who += f" = {found.person}"
    click.echo(f"message {found.message_id} in {found.chat!r}, {found.sent_at_local} "
               f"({found.timezone}), {who}, {found.kind}, captured via "
               f"{', '.join(found.channels) or 'nothing'}")
    click.echo(f"  {found.text}")
    if found.filings:
        current = found.filings[-1]
        click.echo(f"filed under {current['schedule']}@{current['version']} "
                   f"{current['category']}: {current['reason']}")
        for old in found.filings[:-1]:
            click.echo(f"  earlier: {old['schedule']}@{old['version']} {old['category']} "
                       f"({old['filed_at']})")
    else:
        click.echo("not filed yet (run `retainer classify`)")
    now = found.would_file_now
    click.echo(f"today's schedules would file it under {now['schedule']}@{now['version']} "
               f"{now['category']}")
    for reason in found.matching_rules:
        click.echo(f"  matches {reason}")
    if found.transfer_due_on:
        click.echo(f"permanent: due for transfer to NARA from {found.transfer_due_on}")
    elif found.eligible_on:
        click.echo(f"eligible for disposition from {found.eligible_on}")
    click.echo(f"holds: {', '.join(found.holds) or 'none'}")


@click.group()
def hold() -> None:
    """Place, list and release legal holds (a held message is never eligible for disposal).

    \b
    Example:
      retainer hold add OIG-2026-07 --reason "OIG request" --chat "Liaison Bridge Crossing"
    """


@hold.command("add")
@click.argument("name")
@click.option("--reason", required=True, help="Why (the request or matter).")
@click.option("--chat", "chats", multiple=True, metavar="TITLE", help="Chat title (repeatable).")
@click.option("--person", "people", multiple=True, metavar="NAME",
              help="Messages by this person (repeatable).")
@click.option("--since", metavar="DATE", help="Messages sent from this date.")
@click.option("--until", metavar="DATE", help="Messages sent until this date (inclusive).")
@click.option("--query", metavar="QUERY", help="Messages matching this search query.")
@click.pass_obj
def hold_add(state, name, reason, chats, people, since, until, query) -> None:
    """Place a legal hold on the messages matching every criterion given (none: all).

    \b
    Example:
      retainer hold add OIG-26-07 --reason "OIG request" --person "Dana Reyes" --since 2026-09-01
    """
    zone = state.settings.timezone
    covers = hold_lib.criteria(
        chats=list(chats), people=list(people),
        since=parse_when(since, zone=zone) if since else None,
        until=parse_when(until, zone=zone, end_of_day=True) if until else None, query=query)
    with state.archive.begin() as session:
        placed = hold_lib.place(session, name, reason, covers, current_operator(state.operator))
        from sqlalchemy import func, select

        from retainer.archive.models import Message

        count = session.scalar(select(func.count()).select_from(Message)
                               .where(hold_lib.covered_by(placed)))
    click.echo(f"hold {name!r} placed: covers {count} messages now (and any imported later "
               "that match)")


@hold.command("list")
@click.pass_obj
def hold_list(state) -> None:
    """List holds, active and released.

    \b
    Example:
      retainer hold list
    """
    from sqlalchemy import select

    from retainer.archive.models import Hold

    with state.archive.read() as session:
        holds = list(session.scalars(select(Hold).order_by(Hold.id)))
    if not holds:
        click.echo("no holds")
    for h in holds:
        state_text = (f"released {h.released_at:%Y-%m-%d} by {h.released_by}: {h.release_reason}"
                      if h.released_at else "ACTIVE")
        covers = ", ".join(f"{k}={v}" for k, v in h.criteria.items() if v) or "everything"
        click.echo(f"{h.name}: {state_text}; placed {h.placed_at:%Y-%m-%d} by {h.placed_by}: "
                   f"{h.reason}; covers {covers}")


@hold.command("release")
@click.argument("name")
@click.option("--reason", required=True, help="Why the hold ends.")
@click.pass_obj
def hold_release(state, name, reason) -> None:
    """Release an active hold; it stays on record.

    \b
    Example:
      retainer hold release OIG-2026-07 --reason "matter closed"
    """
    with state.archive.begin() as session:
        hold_lib.release(session, name, reason, current_operator(state.operator))
    click.echo(f"hold {name!r} released")
