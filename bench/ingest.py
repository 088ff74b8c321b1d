#!/usr/bin/env python3
"""Import benchmark: the archive's import path on SQLite and PostgreSQL, against a regex scan.

    python bench/ingest.py                                # 1,000,000 messages, both backends
    python bench/ingest.py --messages 200000 --backend sqlite
    python bench/ingest.py --messages 5000000 --backend sqlite   # peak memory at 5M

It writes two seeded Android exports of one chat (``bench/exports.py``, cached in ``--out``):
N messages, and the same N plus ``--new`` more (the generator is prefix-stable: a later
export of the same chat). Each step runs IN A FRESH SUBPROCESS and reports wall and CPU
seconds around the measured call only (and the import worker's CPU seconds, when one
prepared the export: see ``retainer.ingest.worker``), and the child's peak RSS (``VmHWM``):

* ``regex scan``: the yardstick, a bare compiled-regex scan of the N-message file's lines.
* ``first import``: ``retainer.ingest.pipeline.import_file`` of the N-message file into a new
  archive (parse, UTC, identities, bulk insert with unique index, full-text index, audit
  entry, vault copy, commit with fsync).
* ``re-import``: the same file again (a SHA-256 hit: "already").
* ``overlap``: the N + new export (must add exactly ``--new`` messages).
* the first import and the overlap on PostgreSQL, in a scratch database
  ``retainer_bench_ingest`` created and dropped by the script.

Targets (issue 3, 2-core reference machine): first SQLite import within 20x the yardstick;
identical re-import under 1 s; the overlap within a third of the first import; PostgreSQL
within 1.5x SQLite; peak memory under 300 MB whatever the file size.
"""

from __future__ import annotations

import argparse
import json
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
    warm,
)

TZ = "America/Los_Angeles"
YARDSTICK = r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}\s?[AP]M - "
PG_NAME = "retainer_bench_ingest"
TARGET_VS_SCAN = 20
TARGET_REIMPORT_S = 1.0
TARGET_OVERLAP_SHARE = 1 / 3
TARGET_PG_VS_SQLITE = 1.5
TARGET_PEAK_MB = 300


# --------------------------------------------------------------------------------------------
# Children
# --------------------------------------------------------------------------------------------

def child_scan(path: str) -> None:
    import re

    rx = re.compile(YARDSTICK)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    found = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if rx.match(line):
                found += 1
    reply({"status": "ok", "wall": time.perf_counter() - wall0,
           "cpu": time.process_time() - cpu0, "found": found, "hwm_mb": hwm_mb()})


def child_import(url: str, vault: str, path: str) -> None:
    import logging

    from retainer.archive import Archive
    from retainer.ingest.export import ImportOptions
    from retainer.ingest.pipeline import import_file

    worker_cpu = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            worker_cpu.append(record.args[1])

    logger = logging.getLogger("retainer.ingest.worker")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Catch())
    archive = Archive.open(url, vault)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    result = import_file(archive, path, ImportOptions(timezone=TZ))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    archive.close()
    reply({"status": "ok", "wall": wall, "cpu": cpu, "hwm_mb": hwm_mb(),
           "worker_cpu": worker_cpu[0] if worker_cpu else None, "result": result.status,
           "reason": result.reason, "messages": result.messages,
           "new": result.new, "seen_again": result.seen_again})


def child_pg(admin_url: str, action: str) -> None:
    reply(scratch_database(admin_url, PG_NAME, action))


# --------------------------------------------------------------------------------------------
# Parent
# --------------------------------------------------------------------------------------------

def _run(args: list[str], log: Path) -> dict:
    return run_child([sys.executable, __file__, "--child", *args], log)


def _import(url: str, vault: Path, path: Path, log: Path) -> dict:
    answer = _run(["import", url, str(vault), str(path)], log)
    if answer["status"] == "ok" and answer["result"] not in ("imported", "already"):
        answer["status"] = "failed"
        answer["error"] = f"import {answer['result']}: {answer['reason']}"
    return answer


