#!/usr/bin/env python3
"""Parse benchmark: retainer's export reader against a bare regex scan, whatstk and chat-miner.

    python bench/parse.py                                  # 1,000,000 Android messages, all
    python bench/parse.py --messages 100000 --style both
    python bench/parse.py --messages 5000000 --skip-others # retainer's peak memory at 5M
    python bench/parse.py --repeat 3 --check

It writes a seeded export of N messages (``bench/exports.py``; cached in ``--out``, default
``bench/out/``, and reused when N, seed and generator version match), then parses it once per
library, each time IN A FRESH SUBPROCESS, so a library's peak memory is its own. The child
measures wall and CPU seconds around the parse only, and ``getrusage(RUSAGE_SELF).ru_maxrss``
right after its imports ("base", the interpreter plus the library's modules) and after the
parse ("peak"); "peak - base" is what the parse itself added.

Libraries:

* ``retainer``: ``read_export(path).batches()``, counting rows (the importer's fast path);
  the time includes ``read_export`` (format sniffing and the date-order pass).
* ``regex-scan``: the yardstick, a bare compiled-regex scan of the lines
  (``for line in f: rx.match(line)`` with a simple header regex), no message is built.
* ``regex-split``: the floor for any pure-Python reader: the text read in 256 KiB chunks, one
  ``finditer`` of a header regex with groups over each chunk, and for each message a tuple of
  its date and time (looked up in dicts, as a real reader must), author and text; no kinds, no
  invisible marks, no line numbers, no checks.
* ``whatstk``: ``WhatsAppChat.from_source(filepath=..., hformat=..., max_size=None)`` with the
  header format given, so it does not auto-detect; ``max_size=None`` lifts its 50 MB cap.
* ``chat-miner``: ``WhatsAppParser(path).parse_file()`` then ``parsed_messages.get_df()``.

whatstk and chat-miner are skipped with a note when not installed (``--skip-others`` skips
them). Both drop lines with no ``"Name: "`` (Android notices), so they are expected to find
N minus those; any other disagreement is printed. retainer must find exactly N messages or the
run fails (exit status 1); ``--check`` also compares its kinds, edited flags and attachments
with what the generator wrote (in an untimed second pass, after the peak is taken).

Note on memory: on Linux, a child's ``ru_maxrss`` starts at its parent's high-water mark
(it is carried across fork and exec), so this parent stays small: it imports no parser and
writes the export in a subprocess too. The child also reads ``VmHWM`` from
``/proc/self/status`` (not inherited) and a disagreement is flagged.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.children import (  # noqa: E402
    cpu_model,
    export_file,
    hwm_mb,
    maxrss_mb,
    reply,
    run_child,
    warm,
)
from bench.exports import STYLES, ExportStats  # noqa: E402

LIBS = ("retainer", "regex-scan", "regex-split", "whatstk", "chat-miner")
OTHERS = ("whatstk", "chat-miner")
MODULES = {"whatstk": "whatstk", "chat-miner": "chatminer"}
DISTRIBUTIONS = {"whatstk": "whatstk", "chat-miner": "chat-miner"}

TARGET_RATE = 300_000
TARGET_PEAK_MB = 100
TARGET_VS = {"whatstk": 10, "chat-miner": 30}

# The yardstick's "simple header regex", one per style.
YARDSTICK = {
    "android": r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}\s?[AP]M - ",
    "ios": r"\u200e?\[\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}:\d{2}\s?[AP]M\] ",
}
# The floor's header regex (date and time as groups), one per style.
SPLIT = {
    "android": r"^(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2}\s?[AP]M) - ",
    "ios": r"^\u200e?\[(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2}:\d{2}\s?[AP]M)\] ",
}
# whatstk header formats for the generated files (it turns U+202F into a space first).
WHATSTK_HFORMAT = {
    "android": "%m/%d/%y, %I:%M %p - %name:",
    "ios": "[%m/%d/%y, %I:%M:%S %p] %name:",
}


# --------------------------------------------------------------------------------------------
# Child side: one library, one parse, one JSON line on stdout.
# --------------------------------------------------------------------------------------------

def _child(lib: str, path: str, style: str, expected: str | None) -> None:
    result: dict[str, object] = {"lib": lib}
    try:
        run = _prepare(lib, path, style)
    except ImportError as exc:
        reply({"lib": lib, "status": "missing", "error": str(exc)})
        return
    result["base_mb"] = maxrss_mb()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    found = run()
    result["wall"] = time.perf_counter() - wall0
    result["cpu"] = time.process_time() - cpu0
    result["peak_mb"] = maxrss_mb()
    result["hwm_mb"] = hwm_mb()
    result["found"] = found
    result["status"] = "ok"
    if expected is not None and lib == "retainer":
        result["check"] = _check_retainer(path, ExportStats.from_json(expected))
    reply(result)


def _prepare(lib: str, path: str, style: str):
    """Import the library (before the baseline is taken) and return the timed parse."""
    if lib == "retainer":
        from retainer.formats import read_export

        def run() -> int:
            n = 0
            for rows in read_export(path).batches():
                n += len(rows)
            return n
        return run
    if lib == "regex-scan":
        import re
        rx = re.compile(YARDSTICK[style])

        def run() -> int:
            n = 0
            match = rx.match
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if match(line):
                        n += 1
            return n
        return run
    if lib == "regex-split":
        import re
        finditer = re.compile(SPLIT[style], re.M).finditer

        def run() -> int:
            n = 0
            dates: dict[str, str] = {}
            times: dict[str, str] = {}
            carry = ""
            with open(path, encoding="utf-8") as f:
                while True:
                    data = f.read(1 << 18)
                    text = carry + data
                    rows = []
                    append = rows.append
                    start = head = -1  # where the open message's body and header start
                    sent = ""
                    for m in finditer(text):
                        d, t = m.group(1, 2)
                        day = dates.get(d)
                        if day is None:
                            day = dates[d] = d
                        clock = times.get(t)
                        if clock is None:
                            clock = times[t] = t
                        if start >= 0:
                            author, _, body = text[start:m.start() - 1].partition(": ")
                            append((sent, author, body))
                        sent, start, head = day + clock, m.end(), m.start()
                    if not data:
                        if start >= 0:
                            append((sent, *text[start:].rstrip("\n").partition(": ")))
                        return n + len(rows)
                    # the last message may go on in the next chunk: read it again from there
                    carry = text[head:] if start >= 0 else text
                    n += len(rows)
        return run
    if lib == "whatstk":
        from whatstk import WhatsAppChat

        def run() -> int:
            chat = WhatsAppChat.from_source(filepath=path, hformat=WHATSTK_HFORMAT[style],
                                            max_size=None)
            return len(chat.df)
        return run
    if lib == "chat-miner":
        from chatminer.chatparsers import WhatsAppParser

        def run() -> int:
            parser = WhatsAppParser(path)
            parser.parse_file()
            df = parser.parsed_messages.get_df()
            return len(df)
        return run
    raise SystemExit(f"unknown library {lib!r}")


def _check_retainer(path: str, stats: ExportStats) -> list[str]:
    """Differences between retainer's rows and what the generator wrote (empty: all agree)."""
    from retainer.formats import read_export

    kinds: dict[str, int] = dict.fromkeys(stats.kinds, 0)
    edited = attachments = multiline = 0
    export = read_export(path)
    for rows in export.batches():
        for row in rows:
            kinds[row[5]] = kinds.get(row[5], 0) + 1
            edited += row[6]
            attachments += row[7] is not None
            multiline += "\n" in row[4]
    problems = []
    if kinds != stats.kinds:
        problems.append(f"kinds {kinds} != written {stats.kinds}")
    for name, got, want in (("edited", edited, stats.edited),
                            ("attachments", attachments, stats.attachments),
                            ("multi-line", multiline, stats.multiline)):
        if got != want:
            problems.append(f"{name} {got:,} != written {want:,}")
    if export.defects:
        problems.append(f"{len(export.defects)} defects, first: {export.defects[0]}")
    if export.date_order != "MDY" or export.family != stats.style:
        problems.append(f"read as {export.family} {export.date_order}, "
                        f"written as {stats.style} MDY")
    return problems


