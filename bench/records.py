#!/usr/bin/env python3
"""Records benchmark: filing under the schedules and the § 2911 evaluation, at scale.

    python bench/records.py                              # 1,000,000 messages, both backends
    python bench/records.py --messages 200000 --backend sqlite

It writes a seeded Android export of N messages (``bench/exports.py``, cached in ``--out``)
and a configuration with three custodians (the generator's most frequent authors; one a
Capstone official, so schedule rules on roles apply) under the shipped NARA GRS schedule. Each
step runs IN A FRESH SUBPROCESS (wall and CPU seconds around the measured call, peak RSS):

1. ``import``: the export, as a custodian's device export (``import_file``; not filed);
2. ``official copy``: the first half of the same chat, exported half-way through and found in
   that custodian's official account an hour after its last message (so her messages of the
   last 20 days before it are forwarded, older ones late, later ones overdue);
3. ``file``: ``retention.filing.file_archive``, filing every message (issue 5's target: no
   more than the import of the same messages took);
4. ``evaluate``: ``compliance.report.summarize``, the set-based evaluation of every message
   with the per-custodian counts (what ``retainer run`` prints);
5. ``report``: ``compliance.report.build``, every subject message with its verdict and
   evidence, rendered as the JSON report (``retainer report compliance --format json``);
6. ``disposition``: ``retention.disposition_report.build`` as of 2026-12-31, every filed
   message's disposition status (``retainer report disposition``), with the list of what is
   eligible or due for transfer.

PostgreSQL runs in a scratch database ``retainer_bench_records``, created and dropped.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import shlex
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.children import (  # noqa: E402
    export_file,
    hwm_mb,
    machine,
    reply,
    run_child,
    scratch_database,
)

TZ = "America/Los_Angeles"
PG_NAME = "retainer_bench_records"
OFFICIAL_DELAY = dt.timedelta(hours=1)
CONFIG = """\
[archive]
database = "{url}"
vault = "vault"
timezone = "America/Los_Angeles"

[compliance]
window_days = 20
scope = "sent"

[schedules]
use = ["nara-grs"]

[[people]]
name = "Dana Reyes"
custodian = true
aliases = ["Dana Reyes"]
official_accounts = ["dana.reyes@agency.example.gov"]
timezone = "America/Los_Angeles"
role = "capstone-official"

[[people]]
name = "Marcus Bell"
custodian = true
aliases = ["Marcus Bell"]
official_accounts = ["marcus.bell@agency.example.gov"]
timezone = "America/Phoenix"

