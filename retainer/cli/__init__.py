"""The ``retainer`` command line: a thin layer over the library.

This is the one error boundary: a ``RetainerError`` from the library becomes one line on
stderr and the error's exit status, never a traceback.
"""

from __future__ import annotations

import os
import sys

import click

from retainer import __version__
from retainer.errors import RetainerError


class Failure(click.ClickException):
    """A library error shown as ``Error: <file>:<line>: <what>`` with its own exit status."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class RetainerGroup(click.Group):
    """Turns ``RetainerError`` from any command into a ``Failure``."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except RetainerError as exc:
            raise Failure(str(exc), exc.exit_code) from None


@click.group(cls=RetainerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="retainer")
def cli() -> None:
    """Keep exported WhatsApp chats as federal records (44 U.S.C. § 2911).

    \b
    Example:
      retainer parse "WhatsApp Chat with Port Ops.txt" --format jsonl
    """


def main() -> None:
    """Console entry point."""
    try:
        cli(prog_name="retainer")
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


from retainer.cli import parse as _parse  # noqa: E402  (commands register on import)

cli.add_command(_parse.parse)
