"""Every command has help with an example, and is documented."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from retainer import __version__
from retainer.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


COMMANDS = list(all_commands())


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_top_level_help_lists_every_command_with_a_line(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, command in cli.commands.items():
        assert name in result.output
        assert command.get_short_help_str(), f"{name} has no one-line description"


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in COMMANDS])
def test_help_of_every_command(runner, path):
    result = runner.invoke(cli, [*path.split(), "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output or "Commands:" in result.output


@pytest.mark.parametrize("path", [" ".join(p) for p, c in COMMANDS
                                  if not isinstance(c, click.Group)])
def test_every_command_is_documented(path):
    docs = (ROOT / "README.md").read_text() + "".join(
        p.read_text() for p in sorted((ROOT / "docs").glob("*.md")))
    assert f"retainer {path}" in docs, f"'retainer {path}' appears in no doc"
