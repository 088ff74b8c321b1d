"""Records-schedule commands: ``classify``, ``explain`` and ``hold``."""

from __future__ import annotations

import json

import click

from retainer.archive.audit import current_operator
from retainer.archive.models import INTEGER_MAX
from retainer.dates import parse_when
from retainer.retention import holds as hold_lib
from retainer.retention.explain import explain as explain_message
from retainer.retention.filing import file_archive
from retainer.retention.rulebook import example_warnings, rulebook_for


def warn_examples(rulebook) -> None:
    """Warn (stderr) about each example schedule in use."""
    for line in example_warnings(rulebook):
        click.echo(line, err=True)


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
@click.argument("message_id", type=click.IntRange(1, INTEGER_MAX))
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
def explain(state, message_id: int, as_json: bool) -> None:
    """Show a message, its filing, the rule that decided it and why, and its disposition.

    \b
    Example:
      retainer explain 1042
    """
    rulebook = rulebook_for(state.settings)
    warn_examples(rulebook)
    with state.archive.read() as session:
        found = explain_message(session, message_id, rulebook, state.settings.people,
                                state.settings.timezone)
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
    blocked = f" — blocked while held by {', '.join(found.holds)}" if found.holds else ""
    if not found.in_use and found.filings:
        click.echo("its filing's schedule or category is not in use now: run "
                   "`retainer classify --reclassify`")
    elif found.transfer_due_on:
        click.echo(f"permanent: due for transfer to NARA from {found.transfer_due_on}{blocked}")
    elif found.eligible_on:
        click.echo(f"eligible for disposition from {found.eligible_on}{blocked}")
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
@click.option("--chat", "chats", multiple=True, metavar="TITLE",
              help="Chat title as `retainer chats` shows it; case does not matter "
                   "(repeatable).")
@click.option("--person", "people", multiple=True, metavar="NAME",
              help="Messages by this configured person, by name or alias (repeatable).")
@click.option("--since", metavar="DATE", help="Messages sent from the start of this date "
              "(\"March 2019\": from 1 March).")
@click.option("--until", metavar="DATE", help="Messages sent until the end of this date "
              "(\"March 2019\": to the end of 31 March).")
@click.option("--query", metavar="QUERY", help="Messages matching this search query "
              "(the language of `retainer search`).")
@click.pass_obj
def hold_add(state, name, reason, chats, people, since, until, query) -> None:
    """Place a legal hold on the messages matching every criterion given (none: all),
    now and imported later.

    An unknown chat or person, or a query that does not parse, is refused (exit 2); a hold
    that covers no message yet is placed with a warning.

    \b
    Example:
      retainer hold add OIG-26-07 --reason "OIG request" --person "Dana Reyes" --since 2026-09-01
    """
    zone = state.settings.timezone
    with state.archive.begin() as session:
        placed = hold_lib.place_hold(
            session, name, reason, state.settings.people,
            operator=current_operator(state.operator), chats=chats, people=people,
            since=parse_when(since, zone=zone, option="--since") if since else None,
            until=parse_when(until, zone=zone, end_of_day=True, option="--until")
            if until else None,
            query=query)
    covers = hold_lib.describe(placed.hold.criteria)
    click.echo(f"hold {name!r} placed on {covers}: covers {placed.covered} messages now "
               "(and any imported later that match)")
    if not placed.covered:
        click.echo(f"Warning: hold {name!r} covers no message yet; check its criteria "
                   "(`retainer hold list`)", err=True)


@hold.command("list")
@click.pass_obj
def hold_list(state) -> None:
    """List holds, active and released (with who released them, when and why).

    \b
    Example:
      retainer hold list
    """
    with state.archive.read() as session:
        holds = hold_lib.list_holds(session)
    if not holds:
        click.echo("no holds")
    for h in holds:
        status = (f"released {h.released_at:%Y-%m-%d %H:%M} UTC by {h.released_by}: "
                  f"{h.release_reason}" if h.released_at else "ACTIVE")
        click.echo(f"{h.name}: {status}; placed {h.placed_at:%Y-%m-%d %H:%M} UTC by "
                   f"{h.placed_by}: {h.reason}; covers {hold_lib.describe(h.criteria)}")


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
