"""A small archive driven through the real command line, for the records-schedule commands:
a configuration in its own folder, two custodians, and exports written on demand."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner, Result

from retainer.cli import cli
from tests.ingest.chats import ANDROID, write_export

CONFIG = """\
[archive]
vault = "vault"
timezone = "America/Los_Angeles"

[schedules]
use = {use}

[[people]]
name = "Dana Reyes"
custodian = true
aliases = ["Dana Reyes", "Dana R"]
official_accounts = ["dana.reyes@agency.example.gov"]
timezone = "America/Los_Angeles"
role = "capstone-official"

[[people]]
name = "Marcus Bell"
custodian = true
aliases = ["Marcus Bell"]
official_accounts = ["marcus.bell@agency.example.gov"]
timezone = "America/Los_Angeles"
{extra}"""

TEAM = "ÉQUIPE Straße"
TEAM_NIGHT = [("2026-12-14T22:02", "Dana Reyes", "Lane 3 is closed."),
              ("2026-12-14T22:03", "Marcus Bell", "Copy, lane 3 closed")]
PORT_NIGHT = [("2026-12-15T06:00", "Marcus Bell", "Secondary has 4 vehicles"),
              ("2026-12-15T06:01", "Marcus Bell", "on my way")]


@dataclasses.dataclass
class Records:
    runner: CliRunner
    folder: Path
    url: str
    use: tuple[str, ...] = ("nara-grs",)
    extra: str = ""

    def __post_init__(self) -> None:
        self.config = self.folder / "conf" / "retainer.toml"
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.write_config()

    def write_config(self) -> None:
        self.config.write_text(CONFIG.format(use=json.dumps(list(self.use)), extra=self.extra),
                               encoding="utf-8")

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(cli, ["--config", str(self.config), "--db", self.url,
                                        "--operator", "records-officer", *args],
                                  env={"RETAINER_CONFIG": "", "RETAINER_OPERATOR": ""})

    def export(self, title: str, messages, name: str | None = None) -> Path:
        folder = self.folder / "exports"
        folder.mkdir(exist_ok=True)
        return write_export(folder / (name or f"WhatsApp Chat with {title}.txt"), ANDROID,
                            messages)

    def import_(self, *paths: Path, options: tuple[str, ...] = ()) -> Result:
        return self("import", "--tz", "America/Los_Angeles", *options, *map(str, paths))

    def disposition(self, as_of: str = "2045-01-01") -> dict:
        result = self("report", "disposition", "--as-of", as_of, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


def source(path: Path, custodian: str) -> str:
    """A ``[[sources]]`` table for the configuration's ``extra``."""
    return (f'\n[[sources]]\npath = "{path}"\ncustodian = "{custodian}"\n'
            'channel = "device"\n')


def message_ids(records: Records, as_of: str = "2045-01-01") -> dict[str, list[int]]:
    """status → message ids in the disposition report."""
    out: dict[str, list[int]] = {}
    for item in records.disposition(as_of)["items"]:
        out.setdefault(item["status"], []).append(item["message_id"])
    return out
