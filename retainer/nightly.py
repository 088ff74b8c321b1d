"""The nightly job as one library call: import every source, file what is new, and sum up
§ 2911 compliance (DESIGN §5, §6). The ``run`` command and the tests call this.

The records schedules are loaded first: with a schedule that fails its checks nothing is
imported, since every archived message must be filed (DESIGN §6).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from retainer.archive import Archive
from retainer.compliance.model import ComplianceReport
from retainer.compliance.report import as_of_instant, build, summarize
from retainer.config import Settings
from retainer.ingest.pipeline import FileResult
from retainer.ingest.sources import OnResult, run_sources
from retainer.retention.filing import FilingCounts, file_archive
from retainer.retention.rulebook import checked_rulebook, example_warnings


@dataclasses.dataclass
class NightlyResult:
    files: list[FileResult]
    filed: FilingCounts
    compliance: ComplianceReport
    """Counts per custodian (and, when an HTML report was asked for, every verdict)."""
    warnings: list[str] = dataclasses.field(default_factory=list)
    """What the operator should know, such as an example schedule in use."""


def nightly(archive: Archive, settings: Settings, *, operator: str | None = None,
            move_done: Path | None = None, move_failed: Path | None = None,
            on_result: OnResult | None = None, full_report: bool = False) -> NightlyResult:
    """Import, file, evaluate. ``full_report`` builds every verdict (for an HTML report)
    instead of counts only.

    Raises:
        ConfigError: the schedules in use cannot be loaded (before anything is imported).
    """
    rulebook = checked_rulebook(settings)
    files = run_sources(archive, settings, operator=operator, move_done=move_done,
                        move_failed=move_failed, on_result=on_result)
    filed = file_archive(archive, settings, operator=operator, rulebook=rulebook)
    moment = as_of_instant(settings)
    with archive.read() as session:
        report = (build(session, settings, rulebook, moment) if full_report
                  else summarize(session, settings, rulebook, moment))
    return NightlyResult(files, filed, report, example_warnings(rulebook))
