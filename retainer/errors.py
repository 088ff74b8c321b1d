"""The RetainerError tree: every failure the library reports to its callers.

Library code raises these; only the command-line boundary (``retainer.cli``) turns them into a
one-line message and an exit status. Messages name the file and line, never message content:
chat text is sensitive and must not reach logs or terminals through an error.
"""

from __future__ import annotations

import os


class RetainerError(Exception):
    """Base class. ``exit_code`` is the status the command line exits with."""

    exit_code: int = 1

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        return where + self.message


class InputError(RetainerError):
    """An input file that cannot be read as what it claims to be."""


class AmbiguousDateOrder(InputError):
    """Every date in a file fits both day-first and month-first (DESIGN §4)."""

    exit_code = 2


class UsageError(RetainerError):
    """A command was called with options that do not make sense together."""

    exit_code = 2


class ConfigError(RetainerError):
    """The configuration file (retainer.toml) or an environment override is wrong."""

    exit_code = 2


class ArchiveError(RetainerError):
    """The archive database or vault cannot be used as asked."""
