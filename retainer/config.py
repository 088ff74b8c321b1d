"""The configuration: ``retainer.toml`` (DESIGN §8) and its overrides → frozen ``Settings``.

``load_settings`` finds the file (``--config``, else ``RETAINER_CONFIG``, else
``./retainer.toml``, else built-in defaults), checks every table and key, and reports every
problem at once, each naming the file, the line and the key. tomllib keeps no line numbers, so
lines are found by scanning the text (``_Locator``): good enough to point at the right place.
Relative paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from retainer.config_checks import At, Checker
from retainer.errors import ConfigError, RetainerError
from retainer.formats import DATE_ORDERS
from retainer.people import account_key

CONFIG_ENV = "RETAINER_CONFIG"
DATABASE_ENV = "RETAINER_DATABASE_URL"
DEFAULT_FILE = "retainer.toml"
DEFAULT_DATABASE_URL = "sqlite:///retainer.db"
DEFAULT_SCHEDULES = ("nara-grs",)
STATUTORY_WINDOW_DAYS = 20
"""44 U.S.C. § 2911(a)(2): a complete copy within 20 days; an agency may only shorten it."""
SCOPES = ("sent", "sent+received")
CHANNELS = ("device", "official")
DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg")
TABLES: dict[str, tuple[str, ...]] = {
    "archive": ("database", "vault", "timezone"),
    "compliance": ("window_days", "scope", "as_of"),
    "schedules": ("use", "paths"),
    "people": ("name", "custodian", "aliases", "official_accounts", "timezone", "role"),
    "sources": ("path", "channel", "custodian", "timezone", "date_order", "chat"),
}
"""Every table the file may have and its keys; ``people`` and ``sources`` are ``[[arrays]]``."""


@dataclass(frozen=True)
class Person:
    """A human the exports may name (DESIGN §2); a custodian is subject to § 2911."""
    name: str
    custodian: bool
    aliases: tuple[str, ...]            # as written in the file
    official_accounts: tuple[str, ...]  # e-mail addresses and/or messaging IDs
    timezone: str | None
    role: str | None


@dataclass(frozen=True)
class Source:
    """A drop folder for the nightly run."""
    path: Path                          # absolute
    channel: str                        # "device" | "official"
    custodian: str | None               # a Person.name; always set for "device"
    timezone: str | None
    date_order: str | None              # "DMY" | "MDY" | "YMD"
    chat: str | None                    # fixed chat title for every export in the folder


@dataclass(frozen=True)
class Settings:
    """The effective configuration: the file, its overrides and the defaults."""
    config_path: Path | None            # None: no file, defaults only
    database_url: str                   # relative SQLite paths made absolute
    vault: Path
    timezone: str                       # archive default zone
    window_days: int                    # 1..20, 44 U.S.C. § 2911(a)(2)
    scope: str                          # "sent" | "sent+received"
    schedules: tuple[str, ...]
    schedule_paths: tuple[Path, ...]
    as_of: str | None                   # fixed report date "YYYY-MM-DD"; None = now
    people: tuple[Person, ...]
    sources: tuple[Source, ...]

    def person(self, name: str) -> Person | None:
        """The person of exactly that name, or None."""
        return next((p for p in self.people if p.name == name), None)

    def redacted_url(self) -> str:
        """The database URL with any password shown as ``***``."""
        return redact_url(self.database_url)


class ConfigProblems(ConfigError):
    """Every problem found in one configuration; ``str()`` gives one problem per line."""

    def __init__(self, problems: list[ConfigError]) -> None:
        n = len(problems)
        super().__init__(f"{n} problem{'s' * (n != 1)} in the configuration",
                         path=problems[0].path if problems else None)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def redact_url(url: str) -> str:
    """``url`` with its password (in the URL or its query) masked; never echoes bad text.

    A URL that does not parse, or whose host holds an ``@`` (an unencoded ``@`` in the
    password: the tail of the password would be shown as the host), gives
    ``<not a database URL>``.
    """
    parsed = _parse_url(url)
    if isinstance(parsed, str):
        return "<not a database URL>"
    hidden = "retainer-hidden-password"
    if "password" in parsed.query:
        parsed = parsed.update_query_dict({"password": hidden})
    return parsed.render_as_string(hide_password=True).replace(hidden, "***")


def load_settings(config: str | os.PathLike[str] | None = None, *,
                  database_url: str | None = None, environ: Mapping[str, str] = os.environ,
                  cwd: Path | None = None,
                  known_schedules: Callable[[Path, tuple[Path, ...]], set[str]] | None = None
                  ) -> Settings:
    """Find, read and check the configuration.

    Args:
        config: the ``--config`` option; None means ``RETAINER_CONFIG``, else
            ``./retainer.toml`` if it exists, else the defaults (no file).
        database_url: the ``--db`` option. The URL is the first of ``--db``,
            ``RETAINER_DATABASE_URL``, ``[archive] database``, ``sqlite:///retainer.db``.
            Relative SQLite paths from the file or the default are relative to the file's
            folder (``cwd`` without a file); those from ``--db`` or the environment to ``cwd``.
        environ: where ``RETAINER_CONFIG`` and ``RETAINER_DATABASE_URL`` are read.
        cwd: the working folder (default: the process's).
        known_schedules: called with the configuration's folder (``cwd`` without a file) and
            the ``[schedules] paths``; gives the ids of the available schedules, to check
            ``[schedules] use``. None: the ids are not checked.

    Raises:
        ConfigProblems: a ``ConfigError`` whose ``problems`` lists every problem found.
    """
    cwd = Path(cwd if cwd is not None else Path.cwd()).resolve()
    path, shown = _find_file(config, environ, cwd)
    check = Checker(shown, TABLES)
    data = check.read(path) if path is not None else {}
    if data is None:                    # not TOML: nothing more can be checked
        raise ConfigProblems(check.problems)
    base = path.parent if path is not None else cwd
    for key, value in data.items():
        if key not in TABLES:
            kind = "table" if isinstance(value, (dict, list)) else "key"
            check.add(At("", key if kind == "table" else None), None if kind == "table" else key,
                      f"unknown top-level {kind} {key!r} (allowed tables: {', '.join(TABLES)})")
    database, vault, timezone = _archive(check, data, database_url, environ, base, cwd)
    window, scope, as_of = _compliance(check, data)
    schedules, schedule_paths = _schedules(check, data, base, known_schedules)
    people = _people(check, check.array(data, "people"))
    sources = _sources(check, check.array(data, "sources"), people, base)
    if check.problems:                  # overrides first, then the file's in line order
        raise ConfigProblems(sorted(check.problems, key=lambda p: (
            p.path is not None, p.path != check.path, p.line or 0)))
    return Settings(path, database, vault, timezone, window, scope, schedules, schedule_paths,
                    as_of, people, sources)


def path_warnings(settings: Settings) -> list[str]:
    """What deserves a warning but is no error: folders that do not exist (yet), and
    custodians without an official account (none of their messages can comply)."""
    return ([f'[[sources]] "{s.path}": the folder does not exist (yet); the nightly run '
             "will report it" for s in settings.sources if not s.path.exists()]
            + [f"[schedules] paths: {p} does not exist"
               for p in settings.schedule_paths if not p.exists()]
            + [f'[[people]] "{p.name}": a custodian without official_accounts'
               for p in settings.people if p.custodian and not p.official_accounts])


def _find_file(config, environ: Mapping[str, str], cwd: Path) -> tuple[Path | None, str | None]:
    """(absolute path, path as the user named it) of the configuration file, or Nones."""
    if config is not None and os.fspath(config):
        named, origin = os.fspath(config), "--config"
    elif environ.get(CONFIG_ENV):
        named, origin = environ[CONFIG_ENV], CONFIG_ENV
    else:
        default = cwd / DEFAULT_FILE
        return (default, DEFAULT_FILE) if default.is_file() else (None, None)
    path = cwd / Path(named).expanduser()
    if not path.is_file():
        raise ConfigProblems([ConfigError(f"configuration file not found (named by {origin})",
                                          path=named)])
    return path.resolve(), named


def _archive(check: Checker, data, db_option, environ, base: Path, cwd: Path):
    """(database URL, vault, default time zone) from ``[archive]`` and the overrides."""
    archive, at = check.table(data, "archive"), At("[archive]", "archive")
    in_file = check.get(archive, "database", str, at)
    urls = [_url(check, db_option, "--db", cwd), _url(check, environ.get(DATABASE_ENV),
                                                       DATABASE_ENV, cwd),
            _url(check, in_file, at, base), _url(check, DEFAULT_DATABASE_URL, "default", base)]
    url = next(u for u in urls if u is not None)
    vault = check.get(archive, "vault", str, at)
    parsed = make_url(url)
    if vault:
        folder = base / vault
    elif parsed.get_backend_name() == "sqlite" and _is_file_db(parsed.database):
        folder = Path(parsed.database).parent / "vault"
    else:
        folder = base / "vault"
    return url, Path(os.path.normpath(folder)), check.zone(archive, "timezone", at) or "UTC"


def _url(check: Checker, url: str | None, origin: At | str, folder: Path) -> str | None:
    """The URL made absolute (SQLite files), or None when absent or wrong (a problem)."""
    if not url:
        return None
    at = origin if isinstance(origin, At) else None

    def problem(message: str) -> None:
        if at is not None:
            check.add(at, "database", message)
        else:
            check.problems.append(ConfigError(f"{origin}: {message}"))
    parsed = _parse_url(url)
    if isinstance(parsed, str):
        problem(parsed)
        return None
    if parsed.drivername not in DRIVERS:
        problem(f"unsupported database driver {parsed.drivername!r} "
                f"(use one of: {', '.join(DRIVERS)})")
        return None
    if parsed.get_backend_name() == "sqlite" and _is_file_db(parsed.database):
        absolute = os.path.normpath(folder / Path(parsed.database).expanduser())
        if absolute != parsed.database:
            return parsed.set(database=absolute).render_as_string(hide_password=False)
    return url


PERCENT_ENCODE = ("percent-encode '@', ':' and '/' in a user name or password "
                  "(%40, %3A, %2F)")


def _parse_url(url: str) -> URL | str:
    """The parsed URL, or what is wrong with it. Never quotes the URL: it may hold a password.

    ``make_url`` raises ``ArgumentError`` for text that is no URL and ``ValueError`` for a
    port that is no number (``u:pa@ss:w0rd@host`` reads ``w0rd@host`` as the port); and it
    splits ``u:p@ss@host`` at the first ``@``, so the host would be ``ss@host``.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "not a database URL (use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB)"
    except ValueError:
        return f"not a database URL: its port is not a number ({PERCENT_ENCODE})"
    if parsed.host and "@" in parsed.host:
        return f"not a database URL: its host contains '@' ({PERCENT_ENCODE})"
    return parsed


def _is_file_db(database: str | None) -> bool:
    return bool(database) and database != ":memory:" and not database.startswith("file:")


def _compliance(check: Checker, data) -> tuple[int, str, str | None]:
    """(window_days, scope, as_of) from ``[compliance]``."""
    compliance, at = check.table(data, "compliance"), At("[compliance]", "compliance")
    window = check.get(compliance, "window_days", int, at)
    if window is not None and window > STATUTORY_WINDOW_DAYS:
        check.add(at, "window_days", f"{window} days is laxer than 44 U.S.C. § 2911(a)(2), "
                  f"which allows {STATUTORY_WINDOW_DAYS}; an agency may only shorten it")
    elif window is not None and window < 1:
        check.add(at, "window_days", f"{window} days: must be at least 1")
    as_of = compliance.get("as_of")
    if isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime):
        as_of = as_of.isoformat()       # written as a TOML date: as_of = 2024-03-21
    elif as_of is not None and not _is_iso_date(as_of):
        check.add(at, "as_of", f"{as_of!r} is not a date written YYYY-MM-DD")
    scope = check.choice(compliance, "scope", SCOPES, at) or "sent"
    return window or STATUTORY_WINDOW_DAYS, scope, as_of