def _row(name: str, answer: dict, messages: int, scan: float | None) -> str:
    if answer["status"] != "ok":
        return f"{name:<28} FAILED: {answer['error']}"
    wall = answer["wall"]
    rate = f"{messages / wall:>12,.0f}" if wall > 0 and messages else f"{'-':>12}"
    vs = f"{wall / scan:>6.1f}x" if scan else f"{'':>7}"
    worker = answer.get("worker_cpu")
    worker_s = f"{worker:>8.2f}" if worker is not None else f"{'-':>8}"
    return (f"{name:<28} {wall:>8.2f} {answer['cpu']:>8.2f} {worker_s} {rate} {vs} "
            f"{answer['hwm_mb']:>8.0f}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        {"scan": child_scan, "import": child_import, "pg": child_pg}[argv[1]](*argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", "-n", type=lambda s: int(s.replace("_", "")),
                    default=1_000_000, help="messages in the first export (default 1,000,000)")
    ap.add_argument("--new", type=int, default=10_000,
                    help="messages the overlapping re-export adds (default 10,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432",
                    help="PostgreSQL server URL, without a database")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    n, extra = args.messages, args.new

    print("retainer import benchmark")
    print(f"command: python {shlex.join(sys.argv)}")
    print(machine())
    first_path, stats, how = export_file(
        out / f"ingest-{n}-s{args.seed}" / "WhatsApp Chat with Bench.txt", n, "android",
        args.seed)
    print(f"export: {n:,} messages, {stats.lines:,} lines, {stats.bytes / 1e6:.1f} MB ({how})")
    overlap_path, _, how = export_file(
        out / f"ingest-{n + extra}-s{args.seed}" / "WhatsApp Chat with Bench.txt", n + extra,
        "android", args.seed)
    print(f"overlapping re-export: {n + extra:,} messages ({how})")
    work = out / f"ingest-archives-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    warm(first_path)
    warm(overlap_path)

    scan = _run(["scan", str(first_path)], work / "scan.log")
    yard = scan["wall"] if scan["status"] == "ok" else None
    print(f"\n{'step':<28} {'wall s':>8} {'cpu s':>8} {'worker s':>8} {'messages/s':>12} "
          f"{'vs scan':>7} {'peak MB':>8}")
    print(_row("regex scan (yardstick)", scan, n, None))
    figures: dict[str, dict] = {}
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "sqlite":
            url = f"sqlite:///{work / 'bench.db'}"
        else:
            made = _run(["pg", args.pg, "create"], work / "pg.log")
            if made["status"] != "ok":
                print(f"postgresql: cannot create the scratch database: {made['error']}")
                continue
            url = f"{args.pg}/{PG_NAME}"
        vault = work / f"vault-{backend}"
        try:
            first = figures[f"{backend} first"] = _import(url, vault, first_path,
                                                         work / f"{backend}-first.log")
            print(_row(f"{backend}: first import", first, n, yard))
            again = figures[f"{backend} again"] = _import(url, vault, first_path,
                                                         work / f"{backend}-again.log")
            print(_row(f"{backend}: re-import (same)", again, 0, yard))
            overlap = figures[f"{backend} overlap"] = _import(url, vault, overlap_path,
                                                             work / f"{backend}-overlap.log")
            print(_row(f"{backend}: overlap (+{extra:,})", overlap, n + extra, yard))
            if overlap["status"] == "ok" and overlap["new"] != extra:
                overlap["status"] = "wrong"
                print(f"  WRONG: the overlap added {overlap['new']:,} messages, not {extra:,}")
        finally:
            if backend == "postgresql":
                _run(["pg", args.pg, "drop"], work / "pg-drop.log")
    print(json.dumps({"yardstick": scan, **figures}, indent=None), file=open(
        work / "figures.json", "w", encoding="utf-8"))
    return _targets(figures, yard)


def _targets(figures: dict[str, dict], yard: float | None) -> int:
    print("\ntargets:")
    ok = True

    def check(label: str, good: bool, detail: str) -> None:
        nonlocal ok
        ok = ok and good
        print(f"  [{'met' if good else 'MISSED'}] {label}: {detail}")

    def wall(key: str) -> float | None:
        answer = figures.get(key)
        return answer["wall"] if answer and answer["status"] == "ok" else None

    first = wall("sqlite first")
    if first and yard:
        check(f"first SQLite import within {TARGET_VS_SCAN}x the regex scan",
              first <= TARGET_VS_SCAN * yard, f"{first / yard:.1f}x ({first:.1f} s)")
    for backend in ("sqlite", "postgresql"):
        again, overlap, base = (wall(f"{backend} again"), wall(f"{backend} overlap"),
                                wall(f"{backend} first"))
        if again is not None:
            check(f"{backend}: identical re-import under {TARGET_REIMPORT_S:.0f} s",
                  again < TARGET_REIMPORT_S, f"{again:.2f} s")
        if overlap is not None and base:
            check(f"{backend}: overlap within a third of the first import",
                  overlap <= TARGET_OVERLAP_SHARE * base, f"{overlap / base:.2f} of it")
        elif figures.get(f"{backend} overlap", {}).get("status") == "wrong":
            check(f"{backend}: overlap adds exactly the new messages", False, "it did not")
    pg = wall("postgresql first")
    if pg and first:
        check(f"PostgreSQL first import within {TARGET_PG_VS_SQLITE}x SQLite",
              pg <= TARGET_PG_VS_SQLITE * first, f"{pg / first:.2f}x ({pg:.1f} s)")
    peaks = [a["hwm_mb"] for a in figures.values() if a.get("status") == "ok"]
    if peaks:
        check(f"peak memory under {TARGET_PEAK_MB} MB", max(peaks) < TARGET_PEAK_MB,
              f"{max(peaks):.0f} MB at most")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
