"""The ``retainer`` command line: a thin layer over the library.

The group owns the options every command shares (``--config``, ``--db``, ``--operator``) and
keeps them, with the settings and the archive opened on first use, in ``ctx.obj``. This is the
one error boundary: a ``RetainerError`` from the library becomes ``Error: …`` on stderr and the
error's exit status, never a traceback.
"""

from __future__ import annotations

import os
import sys

import click
from sqlalchemy.exc import SQLAlchemyError

from retainer import __version__
from retainer.cli.state import State
from retainer.errors import RetainerError


class Failure(click.ClickException):
    """A library error shown as ``Error: <file>:<line>: <what>`` with its own exit status."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # one "Error:" line per problem
        for line in self.format_message().splitlines() or [""]:
            click.echo(f"Error: {line}", err=True)


class RetainerGroup(click.Group):
    """Turns ``RetainerError`` from any command into a ``Failure``; so too a database error,
    an ``OSError`` and an ``OverflowError`` (a value out of range), without a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except RetainerError as exc:
            raise Failure(str(exc), exc.exit_code) from None
        except SQLAlchemyError as exc:
            if _debug():
                raise
            # The driver's message may quote rows (message text): name the error only.
            raise Failure(f"the database failed ({type(exc).__name__}); set RETAINER_DEBUG=1 "
                          "to see the details", 1) from None
        except OverflowError:
            # The last safety net: options bound their numbers and dates, but a value near
            # a limit (an --as-of in 9999) can still overflow in the arithmetic behind them.
            if _debug():
                raise
            raise Failure("a date or number given is out of range (too large, or too close "
                          "to the year 1 or 9999); set RETAINER_DEBUG=1 to see the details",
                          2) from None
        except BrokenPipeError:
            raise
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise Failure(f"{where}{exc.strerror or type(exc).__name__}", 1) from None
        finally:
            if isinstance(ctx.obj, State):
                ctx.obj.close()


@click.group(cls=RetainerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="retainer")
@click.option("--config", "config", type=click.Path(dir_okay=False),
              help="Configuration file (default: $RETAINER_CONFIG, else ./retainer.toml).")
@click.option("--db", "db", metavar="URL",
              help="Database URL (default: $RETAINER_DATABASE_URL, the configuration, "
                   "else sqlite:///retainer.db).")
@click.option("--operator", metavar="NAME",
              help="Who is acting, for the audit log (default: $RETAINER_OPERATOR, else the "
                   "OS user).")
@click.pass_context
def cli(ctx: click.Context, config: str | None, db: str | None, operator: str | None) -> None:
    """Keep exported WhatsApp chats as federal records (44 U.S.C. § 2911).

    \b
    Example:
      retainer --config sample_exports/retainer.toml run
    """
    ctx.obj = State(config=config, db=db, operator=operator)


def _debug() -> bool:
    return os.environ.get("RETAINER_DEBUG", "") not in ("", "0")


def main() -> None:
    """Console entry point."""
    try:
        cli(prog_name="retainer", standalone_mode=True)
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


SHORT_HELP = {
    "parse": "Read one export and print its messages (no database).",
    "import": "Archive export files or official mail, one transaction each.",
    "run": "The nightly job: import every source, file, sum up § 2911.",
    "chats": "List chats with counts and signs of destruction.",
    "people": "People, their accounts, unclaimed authors, unofficial mails.",
    "classify": "File messages under the records schedules.",
    "explain": "Why a message is filed where it is.",
    "hold": "Place, list and release legal holds.",
    "report": "Compliance, disposition and destruction reports.",
    "schedules": "List and validate the records schedules.",
    "config": "Check the configuration file.",
    "db": "Create, upgrade and check the database schema.",
    "verify": "Prove nothing archived was altered or removed.",
    "search": "Full-text search of the archive (logged).",
    "thread": "Read a chat as a conversation (logged).",
    "export": "Hand a selection over as EML, mbox, CSV, JSON lines or HTML.",
    "verify-export": "Check a hand-over package against its manifest.",
    "audit": "Who did what: imports, searches, exports, reports.",
}
"""One line per command for ``retainer --help`` (click would cut the docstrings short)."""


def _register() -> None:
    from retainer.cli import (
        admin,
        chats,
        config,
        imports,
        parse,
        people,
        reports,
        retention,
        run,
        schedules,
        search,
    )

    for command in (parse.parse, imports.import_, run.run, chats.chats, people.people,
                    retention.classify, retention.explain, retention.hold, reports.report,
                    schedules.schedules, config.config, admin.db, admin.verify,
                    search.search, search.thread, search.export, search.verify_export,
                    search.audit):
        command.short_help = command.short_help or SHORT_HELP.get(command.name)
        cli.add_command(command)


_register()