# --------------------------------------------------------------------------------------------
# Parent side.
# --------------------------------------------------------------------------------------------

def _run_child(lib: str, path: Path, style: str, stats: ExportStats, check: bool,
               log: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", lib, str(path), style]
    if check and lib == "retainer":
        cmd += ["--expected", stats.to_json()]
    answer = run_child(cmd, log)
    answer.setdefault("lib", lib)
    return answer


def _expected(lib: str, stats: ExportStats) -> tuple[int, str]:
    if lib in OTHERS:
        return stats.messages - stats.authorless, "N minus notices without an author"
    return stats.messages, "N"


def _version(lib: str) -> str:
    if lib == "retainer":
        try:
            rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            rev = ""
        return f"retainer (working tree{', HEAD ' + rev if rev else ''})"
    if lib in ("regex-scan", "regex-split"):
        return f"{lib} (re, stdlib)"
    try:
        return f"{lib} {importlib.metadata.version(DISTRIBUTIONS[lib])}"
    except importlib.metadata.PackageNotFoundError:
        return f"{lib} not installed"


def _installed(lib: str) -> bool:
    return lib not in MODULES or importlib.util.find_spec(MODULES[lib]) is not None


def _bench_style(args: argparse.Namespace, style: str, libs: list[str]) -> bool:
    path, stats, how = export_file(args.out / f"{style}-{args.messages}-s{args.seed}.txt",
                                   args.messages, style, args.seed)
    warm(path)
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(f"\n== {style}: {shown} ({stats.bytes / 1e6:.1f} MB, {stats.messages:,} messages, "
          f"{stats.lines:,} lines; {how})")
    k = stats.kinds
    print(f"   written: {k['text']:,} text ({stats.multiline:,} multi-line, {stats.edited:,} "
          f"edited), {k['media']:,} media ({stats.attachments:,} named files), "
          f"{k['system']:,} system, {k['deleted']:,} deleted")

    ok = True
    results: dict[str, dict] = {}
    notes: list[str] = []
    for lib in libs:
        if not _installed(lib):
            notes.append(f"{lib}: skipped, not installed (pip install {DISTRIBUTIONS[lib]})")
            continue
        runs = []
        for r in range(args.repeat):
            log = args.out / f"{lib}-{style}.log"
            print(f"   running {lib}" + (f" ({r + 1}/{args.repeat})" if args.repeat > 1 else "")
                  + " ...", end="", flush=True)
            reply = _run_child(lib, path, style, stats, args.check and r == 0, log)
            if reply["status"] != "ok":
                print(f" {reply['status']}")
                notes.append(f"{lib}: {reply['status']}: {reply.get('error', '')}")
                break
            print(f" {reply['wall']:.2f} s")
            runs.append(reply)
        if not runs:
            if lib == "retainer":
                ok = False
            continue
        best = min(runs, key=lambda x: x["wall"])
        best = dict(best, peak_mb=max(x["peak_mb"] for x in runs),
                    walls=[x["wall"] for x in runs])
        results[lib] = best
        want, meaning = _expected(lib, stats)
        if any(x["found"] != want for x in runs):
            notes.append(f"{lib}: found {best['found']:,} messages, expected {want:,} "
                         f"({meaning})")
            if lib == "retainer":
                ok = False
        if best["wall"] > 1.15 * best["cpu"] and best["wall"] > 1:
            notes.append(f"{lib}: wall time {best['wall']:.1f} s exceeds CPU time "
                         f"{best['cpu']:.1f} s by {best['wall'] / best['cpu'] - 1:.0%}: the "
                         "machine was busy; compare CPU seconds or rerun with --repeat")
        hwm = [x["hwm_mb"] for x in runs if x.get("hwm_mb") is not None]
        if hwm and abs(max(hwm) - best["peak_mb"]) > 5:
            notes.append(f"{lib}: ru_maxrss peak {best['peak_mb']:.0f} MB but VmHWM "
                         f"{max(hwm):.0f} MB (parent's memory leaking into ru_maxrss?)")
        for r in runs:
            if "check" in r:
                if r["check"]:
                    ok = False
                    notes.extend(f"retainer --check: {p}" for p in r["check"])
                else:
                    notes.append("retainer --check: kinds, edited flags, attachments and "
                                 "multi-line bodies all match what was written")
    _table(results, stats, args.repeat)
    _targets(results, style)
    for note in notes:
        print(f"   note: {note}")
    return ok


def _table(results: dict[str, dict], stats: ExportStats, repeat: int) -> None:
    if not results:
        return
    base = results.get("retainer")
    base_rate = stats.messages / base["wall"] if base else None
    head = ("library", "messages", "wall s", "cpu s", "msgs/s", "base MB", "peak MB",
            "parse MB", "retainer is")
    rows = []
    for lib, r in results.items():
        rate = r["found"] / r["wall"] if r["wall"] else float("inf")
        if base_rate is None or lib == "retainer":
            vs = "-" if base_rate is None else "1.00x"
        else:
            ratio = base_rate / rate
            vs = f"{ratio:.1f}x faster" if ratio >= 1 else f"{1 / ratio:.1f}x slower"
        rows.append((lib, f"{r['found']:,}", f"{r['wall']:.2f}", f"{r['cpu']:.2f}",
                     f"{rate:,.0f}", f"{r['base_mb']:.0f}", f"{r['peak_mb']:.0f}",
                     f"{r['peak_mb'] - r['base_mb']:.0f}", vs))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    line = "   " + "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}"
                             for i, w in enumerate(widths))
    print()
    print(line.format(*head))
    print("   " + "  ".join("-" * w for w in widths))
    for row in rows:
        print(line.format(*row))
    print(f"   (wall/cpu: {'best of ' + str(repeat) + ' runs' if repeat > 1 else 'one run'}; "
          "msgs/s = messages found / wall s; peak = ru_maxrss after the parse"
          f"{', highest of the runs' if repeat > 1 else ''}; base = after imports)")
    if repeat > 1:
        for lib, r in results.items():
            walls = r["walls"]
            print(f"   {lib} wall s per run: {', '.join(f'{w:.2f}' for w in walls)} "
                  f"(median {statistics.median(walls):.2f})")


