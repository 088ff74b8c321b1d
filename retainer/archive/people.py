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
from retainer.people import Directory


def wanted_accounts(people: Iterable[Person]) -> set[tuple[str, str, bool]]:
    """(key, person, official) for every name, alias and official account, as ``Directory``
    resolves them (an official account also gets a non-official row: it can author
    messages).

    Raises:
        ConfigError: a key claimed by two people (``load_settings`` reports it with the
            file and line first; this guards people built without it).
    """
    directory = Directory(people)
    return ({(key, person, False) for key, person in directory.key_map().items()}
            | {(key, person, True) for key, person in directory.official_map().items()})


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