def _is_iso_date(value: object) -> bool:
    try:    # fromisoformat alone would also take 20240321
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(
            dt.date.fromisoformat(value))
    except (TypeError, ValueError):
        return False


def _schedules(check: Checker, data, base: Path,
               known) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    """(schedule ids, extra schedule paths) from ``[schedules]``."""
    schedules, at = check.table(data, "schedules"), At("[schedules]", "schedules")
    use = check.get(schedules, "use", list, at)
    if use is not None and not use:
        check.add(at, "use", "names no schedule; every message must be filed under one")
    use = tuple(dict.fromkeys(use or DEFAULT_SCHEDULES))
    paths = check.get(schedules, "paths", list, at) or ()
    folders = tuple(Path(os.path.normpath(base / Path(p).expanduser())) for p in paths)
    if known is not None:
        try:
            available = known(base, folders)
        except RetainerError as exc:
            check.problems.append(exc if isinstance(exc, ConfigError)
                                  else ConfigError(exc.message, path=exc.path, line=exc.line))
        else:
            for schedule in use:
                if schedule not in available:
                    check.add(at, "use", f"unknown schedule id {schedule!r} (known: "
                              f"{', '.join(sorted(available)) or 'none'})", value=schedule)
    return use, folders


def _people(check: Checker, entries: list[dict]) -> tuple[Person, ...]:
    """``[[people]]``: names unique, and no name, alias or official account claimed by two
    people (compared by ``account_key``, as authors are resolved: a person's name resolves
    authors too, see ``retainer.people.Directory``)."""
    people: list[Person] = []
    names: dict[str, int] = {}
    claims: dict[str, tuple[int, str, str, int | None]] = {}  # key → (index, name, as, line)
    for index, entry in enumerate(entries):
        at = At(f"[[people]] #{index + 1}", "people", index)
        name = check.required(entry, "name", str, at)
        if name:
            at = at._replace(label=f"[[people]] {json.dumps(name, ensure_ascii=False)}")
        check.unknown_keys(entry, "people", at)
        if name in names:
            first = check.line(At("", "people", names[name]), "name")
            check.add(at, "name", "a second person of this name"
                      + (f" (the first is at line {first})" if first else ""))
        elif name:
            names[name] = index
        accounts = {key: tuple(check.get(entry, key, list, at) or ())
                    for key in ("aliases", "official_accounts")}
        owned = [("name", name)] if name and names[name] == index else []
        owned += [(key, a) for key, values in accounts.items() for a in values]
        for key, account in owned:
            claim = account_key(account)
            shown = "their name" if key == "name" else repr(account)
            owner = claims.setdefault(claim, (index, name, shown, check.line(at, key, account)))
            if not claim:
                if key != "name":  # a blank name is already "required (not blank)"
                    check.add(at, key, "an empty account", value=account)
            elif owner[0] != index:
                where = f", line {owner[3]}" if owner[3] else ""
                check.add(at, key, f"{account!r} is already claimed by {owner[1]!r} "
                          f"(as {owner[2]}{where})", value=account)
            elif key == "official_accounts" and owner[2] == "their name":
                # The name resolves authors (it is how a phone shows a personal contact):
                # as an official account, every message shown under it would count as sent
                # from one (exempt) and as an official account in the chat (copied).
                check.add(at, key, f"{account!r} is {name!r}'s own name, which resolves "
                          "authors as a personal account; list the official account as "
                          "the address or number it is", value=account)
        # A wrong custodian value is kept as None, so sources naming them add no problem;
        # with a problem recorded these people are never returned.
        custodian = check.get(entry, "custodian", bool, at)
        custodian = False if "custodian" not in entry else custodian
        people.append(Person(name or "", custodian,  # type: ignore[arg-type]
                             accounts["aliases"], accounts["official_accounts"],
                             check.zone(entry, "timezone", at), check.get(entry, "role", str, at)))
    return tuple(people)


