"""Records schedules as data: find ``schedules/*.toml``, check them, and load them.

The file format, the checks and the search order are those of docs/schedules.md (§2-4, §7,
§8). A schedule that fails any check is never used: ``load_schedule`` raises
``ScheduleProblems`` listing every problem of the file with its line.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retainer.errors import ConfigError
from retainer.retention.rules import Filing, MessageFacts, RuleBook
from retainer.retention.toml_lines import key_lines, syntax_error_line
from retainer.retention.validation import Problem, check

__all__ = [
    "Category",
    "Filing",
    "MessageFacts",
    "Problem",
    "Retention",
    "Rule",
    "RuleBook",
    "Schedule",
    "ScheduleProblems",
    "UnknownCategory",
    "find_schedules",
    "load_schedule",
    "load_schedules",
    "search_folders",
]

DATA_FOLDER = Path("share", "retainer", "schedules")
"""Where ``setup.cfg`` installs the shipped schedules, under an installation prefix."""
SOURCE_FOLDER = Path(__file__).resolve().parents[2] / "schedules"
"""The repository's ``schedules/`` folder, used when running from a source checkout."""


@dataclass(frozen=True)
class Retention:
    """Exactly one form is set: ``years``, ``days``, or ``permanent`` (with a transfer period)."""

    years: int | None = None
    days: int | None = None
    permanent: bool = False
    transfer_after_years: int | None = None


@dataclass(frozen=True)
class Category:
    """One item of a schedule: where a message is filed, and how long it is kept."""

    code: str
    title: str
    description: str | None
    disposition: str
    authority: str
    authority_note: str | None
    record: bool
    cutoff: str
    retention: Retention
    schedule_id: str


@dataclass(frozen=True)
class Rule:
    """A rule filing messages into ``category`` (a code of the same schedule). Empty tuples are
    conditions not given; ``order`` is the rule's position in its file (0 = first written)."""

    schedule_id: str
    name: str
    category: str
    priority: int
    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    chats: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    order: int = 0


@dataclass(frozen=True)
class Schedule:
    """One schedule file, checked. ``path`` is the file it was loaded from."""

    id: str
    title: str
    version: str
    source: str
    default: str | None
    example: bool
    categories: tuple[Category, ...]
    rules: tuple[Rule, ...]
    path: Path

    def category(self, code: str) -> Category:
        """The category with this code; raises ``UnknownCategory``."""
        for category in self.categories:
            if category.code == code:
                return category
        raise UnknownCategory(f'schedule "{self.id}" has no category "{code}"', path=self.path)


class UnknownCategory(ConfigError, KeyError):
    """A category code that the schedule does not have."""


