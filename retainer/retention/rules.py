"""The rule engine: file each message under exactly one category, and say why.

Rules of all schedules in use are pooled and tried in one fixed order — highest ``priority``
first, ties by the order of the schedules in ``use``, then by the order of the rules in their
file — and the first that matches decides (docs/schedules.md §5).

Filing is fast because everything is prepared once: each rule's ``words`` become one regular
expression and its ``patterns`` are compiled with ``re.IGNORECASE``; the rules that can apply
to a given (kind, author role, chat, channels) are listed once per combination; and each rule
has needles, substrings one of which a matching text must contain, so that most messages are
turned away by a few ``in`` tests without any regex search (``retainer.retention.needles``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retainer.errors import ConfigError
from retainer.formats.text import fold_title
from retainer.retention.needles import any_needles, pattern_needles
from retainer.retention.validation import compile_pattern, word_tokens
from retainer.search.tokens import normalise

if TYPE_CHECKING:  # schedule.py imports this module; the types are only annotations here
    from retainer.retention.schedule import Category, Rule, Schedule

__all__ = ["CompiledRule", "Filing", "MessageFacts", "RuleBook", "rule_text", "words_regex"]

DEFAULT_REASON = "no rule matched: default category"
_SHOWN_PATTERN_LENGTH = 60
"""Patterns up to this length are quoted in a filing's reason; longer ones are numbered."""
_WORD_CHAR = re.compile(r"\w")
_MAX_COMBINATIONS = 10_000
"""Bound on remembered (kind, role, chat, channels) combinations; more are recomputed."""


def rule_text(text: str) -> str:
    """What ``words`` and ``patterns`` run on for a message's ``text``: its normalised search
    text (``retainer.formats.text.search_text``, computed fast by
    ``retainer.search.tokens.normalise``), trimmed at both ends — the search text pads an
    emoji name with a space on each side, so without trimming ``'^:red_heart:$'`` could never
    match a message of only ❤️ (docs/schedules.md §4)."""
    return normalise(text).strip()


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """What rules look at in one message.

    ``search_text`` is the text rules match on (``rule_text``: the normalised search text,
    case folded, accents removed, emoji as ``:names:``, trimmed); ``chat`` the chat title;
    ``role`` the author's ``role`` from the configuration (None for no known person or no
    role); ``kind`` one of text, media, system, deleted; ``channels`` those the message was
    captured through (a frozenset of device, official). Rules assume the search text is case
    folded: build it with ``rule_text``, never from the raw text.
    """

    search_text: str
    chat: str
    role: str | None
    kind: str
    channels: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Filing:
    """The category a message is filed under, the schedule version and the rule that decided it
    (None for the default category), and ``reason``, one sentence saying why."""

    schedule_id: str
    schedule_version: str
    category_code: str
    rule: str | None
    reason: str


def words_regex(words: Sequence[str]) -> re.Pattern[str] | None:
    """One regex finding any of ``words`` as whole words in a search text, or None for none.

    Each word is normalised as the search text is (so ``"👍"`` looks for ``:thumbs_up:`` and
    ``"Aduána"`` for ``aduana``); the words of a phrase may be separated by any whitespace.
    "Whole word" means no word character (``\\w``) right before a word that starts with one,
    nor right after one that ends with one — so ``:thumbs_up:``, which starts and ends with a
    colon, is found even between other emoji names. After a match, ``lastindex - 1`` is the
    index of the word found.
    """
    alternatives = []
    for word in words:
        tokens = word_tokens(word)
        body = r"\s+".join(re.escape(token) for token in tokens)
        first, rest = re.escape(tokens[0][0]), body[len(re.escape(tokens[0][0])):]
        # Every alternative starts with its literal first character and checks the word
        # boundary just after it, so that re can skip ahead to candidate characters
        # (a leading look-behind would make it try every position: ~20x slower).
        before = r"(?<!\w.)" if _WORD_CHAR.match(tokens[0][0]) else ""
        after = r"(?!\w)" if _WORD_CHAR.match(tokens[-1][-1]) else ""
        alternatives.append(f"{first}{before}({rest}){after}")
    return re.compile("|".join(alternatives)) if alternatives else None


def _needles(words: Sequence[str]) -> frozenset[str]:
    """For each word, its longest token: a text without any of these cannot match."""
    return frozenset(max(word_tokens(word), key=len) for word in words)


def _shortest_first(needles: frozenset[str]) -> tuple[str, ...]:
    """The needles without those containing another (redundant), shortest first."""
    ordered = sorted(needles, key=lambda needle: (len(needle), needle))
    kept: list[str] = []
    for needle in ordered:
        if not any(shorter in needle for shorter in kept):
            kept.append(needle)
    return tuple(kept)