def _targets(results: dict[str, dict], style: str) -> None:
    r = results.get("retainer")
    if r is None:
        return
    rate = r["found"] / r["wall"]
    checks = [(f"retainer >= {TARGET_RATE:,} msgs/s", rate >= TARGET_RATE,
               f"{rate:,.0f} ({rate / TARGET_RATE:.2f} of target)"),
              (f"retainer peak < {TARGET_PEAK_MB} MB", r["peak_mb"] < TARGET_PEAK_MB,
               f"{r['peak_mb']:.0f} MB")]
    for lib, times in TARGET_VS.items():
        other = results.get(lib)
        if other is not None:
            ratio = rate / (other["found"] / other["wall"])
            checks.append((f">= {times}x {lib}", ratio >= times, f"{ratio:.1f}x"))
    y = results.get("regex-scan")
    floor = results.get("regex-split")
    print("   targets: " + "; ".join(f"{name}: {'PASS' if good else 'FAIL'} ({detail})"
                                       for name, good, detail in checks))
    if y is not None:
        print(f"   retainer takes {r['wall'] / y['wall']:.2f}x the bare regex scan's time"
              + (f"; the pure-Python floor (regex-split) takes {floor['wall'] / y['wall']:.2f}x"
                 if floor is not None else ""))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        expected = None
        if "--expected" in argv:
            expected = argv[argv.index("--expected") + 1]
        _child(argv[1], argv[2], argv[3], expected)
        return 0

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", "-n", type=lambda s: int(s.replace("_", "")),
                    default=1_000_000, help="messages in the export (default 1,000,000)")
    ap.add_argument("--style", choices=(*STYLES, "both"), default="android",
                    help="export style (default android)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--out", type=Path, default=HERE / "out",
                    help="where exports are cached (default bench/out/)")
    ap.add_argument("--skip-others", action="store_true",
                    help="run only retainer and the regex yardstick")
    ap.add_argument("--repeat", type=int, default=1, metavar="K",
                    help="run each library K times, fresh process each, report the best")
    ap.add_argument("--check", action="store_true",
                    help="also check retainer's kinds, edits and attachments against the "
                         "generator's counts (untimed second pass)")
    args = ap.parse_args(argv)
    if args.messages < 1 or args.repeat < 1:
        ap.error("--messages and --repeat must be at least 1")
    args.out = args.out.resolve()

    libs = [lib for lib in LIBS if not (args.skip_others and lib in OTHERS)]
    styles = list(STYLES) if args.style == "both" else [args.style]
    print("retainer parse benchmark")
    print(f"command: python {shlex.join(sys.argv)}")
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    print(f"python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.system()} {platform.release()}, machine {platform.machine()}, "
          f"{os.cpu_count()} CPUs" + (f" ({affinity} usable)" if affinity else ""))
    print(f"processor: {cpu_model()}")
    print("libraries: " + "; ".join(_version(lib) for lib in libs))
    if args.skip_others:
        print("(--skip-others: whatstk and chat-miner not run)")
    ok = True
    for style in styles:
        ok = _bench_style(args, style, libs) and ok
    if not ok:
        print("\nFAILED: retainer did not read the export as written (see notes)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
