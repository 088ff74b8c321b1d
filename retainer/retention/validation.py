"""The checks a schedule file must pass (docs/schedules.md §7), each problem with its line.

``check(data, lines, path)`` looks at the parsed TOML of one file and returns every problem it
finds, not just the first, so that a records officer can fix a file in one pass. It builds
nothing: ``retainer.retention.schedule`` turns a file without problems into a ``Schedule``.
"""

from __future__ import annotations

import difflib
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from retainer.formats.text import search_text
from retainer.retention.toml_lines import Lines

ID_FORMAT = re.compile(r"[a-z0-9-]+")
CUTOFFS = ("none", "calendar_year", "fiscal_year")
KINDS = ("text", "media", "system", "deleted")
CHANNELS = ("device", "official")
CONDITIONS = ("words", "patterns", "chats", "roles", "kinds", "channels")
"""The rule keys that are conditions; a rule needs at least one."""

TOP_KEYS = {"id": True, "title": True, "version": True, "source": True, "categories": True,
            "default": False, "example": False}
CATEGORY_KEYS = {"code": True, "title": True, "description": False, "disposition": True,
                 "authority": True, "authority_note": False, "record": True, "cutoff": True,
                 "retention": True, "rules": False}
RULE_KEYS = {"name": True, "priority": True, **{key: False for key in CONDITIONS}}
RETENTION_KEYS = {"years": False, "days": False, "permanent": False,
                  "transfer_after_years": False}
"""Known keys at each level, mapped to whether they are required."""

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a schedule file, at a line (1-based) of that file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def word_tokens(word: str) -> list[str]:
    """A ``words`` entry as the search text would show it (emoji as names), split on spaces."""
    return search_text(word).split()


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a ``patterns`` entry as rules run it; raises ``re.error`` (also for warnings)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return re.compile(pattern, re.IGNORECASE)
        except Warning as warning:  # e.g. FutureWarning "Possible nested set"
            raise re.error(str(warning)) from None


def check(data: dict[str, Any], lines: Lines, path: Path) -> list[Problem]:
    """Every problem of one parsed schedule file, in line order (empty when it is valid)."""
    checker = _Checker(lines, path)
    checker.schedule(data)
    return sorted(checker.problems, key=lambda problem: problem.line)


