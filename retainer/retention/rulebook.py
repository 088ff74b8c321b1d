"""The schedules a configuration uses, loaded as one ``RuleBook``, and what to tell about them.

Commands that file messages load the rule book *before* they change anything
(``checked_rulebook``): an import must never archive messages it then cannot file.
"""

from __future__ import annotations

from pathlib import Path

from retainer.config import Settings
from retainer.errors import ConfigError
from retainer.retention.rules import RuleBook
from retainer.retention.schedule import ScheduleProblems, load_schedules

__all__ = ["checked_rulebook", "example_warnings", "rulebook_for"]


def rulebook_for(settings: Settings) -> RuleBook:
    """The schedules the configuration uses, found next to it, in ``./schedules``, or where
    the package installed them.

    Raises:
        ConfigError: a schedule is not found or none has a default category;
            ``ScheduleProblems`` when a schedule file fails its checks.
    """
    config_dir = settings.config_path.parent if settings.config_path else None
    return load_schedules(settings.schedules, paths=settings.schedule_paths,
                          config_dir=config_dir, cwd=Path.cwd())


def checked_rulebook(settings: Settings, doing: str = "nothing was imported") -> RuleBook:
    """``rulebook_for``, for a command about to import: a problem becomes one ``ConfigError``
    (exit status 2) listing every problem, one a line with its file and line, and a last line
    saying ``doing`` (what was not done) and how to check the schedules.
    """
    try:
        return rulebook_for(settings)
    except ScheduleProblems as error:
        lines = [str(problem) for problem in error.problems]
    except ConfigError as error:
        lines = [str(error)]
    lines.append(f"the records schedules in use cannot be loaded, so {doing}; check them with "
                 "`retainer schedules validate`")
    raise ConfigError("\n".join(lines))


def example_warnings(rulebook: RuleBook) -> list[str]:
    """One warning per schedule in use that is marked ``example = true``."""
    return [f"Warning: schedule {schedule.id!r} is an example, not an approved schedule; copy "
            "and adapt it before relying on it" for schedule in rulebook.examples]
