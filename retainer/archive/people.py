"""People's accounts in the archive: the configuration's aliases and official accounts,
written into ``person_accounts`` so that SQL can resolve authors and recipients.

Derived data, rewritten whenever the configuration changes: an alias added later resolves
messages imported before, without re-importing them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from retainer.archive.models import PersonAccount
from retainer.config import Person
from retainer.people import account_key


def wanted_accounts(people: Iterable[Person]) -> set[tuple[str, str, bool]]:
    """(key, person, official) for every alias and official account."""
    rows = set()
    for person in people:
        for alias in (*person.aliases, person.name):
            if key := account_key(alias):
                rows.add((key, person.name, False))
        for account in person.official_accounts:
            if key := account_key(account):
                rows.add((key, person.name, True))
                rows.add((key, person.name, False))  # an official ID can also author messages
    return rows


def sync_people(session: Session, people: Iterable[Person]) -> bool:
    """Make ``person_accounts`` match the configuration; True if it changed."""
    wanted = wanted_accounts(people)
    have = set(tuple(row) for row in session.execute(select(PersonAccount.key, PersonAccount.person,
                                      PersonAccount.official)).all())
    if have == wanted:
        return False
    session.execute(delete(PersonAccount))
    session.add_all(PersonAccount(key=k, person=p, official=o) for k, p, o in sorted(wanted))
    session.flush()
    return True