def _type_name(value: object) -> str:
    for kind, name in ((bool, "a boolean"), (int, "an integer"), (float, "a float"),
                       (str, "a string"), (list, "an array"), (dict, "a table"),
                       (datetime, "a date-time"), (date, "a date"), (time, "a time")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


class _Checker:
    def __init__(self, lines: Lines, path: Path) -> None:
        self.lines = lines
        self.path = path
        self.problems: list[Problem] = []

    def error(self, where: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.path, self.lines.of(where), message))

    def keys(self, table: dict[str, Any], where: KeyPath, known: dict[str, bool],
             what: str) -> None:
        """Unknown keys (typos) and missing required keys of one table."""
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f'did you mean "{close[0]}"?' if close else "known keys: " + ", ".join(known)
                self.error(where + (key,), f'unknown key "{key}" in {what} ({hint})')
        for key, required in known.items():
            if required and key not in table:
                self.error(where, f'{what} is missing the required key "{key}"')

    def typed(self, table: dict[str, Any], key: str, where: KeyPath, kind: type,
              name: str) -> Any:
        """The value of ``key`` if it has the right type (and a string is not empty), else None."""
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.error(where + (key,), f'"{key}" must be {name}, not {_type_name(value)}')
            return None
        if kind is str and not value.strip():
            self.error(where + (key,), f'"{key}" must not be empty')
            return None
        return value

    def tables(self, table: dict[str, Any], key: str, where: KeyPath) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(where + (key,), f'"{key}" must be an array of tables ([[{key}]])')
            return []
        return value

    def schedule(self, data: dict[str, Any]) -> None:
        self.keys(data, (), TOP_KEYS, "the schedule")
        for key in ("title", "version", "source"):
            self.typed(data, key, (), str, "a string")
        self.typed(data, "example", (), bool, "true or false")
        schedule_id = self.typed(data, "id", (), str, "a string")
        if schedule_id is not None:
            if not ID_FORMAT.fullmatch(schedule_id):
                self.error(("id",), f'id "{schedule_id}" must be lowercase letters, digits and '
                           f'hyphens ([a-z0-9-]+)')
            elif schedule_id != self.path.stem:
                self.error(("id",), f'id "{schedule_id}" must equal the file name without .toml '
                           f'("{self.path.stem}")')
        categories = self.tables(data, "categories", ())
        if data.get("categories") == []:
            self.error(("categories",), "a schedule needs at least one [[categories]]")
        codes: dict[str, int] = {}
        names: dict[str, int] = {}
        for index, category in enumerate(categories):
            self.category(category, ("categories", index), codes, names)
        default = self.typed(data, "default", (), str, "a string")
        if default is not None and codes and default not in codes:
            self.error(("default",), f'default "{default}" is not the code of a category of '
                       f'this schedule')

    def category(self, category: dict[str, Any], where: KeyPath, codes: dict[str, int],
                 names: dict[str, int]) -> None:
        code = self.typed(category, "code", where, str, "a string")
        what = f'category "{code}"' if code else f"category {where[1] + 1}"
        self.keys(category, where, CATEGORY_KEYS, what)
        if code is not None:
            if code in codes:
                self.error(where + ("code",), f'duplicate category code "{code}" '
                           f"(first at line {codes[code]})")
            else:
                codes[code] = self.lines.of(where + ("code",))
        for key in ("title", "description", "disposition", "authority", "authority_note"):
            self.typed(category, key, where, str, "a string")
        record = self.typed(category, "record", where, bool, "true or false")
        cutoff = category.get("cutoff")
        if cutoff is not None and cutoff not in CUTOFFS:
            self.error(where + ("cutoff",), f'cutoff must be one of "none", "calendar_year", '
                       f'"fiscal_year", not {cutoff!r}')
        retention = self.typed(category, "retention", where, dict, "a table such as "
                               "{ years = 7 }")
        if retention is not None:
            self.retention(retention, where + ("retention",), record)
        for index, rule in enumerate(self.tables(category, "rules", where)):
            self.rule(rule, where + ("rules", index), names)

    def retention(self, retention: dict[str, Any], where: KeyPath, record: bool | None) -> None:
        self.keys(retention, where, RETENTION_KEYS, "retention")
        forms = [key for key in ("years", "days", "permanent") if key in retention]
        if len(forms) != 1:
            self.error(where, "retention must have exactly one of years, days or permanent "
                       f"(found {', '.join(forms) or 'none'})")
        for key in ("years", "days", "transfer_after_years"):
            number = self.typed(retention, key, where, int, "a whole number")
            if number is not None and number < 0:
                self.error(where + (key,), f'"{key}" must not be negative')
        permanent = self.typed(retention, "permanent", where, bool, "true")
        if permanent is False:
            self.error(where + ("permanent",), "permanent must be true (write years or days "
                       "for a temporary item)")
        if "permanent" in retention:
            if "transfer_after_years" not in retention:
                self.error(where, "a permanent item needs transfer_after_years")
            if record is False:
                self.error(where + ("permanent",), "a permanent category must have record = true")
        elif "transfer_after_years" in retention:
            self.error(where + ("transfer_after_years",),
                       "transfer_after_years is only allowed with permanent = true")

    def rule(self, rule: dict[str, Any], where: KeyPath, names: dict[str, int]) -> None:
        name = self.typed(rule, "name", where, str, "a string")
        what = f'rule "{name}"' if name else "rule"
        self.keys(rule, where, RULE_KEYS, what)
        if name is not None:
            if name in names:
                self.error(where + ("name",), f'duplicate rule name "{name}" '
                           f"(first at line {names[name]})")
            else:
                names[name] = self.lines.of(where + ("name",))
        self.typed(rule, "priority", where, int, "an integer")
        if not any(key in rule for key in CONDITIONS):
            self.error(where, f"{what} has no condition: give at least one of "
                       + ", ".join(CONDITIONS))
        for key in CONDITIONS:
            values = self.typed(rule, key, where, list, "a list of strings")
            if values is None:
                continue
            if not values:
                self.error(where + (key,), f'"{key}" must not be an empty list')
            for index, value in enumerate(values):
                self.condition(key, value, where + (key, index))

    def condition(self, key: str, value: Any, where: KeyPath) -> None:
        if not isinstance(value, str):
            self.error(where, f'each entry of "{key}" must be a string, not {_type_name(value)}')
        elif not value.strip():
            self.error(where, f'entries of "{key}" must not be empty')
        elif key == "kinds" and value not in KINDS:
            self.error(where, f'kind "{value}" is not one of {", ".join(KINDS)}')
        elif key == "channels" and value not in CHANNELS:
            self.error(where, f'channel "{value}" is not one of {", ".join(CHANNELS)}')
        elif key == "words" and not word_tokens(value):
            self.error(where, f'word "{value}" is empty once normalised')
        elif key == "patterns":
            try:
                compile_pattern(value)
            except re.error as error:
                self.error(where, f"pattern does not compile: {error}")