class ScheduleProblems(ConfigError):
    """A schedule file failed its checks. ``problems`` lists every one, in line order; the
    error itself names the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        more = len(self.problems) - 1
        message = first.message + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
        super().__init__(message, path=first.path, line=first.line)


def load_schedule(path: str | os.PathLike[str]) -> Schedule:
    """Read and check one schedule file.

    Raises ``ScheduleProblems`` with every problem found (invalid UTF-8 or TOML: that one
    problem), or ``ConfigError`` when the file cannot be read.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read schedule: {error.strerror}", path=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise ScheduleProblems([Problem(path, line, "not UTF-8 text")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        what = str(error).split(" (at ")[0]
        problem = Problem(path, syntax_error_line(str(error), text), f"not valid TOML: {what}")
        raise ScheduleProblems([problem]) from None
    problems = check(data, key_lines(text), path)
    if problems:
        raise ScheduleProblems(problems)
    return _build(data, path)


def _build(data: dict[str, Any], path: Path) -> Schedule:
    schedule_id = data["id"]
    categories: list[Category] = []
    rules: list[Rule] = []
    for table in data["categories"]:
        retention = table["retention"]
        categories.append(Category(
            code=table["code"], title=table["title"], description=table.get("description"),
            disposition=table["disposition"], authority=table["authority"],
            authority_note=table.get("authority_note"), record=table["record"],
            cutoff=table["cutoff"], schedule_id=schedule_id,
            retention=Retention(years=retention.get("years"), days=retention.get("days"),
                                permanent=retention.get("permanent", False),
                                transfer_after_years=retention.get("transfer_after_years"))))
        for rule in table.get("rules", []):
            rules.append(Rule(
                schedule_id=schedule_id, name=rule["name"], category=table["code"],
                priority=rule["priority"], order=len(rules),
                **{key: tuple(rule.get(key, ())) for key in
                   ("words", "patterns", "chats", "roles", "kinds", "channels")}))
    return Schedule(id=schedule_id, title=data["title"], version=data["version"],
                    source=data["source"], default=data.get("default"),
                    example=data.get("example", False), categories=tuple(categories),
                    rules=tuple(rules), path=path)


def installed_folders() -> list[Path]:
    """The data folders a package install puts ``share/retainer/schedules`` under."""
    prefixes = [sysconfig.get_path("data"), sys.prefix]
    try:
        prefixes.append(sysconfig.get_path("data", sysconfig.get_preferred_scheme("user")))
    except KeyError:  # no user scheme on this platform
        pass
    return list(dict.fromkeys(Path(prefix) / DATA_FOLDER for prefix in prefixes))


def search_folders(paths: Sequence[str | os.PathLike[str]] = (), config_dir: Path | None = None,
                   cwd: Path | None = None) -> list[Path]:
    """The files and folders schedules are looked for in, in order (docs/schedules.md §8).

    ``paths`` are those named in the configuration (relative ones are taken relative to
    ``config_dir``), then ``<config_dir>/schedules``, ``<cwd>/schedules`` (``cwd`` defaults to
    the current directory), the installed data folders, and a source checkout's ``schedules/``.
    """
    base = Path(config_dir) if config_dir is not None else Path()
    places = [base / path for path in paths]  # an absolute path stays as it is
    if config_dir is not None:
        places.append(Path(config_dir) / "schedules")
    places.append(Path(cwd if cwd is not None else Path.cwd()) / "schedules")
    places.extend(installed_folders())
    if (SOURCE_FOLDER.parent / "setup.cfg").is_file():
        places.append(SOURCE_FOLDER)
    return places


def find_schedules(paths: Sequence[str | os.PathLike[str]] = (), config_dir: Path | None = None,
                   cwd: Path | None = None) -> dict[str, Path]:
    """Schedule id → the file that defines it, the first found in ``search_folders`` order.

    A folder contributes its ``*.toml`` files (in name order). The id is read from the file;
    a file that cannot be read as TOML counts under its name without ``.toml`` so that
    ``load_schedule`` can report what is wrong with it. Nothing is checked here.
    """
    found: dict[str, Path] = {}
    for place in search_folders(paths, config_dir, cwd):
        if place.is_dir():
            files = sorted(place.glob("*.toml"))
        elif place.is_file():
            files = [place]
        else:
            continue
        for file in files:
            found.setdefault(_schedule_id(file), file)
    return found


def _schedule_id(file: Path) -> str:
    try:
        schedule_id = tomllib.loads(file.read_text(encoding="utf-8")).get("id")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return file.stem
    return schedule_id if isinstance(schedule_id, str) else file.stem


def load_schedules(ids: Sequence[str], **find_kwargs: Any) -> RuleBook:
    """The schedules named in ``[schedules] use``, in that order, as one ``RuleBook``.

    ``find_kwargs`` go to ``find_schedules``. Raises ``ConfigError`` for an empty list, an id
    given twice, an id not found, or no default category among them, and ``ScheduleProblems``
    with the problems of every failing file.
    """
    if not ids:
        raise ConfigError('no schedules in use: set [schedules] use = ["nara-grs"]')
    repeated = sorted({schedule_id for schedule_id in ids if list(ids).count(schedule_id) > 1})
    if repeated:
        raise ConfigError(f"schedule {', '.join(repeated)} listed twice in [schedules] use")
    found = find_schedules(**find_kwargs)
    missing = [schedule_id for schedule_id in ids if schedule_id not in found]
    if missing:
        looked = ", ".join(str(place) for place in search_folders(**find_kwargs))
        raise ConfigError(f"schedule {', '.join(missing)} not found (looked in {looked})")
    schedules: list[Schedule] = []
    problems: list[Problem] = []
    for schedule_id in ids:
        try:
            schedules.append(load_schedule(found[schedule_id]))
        except ScheduleProblems as error:
            problems.extend(error.problems)
    if problems:
        raise ScheduleProblems(problems)
    return RuleBook(schedules)
