"""The ``schedules`` commands: list the records schedules found, and check schedule files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from retainer.cli.state import State
from retainer.config import load_settings
from retainer.errors import ConfigError
from retainer.retention.schedule import (
    Problem,
    ScheduleProblems,
    find_schedules,
    load_schedule,
    search_folders,
)


def _where(ctx: click.Context) -> dict[str, Any]:
    """``find_schedules`` arguments: the configuration's folder and ``[schedules] paths``.

    Under ``retainer`` the configuration is read as every command reads it (``--config``,
    ``RETAINER_CONFIG``, else ``./retainer.toml``; none: the current directory only), but
    without checking ``[schedules] use`` against the schedules found, so that these commands
    still work to find out what is wrong with them. A plain dict ``ctx.obj`` (tests, other
    callers) may give ``config_dir`` and ``schedule_paths`` directly.
    """
    obj = ctx.ensure_object(dict)
    if isinstance(obj, State) and "schedule_paths" not in obj:
        settings = load_settings(obj["config"], database_url=obj["db"])
        obj["config_dir"] = settings.config_path.parent if settings.config_path else None
        obj["schedule_paths"] = list(settings.schedule_paths)
        obj["schedules_in_use"] = list(settings.schedules)
    return {"paths": list(obj.get("schedule_paths") or ()), "config_dir": obj.get("config_dir"),
            "cwd": Path.cwd()}


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _problems(path: Path) -> list[Problem | ConfigError]:
    try:
        load_schedule(path)
    except ScheduleProblems as error:
        return list(error.problems)
    except ConfigError as error:  # unreadable file
        return [error]
    return []


@click.group()
def schedules() -> None:
    """Records schedules: which are found, and whether they are valid.

    Schedules are TOML files (docs/schedules.md), looked up in the paths named in the
    configuration, the schedules/ folder next to it, ./schedules, then the installed ones.

    \b
    Example:
      retainer schedules list
      retainer schedules validate schedules/my-agency.toml
    """


@schedules.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List every schedule found: id, version, title, size, and the file it came from.

    When two files have the same id the first found is used; only that one is listed.

    \b
    Example:
      retainer schedules list
    """
    where = _where(ctx)
    found = find_schedules(**where)
    if not found:
        folders = ", ".join(str(place) for place in search_folders(**where))
        click.echo(f"No schedules found (looked in {folders}).", err=True)
    for schedule_id, path in found.items():
        try:
            schedule = load_schedule(path)
        except ConfigError as error:
            problems = _count(len(getattr(error, "problems", [error])), "problem", "problems")
            click.echo(f"{schedule_id}  INVALID: {problems} "
                       f"(see retainer schedules validate)  {path}")
            continue
        example = "  (example)" if schedule.example else ""
        size = (_count(len(schedule.categories), "category", "categories") + ", "
                + _count(len(schedule.rules), "rule", "rules"))
        click.echo(f"{schedule.id}  version {schedule.version}  {size}  {path}{example}")
        click.echo(f"    {schedule.title}")


@schedules.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check schedule files and print every problem with its file and line.

    Without FILE, checks every schedule found (see "retainer schedules list") and that each
    id in the configuration's [schedules] use is found. Prints
    "OK <file>" for a valid file and "Error: <file>:<line>: <problem>" for each problem;
    exits 2 if there is any problem.

    \b
    Example:
      retainer schedules validate schedules/my-agency.toml
    """
    missing: list[str] = []
    if files:
        paths = list(files)
    else:
        found = find_schedules(**_where(ctx))
        paths = list(found.values())
        missing = [i for i in ctx.obj.get("schedules_in_use") or () if i not in found]
    if not paths:
        click.echo("No schedules found; nothing to check.", err=True)
    failed = bool(missing)
    for path in paths:
        problems = _problems(path)
        for problem in problems:
            click.echo(f"Error: {problem}")
        if not problems:
            click.echo(f"OK {path}")
        failed = failed or bool(problems)
    for schedule_id in missing:
        click.echo(f"Error: [schedules] use names {schedule_id!r}, which no schedule file "
                   "found defines (see retainer schedules list)")
    if failed:
        ctx.exit(2)