class CompiledRule:
    """One ``Rule`` ready to match: ``matches`` tests it, ``explain`` says why it matches."""

    __slots__ = (
        "_filings",
        "channels",
        "chats",
        "kinds",
        "needles",
        "patterns",
        "roles",
        "rule",
        "version",
        "words",
    )

    def __init__(self, rule: Rule, version: str) -> None:
        self.rule = rule
        self.version = version
        self.kinds = frozenset(rule.kinds) or None
        self.roles = {role.casefold(): role for role in rule.roles} or None
        self.chats = {fold_title(chat): chat for chat in rule.chats} or None
        self.channels = frozenset(rule.channels) or None
        self.words = words_regex(rule.words)
        self.patterns = tuple(compile_pattern(pattern) for pattern in rule.patterns)
        # Both conditions must hold, so either's needles will do: words' are exact.
        needles = (_needles(rule.words) if rule.words else
                   any_needles(pattern_needles(p) for p in rule.patterns) if rule.patterns
                   else None)
        self.needles = _shortest_first(needles) if needles else None
        """Substrings one of which a text must contain to match (see ``needles``); None when
        unknown or when the rule has no text condition."""
        self._filings: dict[str, Filing] = {}

    def fits(self, chat: str, role: str | None, kind: str, channels: frozenset[str]) -> bool:
        """Whether the conditions other than text hold. ``chat`` as ``fold_title`` gives it,
        ``role`` case folded."""
        return ((self.kinds is None or kind in self.kinds)
                and (self.roles is None or role in self.roles)
                and (self.chats is None or chat in self.chats)
                and (self.channels is None or not self.channels.isdisjoint(channels)))

    @property
    def reads_text(self) -> bool:
        """Whether the rule has ``words`` or ``patterns``."""
        return self.words is not None or bool(self.patterns)

    def may_match_text(self, text: str) -> bool:
        """False when ``text`` has none of the rule's ``needles`` (so cannot match)."""
        if self.needles is None:
            return True
        for needle in self.needles:
            if needle in text:
                return True
        return False

    def searches_text(self, text: str) -> bool:
        """Whether the ``words`` and ``patterns`` conditions hold (regex searches only)."""
        if self.words is not None and self.words.search(text) is None:
            return False
        if self.patterns:
            for pattern in self.patterns:
                if pattern.search(text) is not None:
                    return True
            return False
        return True

    def matches_text(self, text: str) -> bool:
        """Whether the ``words`` and ``patterns`` conditions hold for a search text."""
        return self.may_match_text(text) and self.searches_text(text)

    def matches(self, text: str, chat: str, role: str | None, kind: str,
                channels: frozenset[str]) -> bool:
        """Whether every condition holds. ``chat`` and ``role`` must be case folded."""
        return self.fits(chat, role, kind, channels) and self.matches_text(text)

    def explain(self, facts: MessageFacts) -> str | None:
        """Why the rule matches ``facts`` — which chat, role, kind, channel, word and pattern —
        as one sentence; None when it does not match. Never quotes the message text."""
        chat = fold_title(facts.chat)
        role = facts.role.casefold() if facts.role is not None else None
        if not self.matches(facts.search_text, chat, role, facts.kind, facts.channels):
            return None
        reasons = []
        if self.chats is not None:
            reasons.append(f'chat is "{self.chats[chat]}"')
        if self.roles is not None:
            reasons.append(f"author role is {self.roles[role]}")  # type: ignore[index]
        if self.kinds is not None:
            reasons.append(f"kind is {facts.kind}")
        if self.channels is not None:
            channel = next(c for c in self.rule.channels if c in facts.channels)
            reasons.append(f"captured through the {channel} channel")
        if self.words is not None:
            found = self.words.search(facts.search_text)
            assert found is not None and found.lastindex is not None  # it matched above
            reasons.append(f'text contains "{self.rule.words[found.lastindex - 1]}"')
        if self.patterns:
            index = next(i for i, p in enumerate(self.patterns) if p.search(facts.search_text))
            pattern = self.rule.patterns[index]
            if len(pattern) <= _SHOWN_PATTERN_LENGTH:
                reasons.append(f"text matches pattern '{pattern}'")
            elif len(self.patterns) == 1:
                reasons.append("text matches the rule's pattern")
            else:
                reasons.append(f"text matches pattern {index + 1} of {len(self.patterns)}")
        rule = self.rule
        return f'rule "{rule.name}" (priority {rule.priority}): ' + " and ".join(reasons)

    def filing(self, facts: MessageFacts) -> Filing:
        """The filing this rule makes for ``facts``, which it must match (one object per
        distinct reason, shared between messages)."""
        reason = self.explain(facts)
        if reason is None:
            raise ValueError(f'rule "{self.rule.name}" does not match this message')
        filing = self._filings.get(reason)
        if filing is None:
            rule = self.rule
            filing = self._filings[reason] = Filing(rule.schedule_id, self.version,
                                                    rule.category, rule.name, reason)
        return filing


_Key = tuple[str, "str | None", str, frozenset[str]]


