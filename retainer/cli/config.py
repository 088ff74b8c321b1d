"""The ``config`` commands: check the configuration and show the effective settings."""

from __future__ import annotations

import click

from retainer.cli.state import available_schedules
from retainer.config import ConfigProblems, Settings, load_settings, path_warnings
from retainer.errors import ConfigError


@click.group()
def config() -> None:
    """Check the configuration (retainer.toml).

    \b
    Example:
      retainer --config /etc/retainer/retainer.toml config check
    """


@config.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check the configuration and print the effective settings.

    The file is the one named by --config, else RETAINER_CONFIG, else ./retainer.toml;
    without one, the defaults are shown. Every problem is printed, one per line, and the
    command exits 2; database passwords are never shown.

    \b
    Example:
      retainer --config /etc/retainer/retainer.toml config check
    """
    options = ctx.ensure_object(dict)
    try:
        settings = load_settings(options.get("config"), database_url=options.get("db"),
                                 known_schedules=available_schedules)
    except ConfigError as exc:
        for problem in exc.problems if isinstance(exc, ConfigProblems) else [exc]:
            click.echo(f"Error: {problem}", err=True)
        ctx.exit(exc.exit_code)
    click.echo("\n".join(describe(settings)))
    for warning in path_warnings(settings):
        click.echo(f"Warning: {warning}", err=True)


def describe(settings: Settings) -> list[str]:
    """The settings as readable lines, the database password hidden."""
    lines = [
        f"config file:   {settings.config_path or '(none: defaults)'}",
        f"database:      {settings.redacted_url()}",
        f"vault:         {settings.vault}",
        f"time zone:     {settings.timezone} (default for exports)",
        f"compliance:    forward within {settings.window_days} days (44 U.S.C. § 2911(a)(2)), "
        f"scope {settings.scope}" + (f", as of {settings.as_of}" if settings.as_of else ""),
        f"schedules:     {', '.join(settings.schedules)}",
    ]
    lines += [f"  from:        {path}" for path in settings.schedule_paths]
    lines.append(f"people:        {len(settings.people)}")
    for person in settings.people:
        details = ["custodian" if person.custodian else "not a custodian",
                   person.timezone, person.role and f"role {person.role}"]
        lines.append(f"  {person.name} ({', '.join(d for d in details if d)})")
        lines.append(f"    aliases:           {', '.join(person.aliases) or '-'}")
        lines.append(f"    official accounts: {', '.join(person.official_accounts) or '-'}")
    lines.append(f"sources:       {len(settings.sources)}")
    for source in settings.sources:
        details = [source.channel, source.custodian and f"custodian {source.custodian}",
                   source.timezone, source.date_order and f"date order {source.date_order}",
                   source.chat and f"chat {source.chat!r}"]
        lines.append(f"  {source.path} ({', '.join(d for d in details if d)})")
    return lines
