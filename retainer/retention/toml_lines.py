"""Line numbers for the keys and values of a TOML document, which ``tomllib`` does not give.

``key_lines(text)`` maps each key path, shaped like the parsed data (``("categories", 2,
"rules", 0, "priority")``), to the line it is written on; array elements get their own
entries (``(..., "kinds", 1)``) and so do tables (``("categories", 2)`` → its ``[[categories]]``
header). ``Lines.of(path)`` falls back to the nearest enclosing entry, so a missing key is
reported at its table's header. Only run this on text ``tomllib`` has accepted: it assumes a
valid document and never raises.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Sequence

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}#\n]")
_TOML_ERROR_LINE = re.compile(r"at line (\d+)")


class Lines:
    """Where each key path of one TOML document is written (1-based line numbers)."""

    def __init__(self, found: dict[Path, int], last_line: int) -> None:
        self._found = found
        self.last_line = last_line
        """The number of the document's last line (for "at end of document" errors)."""

    def of(self, path: Sequence[str | int]) -> int:
        """The line of ``path``, else of its nearest enclosing key or table, else 1."""
        path = tuple(path)
        while path:
            line = self._found.get(path)
            if line is not None:
                return line
            path = path[:-1]
        return 1

    def __contains__(self, path: object) -> bool:
        return path in self._found


def key_lines(text: str) -> Lines:
    """Locate every key, table and array element of ``text`` (a valid TOML document)."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except (IndexError, ValueError):  # never reached on valid TOML; keep what was found
        pass
    return Lines(scanner.found, text.count("\n") + 1)


def syntax_error_line(message: str, text: str) -> int:
    """The line a ``tomllib.TOMLDecodeError`` message points at (the last line at end of file)."""
    match = _TOML_ERROR_LINE.search(message)
    return int(match.group(1)) if match else text.count("\n") + 1


class _Scanner:
    """A recursive-descent walk over valid TOML that records where things are, not values."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.found: dict[Path, int] = {}
        self.tables: dict[Path, int] = {}   # array-of-tables path → index of its last table
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int | None = None) -> int:
        return bisect.bisect_left(self._newlines, self.i if offset is None else offset) + 1

    def note(self, path: Path, *, replace: bool = True) -> None:
        if replace or path not in self.found:
            self.found[path] = self.line()

    def document(self) -> None:
        prefix: Path = ()
        while True:
            self.skip(newlines=True)
            if self.i >= len(self.s):
                return
            start = self.i
            if self.s[self.i] == "[":
                prefix = self.header()
            else:
                self.key_value(prefix)
            if self.i == start:  # no progress: cannot happen on valid TOML
                self.i += 1

    def header(self) -> Path:
        array = self.s.startswith("[[", self.i)
        self.i += 2 if array else 1
        self.skip()
        keys = self.key()
        self.i = self.s.index("]", self.i) + (2 if array else 1)
        if not array:
            path = self.resolve(keys)
            self.note(path)
            return path
        path = self.resolve(keys[:-1]) + (keys[-1],)
        index = self.tables.get(path, -1) + 1
        self.tables[path] = index
        self.note(path, replace=False)
        self.note(path + (index,))
        return path + (index,)

    def resolve(self, keys: Sequence[str]) -> Path:
        """A header's keys as a data path: an array of tables means its last table."""
        path: Path = ()
        for key in keys:
            path += (key,)
            if path in self.tables:
                path += (self.tables[path],)
        return path

    def key_value(self, prefix: Path) -> None:
        keys = self.key()
        for depth in range(1, len(keys)):
            self.note(prefix + tuple(keys[:depth]), replace=False)
        path = prefix + tuple(keys)
        self.note(path)
        self.skip()
        self.i += 1  # "="
        self.skip()
        self.value(path)

    def key(self) -> list[str]:
        keys = []
        while True:
            char = self.s[self.i]
            if char == '"':
                end = self.basic_string_end(self.i + 1)
                keys.append(tomllib.loads("k = " + self.s[self.i:end])["k"])  # unescape
                self.i = end
            elif char == "'":
                end = self.s.index("'", self.i + 1)
                keys.append(self.s[self.i + 1:end])
                self.i = end + 1
            else:
                match = _BARE_KEY.match(self.s, self.i)
                if match is None:
                    raise ValueError("not a key")
                keys.append(match.group())
                self.i = match.end()
            self.skip()
            if self.s.startswith(".", self.i):
                self.i += 1
                self.skip()
                continue
            return keys

    def value(self, path: Path) -> None:
        s = self.s
        char = s[self.i]
        if s.startswith('"""', self.i) or s.startswith("'''", self.i):
            self.multiline_string(s[self.i:self.i + 3])
        elif char == '"':
            self.i = self.basic_string_end(self.i + 1)
        elif char == "'":
            self.i = s.index("'", self.i + 1) + 1
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            match = _SCALAR_END.search(s, self.i)
            self.i = match.start() if match else len(s)

    def basic_string_end(self, j: int) -> int:
        """The offset just past the closing quote of a basic string whose text starts at ``j``."""
        s = self.s
        while s[j] != '"':
            j += 2 if s[j] == "\\" else 1
        return j + 1

    def multiline_string(self, quotes: str) -> None:
        s = self.s
        j = self.i + 3
        while not s.startswith(quotes, j):
            j += 2 if quotes == '"""' and s[j] == "\\" else 1
        j += 3
        for _ in range(2):  # up to two more quotes belong to the text: """a "quote"""""
            if j < len(s) and s[j] == quotes[0]:
                j += 1
        self.i = j

    def array(self, path: Path) -> None:
        self.i += 1
        index = 0
        while True:
            self.skip(newlines=True)
            if self.s[self.i] == "]":
                self.i += 1
                return
            self.note(path + (index,))
            self.value(path + (index,))
            self.skip(newlines=True)
            if self.s[self.i] == ",":
                self.i += 1
                index += 1

    def inline_table(self, path: Path) -> None:
        self.i += 1
        while True:
            self.skip()
            if self.s[self.i] == "}":
                self.i += 1
                return
            self.key_value(path)
            self.skip()
            if self.s[self.i] == ",":
                self.i += 1

    def skip(self, *, newlines: bool = False) -> None:
        """Skip spaces and tabs; with ``newlines``, also line breaks and comments."""
        s, n = self.s, len(self.s)
        while self.i < n:
            char = s[self.i]
            if char in " \t" or newlines and char in "\r\n":
                self.i += 1
            elif newlines and char == "#":
                end = s.find("\n", self.i)
                self.i = n if end < 0 else end
            else:
                return