[[people]]
name = "Elena Vargas"
custodian = true
aliases = ["Elena Vargas"]
official_accounts = ["elena.vargas@agency.example.gov"]
timezone = "America/Los_Angeles"
role = "support"
"""


def _settings(config: str):
    from retainer.config import load_settings

    return load_settings(config)


def _timed(step):
    wall0, cpu0 = time.perf_counter(), time.process_time()
    value = step()
    return value, {"status": "ok", "wall": time.perf_counter() - wall0,
                   "cpu": time.process_time() - cpu0}


def child(action: str, config: str, path: str, half: str) -> None:
    from retainer.archive import Archive
    from retainer.archive.people import sync_people
    from retainer.ingest.export import ImportOptions
    from retainer.ingest.pipeline import import_file

    settings = _settings(config)
    archive = Archive.open(settings.database_url, settings.vault)
    with archive.begin() as session:
        sync_people(session, settings.people)
    extra: dict[str, object] = {}
    if action == "import":
        result, figures = _timed(lambda: import_file(
            archive, path, ImportOptions(custodian="Dana Reyes", timezone=TZ)))
        extra = {"result": result.status, "new": result.new}
    elif action == "official":
        from zoneinfo import ZoneInfo

        from retainer.formats import read_export

        last = collections.deque(read_export(half).messages(), maxlen=1)[0]
        at = (dt.datetime.fromisoformat(last.sent_at).replace(tzinfo=ZoneInfo(TZ))
              + OFFICIAL_DELAY).astimezone(dt.UTC)
        result, figures = _timed(lambda: import_file(archive, half, ImportOptions(
            custodian="Dana Reyes", timezone=TZ, channel="official", captured_at=at)))
        extra = {"result": result.status, "seen_again": result.seen_again}
    elif action == "file":
        from retainer.retention.filing import file_archive

        counts, figures = _timed(lambda: file_archive(archive, settings))
        extra = {"filed": counts.filed}
    elif action == "disposition":
        from retainer.retention import disposition_report
        from retainer.retention.rulebook import rulebook_for
        from retainer.retention.sending import SendingDays

        rulebook = rulebook_for(settings)
        days = SendingDays(settings.people, settings.timezone)  # as the command does
        with archive.read() as session:
            report, figures = _timed(lambda: disposition_report.build(
                session, rulebook, dt.date(2026, 12, 31), days=days))
        extra = {"statuses": dict(report.counts), "listed": len(report.items)}
    else:
        from retainer.compliance.report import as_of_moment, build, summarize
        from retainer.retention.rulebook import rulebook_for

        rulebook = rulebook_for(settings)
        moment = as_of_moment(settings)
        if action == "evaluate":
            with archive.read() as session:
                report, figures = _timed(lambda: summarize(session, settings, rulebook,
                                                           moment))
            extra = {"counts": {row.custodian: dict(row.counts) for row in report.summary}}
        else:
            from retainer.compliance.render import json_chunks

            def full() -> int:
                with archive.read() as session:
                    report = build(session, settings, rulebook, moment)
                size = 0
                with open("/dev/null", "w", encoding="utf-8") as out:
                    for chunk in json_chunks(report):
                        size += len(chunk)
                        out.write(chunk)
                return len(report.verdicts)

            listed, figures = _timed(full)
            extra = {"verdicts": listed}
    archive.close()
    reply({**figures, **extra, "hwm_mb": hwm_mb()})


def child_pg(admin_url: str, action: str) -> None:
    reply(scratch_database(admin_url, PG_NAME, action))


def _row(name: str, answer: dict, messages: int) -> str:
    if answer["status"] != "ok":
        return f"{name:<30} FAILED: {answer['error']}"
    rate = f"{messages / answer['wall']:>12,.0f}" if messages else f"{'-':>12}"
    return (f"{name:<30} {answer['wall']:>8.2f} {answer['cpu']:>8.2f} {rate} "
            f"{answer['hwm_mb']:>8.0f}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        if argv[1] == "pg":
            child_pg(*argv[2:])
        else:
            child(*argv[1:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", "-n", type=lambda s: int(s.replace("_", "")),
                    default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = ap.parse_args(argv)
    out, n = args.out.resolve(), args.messages
    print("retainer records benchmark (filing and § 2911 evaluation)")
    print(f"command: python {shlex.join(sys.argv)}")
    print(machine())
    path, stats, how = export_file(
        out / f"ingest-{n}-s{args.seed}" / "WhatsApp Chat with Bench.txt", n, "android",
        args.seed)
    half, _, how_half = export_file(
        out / f"ingest-{n // 2}-s{args.seed}" / "WhatsApp Chat with Bench.txt", n // 2,
        "android", args.seed)
    print(f"export: {n:,} messages ({how}); its first half as the official copy ({how_half})")
    ok = True
    for backend in (["sqlite", "postgresql"] if args.backend == "both" else [args.backend]):
        work = out / f"records-{backend}-{n}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        if backend == "sqlite":
            url = f"sqlite:///{work / 'bench.db'}"
        else:
            made = run_child([sys.executable, __file__, "--child", "pg", args.pg, "create"],
                             work / "pg.log")
            if made["status"] != "ok":
                print(f"postgresql: cannot create the scratch database: {made['error']}")
                ok = False
                continue
            url = f"{args.pg}/{PG_NAME}"
        config = work / "retainer.toml"
        config.write_text(CONFIG.format(url=url), encoding="utf-8")
        print(f"\n== {backend} ==")
        print(f"{'step':<30} {'wall s':>8} {'cpu s':>8} {'messages/s':>12} {'peak MB':>8}")
        figures = {}
        try:
            for step in ("import", "official", "file", "evaluate", "report", "disposition"):
                answer = run_child([sys.executable, __file__, "--child", step, str(config),
                                    str(path), str(half)], work / f"{step}.log")
                figures[step] = answer
                print(_row(step, answer, n))
                if answer["status"] != "ok":
                    ok = False
                    break
        finally:
            if backend == "postgresql":
                run_child([sys.executable, __file__, "--child", "pg", args.pg, "drop"],
                          work / "pg-drop.log")
        if all(f.get("status") == "ok" for f in figures.values()) and len(figures) == 6:
            counts = figures["evaluate"]["counts"]
            print("statuses: " + "; ".join(
                f"{who}: " + ", ".join(f"{s} {c:,}" for s, c in sorted(row.items()))
                for who, row in counts.items() if row))
            filing, imported = figures["file"]["wall"], figures["import"]["wall"]
            met = filing <= imported
            ok = ok and met
            print(f"[{'met' if met else 'MISSED'}] filing ({filing:.1f} s) takes no more than "
                  f"the import ({imported:.1f} s)")
            print(f"evaluation of {n:,} messages: {figures['evaluate']['wall']:.1f} s "
                  f"(counts), {figures['report']['wall']:.1f} s (every verdict with evidence, "
                  f"{figures['report']['verdicts']:,} listed, as JSON)")
            d = figures["disposition"]
            print(f"disposition report of {n:,} messages: {d['wall']:.1f} s, "
                  f"{d['listed']:,} listed; " + ", ".join(
                      f"{s} {c:,}" for s, c in sorted(d["statuses"].items())))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