def _sources(check: Checker, entries: list[dict], people: tuple[Person, ...],
             base: Path) -> tuple[Source, ...]:
    """``[[sources]]``: a device source names a custodian who exists and is one."""
    sources = []
    by_name: dict[str, Person] = {}
    for person in people:
        by_name.setdefault(person.name, person)
    for index, entry in enumerate(entries):
        at = At(f"[[sources]] #{index + 1}", "sources", index)
        path = check.required(entry, "path", str, at)
        if path:
            at = at._replace(label=f"[[sources]] {json.dumps(path, ensure_ascii=False)}")
        check.unknown_keys(entry, "sources", at)
        channel = check.choice(entry, "channel", CHANNELS, at, required=True)
        custodian = check.get(entry, "custodian", str, at)
        if custodian is not None and custodian not in by_name:
            check.add(at, "custodian", f"no [[people]] entry is named {custodian!r}")
        elif custodian is not None and by_name[custodian].custodian is False:
            check.add(at, "custodian", f"{custodian!r} is not a custodian "
                      "(their [[people]] entry needs custodian = true)")
        elif custodian is None and channel == "device":
            check.add(at, "custodian", "required for a device source (whose phone is it?)")
        date_order = check.choice(entry, "date_order", DATE_ORDERS, at, upper=True)
        sources.append(Source(Path(os.path.normpath(base / Path(path or ".").expanduser())),
                              channel or "", custodian, check.zone(entry, "timezone", at),
                              date_order, check.get(entry, "chat", str, at)))
    return tuple(sources)
