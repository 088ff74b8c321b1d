"""Checking a TOML configuration: collect every problem, each naming the file, its line and
the key (``tomllib`` keeps no line numbers, so a small locator finds them in the text)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from retainer.errors import ConfigError


class At(NamedTuple):
    """Where a value sits: the label that starts its messages, and its table for the lines."""
    label: str                           # "[archive]", '[[people]] "Dana Reyes"', ...
    table: str | None                    # None: the top level
    index: int = 0                       # which [[table]] of its name


TYPES = {str: "a string", bool: "true or false", int: "an integer", list: "a list of strings"}


class Checker:
    """Collects problems, each with the file, its line and a message naming the key."""

    def __init__(self, path: str | None, tables: dict[str, tuple[str, ...]]) -> None:
        self.path = path
        self.tables = tables
        """Each table's allowed keys."""
        self.problems: list[ConfigError] = []
        self.locator = Locator("")

    def read(self, path: Path) -> dict[str, Any] | None:
        """The parsed file, or None (and one problem) when it is not UTF-8 TOML."""
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except OSError as exc:
            self.problems.append(ConfigError(f"cannot read: {exc.strerror}", path=self.path))
            return None
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            self.problems.append(ConfigError("not UTF-8 text", path=self.path, line=line))
            return None
        self.locator = Locator(text)
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r" \(at line (\d+), column (\d+)\)$", str(exc))
            message = str(exc)[:found.start()] + f" (column {found[2]})" if found else str(exc)
            line = int(found[1]) if found else len(text.splitlines()) or None
            self.problems.append(ConfigError(f"not valid TOML: {message}",
                                             path=self.path, line=line))
            return None

    def line(self, at: At, key: str | None = None, value: str | None = None) -> int | None:
        return self.locator.line(at.table, at.index, key, value) if self.path else None

    def add(self, at: At, key: str | None, message: str, value: str | None = None) -> None:
        label = " ".join(filter(None, (at.label, key)))
        self.problems.append(ConfigError(f"{label}: {message}" if label else message,
                                         path=self.path, line=self.line(at, key, value)))

    def table(self, data: dict, name: str) -> dict:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.add(At("", None), name, f"must be a table ([{name}])")
            return {}
        self.unknown_keys(value, name, At(f"[{name}]", name))
        return value

    def array(self, data: dict, name: str) -> list[dict]:
        value = data.get(name, [])
        if not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            self.add(At("", name), None, f"{name} must be an array of tables ([[{name}]])")
            return []
        return value

    def unknown_keys(self, entry: dict, table: str, at: At) -> None:
        for key in entry:
            if key not in self.tables[table]:
                self.add(at, key, f"unknown key (allowed: {', '.join(self.tables[table])})")

    def get(self, entry: dict, key: str, kind: type, at: At) -> Any:
        """``entry[key]`` when present and of type ``kind``, else None (a problem if wrong)."""
        value = entry.get(key)
        ok = (isinstance(value, list) and all(isinstance(v, str) for v in value) if kind is list
              else isinstance(value, kind) and not (kind is int and isinstance(value, bool)))
        if value is not None and not ok:
            self.add(at, key, f"must be {TYPES[kind]}")
            return None
        return value

    def required(self, entry: dict, key: str, kind: type, at: At) -> Any:
        value = self.get(entry, key, kind, at)
        if key not in entry or (isinstance(value, str) and not value.strip()):
            self.add(at, key, "required" + (" (not blank)" if key in entry else ""))
        return value

    def choice(self, entry: dict, key: str, choices, at: At, *, required=False, upper=False):
        value = (self.required if required else self.get)(entry, key, str, at)
        if value is not None and (value.upper() if upper else value) not in choices:
            self.add(at, key, f"{value!r} is not one of: {', '.join(choices)}", value=value)
            return None
        return value.upper() if upper and value else value

    def zone(self, entry: dict, key: str, at: At) -> str | None:
        name = self.get(entry, key, str, at)
        try:
            return name if name is None else ZoneInfo(name).key
        except (ZoneInfoNotFoundError, ValueError, OSError):
            self.add(at, key, f"unknown time zone {name!r} (an IANA name such as "
                     "'America/Los_Angeles')", value=name)
            return None


HEADER_RE = re.compile(r"\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?")


class Locator:
    """Line numbers in a TOML text: of a table (the Nth ``[[people]]``), a key in it, and a
    string value after that key (an alias in a multi-line array)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []     # (0-based line, table name)
        for number, line in enumerate(self.lines):
            if header := HEADER_RE.fullmatch(line):
                self.headers.append((number, re.sub(r"[\"'\s]", "", header[2])))

    def line(self, table: str | None, index: int = 0, key: str | None = None,
             value: str | None = None) -> int | None:
        """1-based line of the key (or value) in the table; of the table itself when the key
        is not found; None when neither is."""
        ends = [n for n, _ in self.headers[1:]] + [len(self.lines)]
        spans = [(n, end) for (n, name), end in zip(self.headers, ends, strict=False)
                 if name == table]
        if table is None:
            spans = [(0, self.headers[0][0] if self.headers else len(self.lines))]
        if index >= len(spans):      # not a [table]: maybe a top-level key of that name
            return self.line(None, 0, table) if table is not None and not index else None
        first, end = spans[index]
        key_re = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=" if key else r"(?!)")
        at = next((n for n in range(first, end) if key_re.match(self.lines[n])), None)
        if at is None:
            return first + 1 if table is not None else None
        quoted = (json.dumps(value, ensure_ascii=False), f"'{value}'") if value else ()
        return next((n + 1 for n in range(at, end) for q in quoted if q in self.lines[n]), at + 1)
