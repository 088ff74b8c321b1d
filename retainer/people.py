"""Resolving author strings from exports to the people of the configuration (DESIGN §2).

An export names its authors by display name or phone number, differently on every phone.
``account_key`` reduces such a string to a canonical key; a ``Directory`` maps the keys of
every person's aliases and official accounts to that person. Nothing here is stored at import
time: the archive keeps author strings as exported and joins on ``Directory.key_map()``, so
an alias added to the configuration later also resolves messages imported before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from retainer.errors import ConfigError
from retainer.formats.text import normalise_header

if TYPE_CHECKING:
    from retainer.config import Person

PHONE_PREFIX = "tel:"
"""Keys of phone numbers start with this, followed by the digits only."""
PHONE_MIN_DIGITS = 7
"""Fewer digits than this is a name made of digits, not a phone number."""

# After normalise_header, U+00A0/U+202F/U+2009 are spaces and U+2011 is "-". \d is any
# decimal digit, so numbers written in Arabic-Indic digits agree with their ASCII spelling.
_PHONE_RE = re.compile(r"[\d\s+().\-]+")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NOT_IN_CONTACTS_RE = re.compile(r"~\s+")


def account_key(account: str) -> str:
    """The canonical key of an author string, an alias or an official account.

    - The string is first normalised as the readers normalise authors
      (``retainer.formats.text.normalise_header``: invisible marks dropped, U+00A0, U+202F and
      U+2009 made spaces, U+2011 made ``-``, trimmed) and put in Unicode NFC form, and a
      leading ``"~ "`` (WhatsApp's mark for an author not in the exporting phone's contacts)
      is dropped.
    - A phone number (only digits, spaces and ``+ ( ) - .``, with at least
      ``PHONE_MIN_DIGITS`` digits) becomes ``"tel:"`` + its digits: ``+1 (619) 555-0142`` and
      ``+16195550142`` both give ``tel:16195550142``.
    - An e-mail address is lowercased.
    - Anything else is kept exactly (case-sensitive) after the normalisation above.

    An empty or blank string gives ``""``.
    """
    text = normalise_header(account)
    if not text.isascii():
        # An alias typed on one system and a name exported by a phone may differ in form only.
        text = unicodedata.normalize("NFC", text)
    if not_in_contacts := _NOT_IN_CONTACTS_RE.match(text):
        text = text[not_in_contacts.end():]
    if _PHONE_RE.fullmatch(text):
        digits = "".join(str(int(c)) for c in text if c.isdecimal())
        if len(digits) >= PHONE_MIN_DIGITS:
            return PHONE_PREFIX + digits
    if _EMAIL_RE.fullmatch(text):
        return text.lower()
    return text


class Directory:
    """People from the configuration, indexed for resolution.

    Every person's name, aliases and official accounts are indexed by their
    ``account_key``: an export may show a person under the very name the configuration gives
    them. The configuration loader rejects a key claimed by two people; a ``Directory`` built
    from people that were not checked raises ``ConfigError`` for the same reason, since
    resolving such an author to either person would be a guess. ``sync_people`` writes the
    archive's ``person_accounts`` from a ``Directory``, so SQL resolves exactly as ``resolve``.
    """

    def __init__(self, people: Iterable[Person]) -> None:
        self._people: tuple[Person, ...] = tuple(people)
        self._by_key: dict[str, Person] = {}
        """Key of an alias or official account → its person."""
        self._official: dict[str, Person] = {}
        """Key of an official account → its person."""
        for person in self._people:
            for account in (person.name, *person.aliases, *person.official_accounts):
                key = account_key(account)
                if not key:
                    continue
                owner = self._by_key.setdefault(key, person)
                if owner.name != person.name:
                    raise ConfigError(f"account {account!r} is claimed by both "
                                      f"{owner.name!r} and {person.name!r}")
            for account in person.official_accounts:
                if key := account_key(account):
                    self._official[key] = person

    def resolve(self, author: str | None) -> Person | None:
        """The person an export's author string (an alias or official account) belongs to;
        None for a system notice (no author) or an author nobody claims."""
        if author is None:
            return None
        return self._by_key.get(account_key(author))

    def is_official(self, person: Person, account: str) -> bool:
        """Whether ``account`` is one of ``person``'s official accounts (compared by key)."""
        owner = self._official.get(account_key(account))
        return owner is not None and owner.name == person.name

    def owner_of_official(self, account: str) -> Person | None:
        """Whose official account ``account`` (an e-mail address or messaging ID) is; None
        when it is nobody's official account."""
        return self._official.get(account_key(account))

    def custodians(self) -> tuple[Person, ...]:
        """The custodians (people subject to 44 U.S.C. § 2911), in configuration order."""
        return tuple(p for p in self._people if p.custodian)

    def key_map(self) -> dict[str, str]:
        """``account_key`` → person name, for every name, alias and official account (an
        official account can also author messages); the archive writes it into a table so
        that SQL can join author strings to people."""
        return {key: person.name for key, person in self._by_key.items()}

    def official_map(self) -> dict[str, str]:
        """``account_key`` → person name, for every official account."""
        return {key: person.name for key, person in self._official.items()}