class _Plan:
    """The rules that can file messages of one (kind, role, chat, channels), in order: those
    with a text condition (each with its needles), then the first without one, which matches
    every such message and so ends the list (``last``, with its filing once made)."""

    __slots__ = ("last", "last_filing", "reads_text", "text_rules")

    def __init__(self, rules: list[CompiledRule]) -> None:
        text_rules = []
        self.last: CompiledRule | None = None
        for rule in rules:
            if not rule.reads_text:
                self.last = rule
                break
            text_rules.append((rule, rule.needles))
        self.text_rules = tuple(text_rules)
        self.reads_text = bool(text_rules)
        """Whether filing these messages needs their search text at all."""
        self.last_filing: Filing | None = None


class RuleBook:
    """The schedules in use, their rules pooled: highest priority wins; ties → order of
    schedules in ``use``, then order in the file. Messages no rule files go to the default
    category of the first schedule in ``use`` that has one."""

    def __init__(self, schedules: Sequence[Schedule]) -> None:
        """Raises ``ConfigError`` for a schedule id given twice or no default category."""
        self.schedules = tuple(schedules)
        ids = [schedule.id for schedule in self.schedules]
        if len(set(ids)) != len(ids):
            raise ConfigError(f"schedule ids must be unique among the schedules in use: {ids}")
        with_default = [schedule for schedule in self.schedules if schedule.default]
        if not with_default:
            raise ConfigError("none of the schedules in use has a default category: "
                              f"{', '.join(ids) or 'none in use'}")
        first = self._default_schedule = with_default[0]
        self._default_code: str = first.default  # type: ignore[assignment]  # checked above
        self._default_filing = Filing(first.id, first.version, self._default_code, None,
                                      DEFAULT_REASON)
        ranked = sorted(((-rule.priority, position, rule.order, rule, schedule.version)
                         for position, schedule in enumerate(self.schedules)
                         for rule in schedule.rules), key=lambda item: item[:3])
        self.rules: tuple[CompiledRule, ...] = tuple(
            CompiledRule(rule, version) for *_, rule, version in ranked)
        """The rules in the order they are tried."""
        self.channels = frozenset(c for rule in self.rules for c in rule.rule.channels)
        """The channels some rule's ``channels`` condition names (empty: no rule looks at
        where a message was captured)."""
        self._plans: dict[_Key, _Plan] = {}

    @property
    def examples(self) -> tuple[Schedule, ...]:
        """Schedules in use that are marked ``example = true`` (callers should warn)."""
        return tuple(schedule for schedule in self.schedules if schedule.example)

    def default(self) -> Category:
        """The default category: that of the first schedule in ``use`` with one."""
        return self._default_schedule.category(self._default_code)

    def category(self, schedule_id: str, code: str) -> Category:
        """A category by schedule id and code; raises ``UnknownCategory`` (a ``ConfigError``
        and a ``KeyError``) for an unknown code, ``ConfigError`` for a schedule not in use."""
        for schedule in self.schedules:
            if schedule.id == schedule_id:
                return schedule.category(code)
        raise ConfigError(f'schedule "{schedule_id}" is not in use')

    def matching(self, message: MessageFacts) -> list[str]:
        """Why each rule that matches ``message`` does, in the order rules are tried: the
        first decides the filing. For "why is this message filed here, and not there?"."""
        reasons = (rule.explain(message) for rule in self.rules)
        return [reason for reason in reasons if reason is not None]

    def reads_text(self, kind: str, role: str | None, chat: str,
                   channels: frozenset[str] = frozenset()) -> bool:
        """Whether filing a message of this kind, author role, chat and channels looks at its
        text; when it does not, ``file`` may be given an empty search text (filing skips
        normalising texts nobody reads)."""
        return self._plan((kind, role, chat, channels)).reads_text

    def file(self, message: MessageFacts) -> Filing:
        """Exactly one filing for ``message``: the first matching rule's, else the default."""
        plan = self._plan((message.kind, message.role, message.chat, message.channels))
        text = message.search_text
        for rule, needles in plan.text_rules:
            if needles is not None:  # inlined may_match_text: most messages stop here
                for needle in needles:
                    if needle in text:
                        break
                else:
                    continue
            if rule.searches_text(text):
                return rule.filing(message)
        if plan.last is not None:
            # Its reason depends only on the plan's key (no text condition): made once.
            if plan.last_filing is None:
                plan.last_filing = plan.last.filing(message)
            return plan.last_filing
        return self._default_filing

    def _plan(self, key: _Key) -> _Plan:
        """The rules, in order, whose conditions other than text hold for messages of this
        kind, author role, chat and channels (``_Plan``). Remembered, as there are few such
        combinations."""
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        kind, role, chat, channels = key
        folded_role = role.casefold() if role is not None else None
        plan = _Plan([rule for rule in self.rules
                      if rule.fits(fold_title(chat), folded_role, kind, channels)])
        if len(self._plans) >= _MAX_COMBINATIONS:
            self._plans.clear()
        self._plans[key] = plan
        return plan
