#!/usr/bin/env python3
"""Search benchmark: import a seeded archive, then time query shapes on SQLite and PostgreSQL.

    python bench/search.py                                 # 1,000,000 messages, both backends
    python bench/search.py --messages 100000 --backend sqlite
    python bench/search.py --runs 30 --chats 10 --keep    # keep the archives afterwards

It writes ``--chats`` Android exports (seeded; cached in ``--out``) whose words follow a Zipf
law over a 40,000-word vocabulary (so there are rare and common words, as in real chats), with
accents, emoji and a few planted rare words; imports them through the real importer (one
transaction per file, the index kept by the import), timing the whole import; measures what
keeping the index costs by importing one chat in one process into two fresh archives, with
and without it; rebuilds the whole index once (the migration's bulk path); then times each
query shape ``--runs`` times, each run with a different word of the same frequency
class, through ``retainer.search.engine.search`` (20 results, excerpts included), and once
more through ``access.logged_search`` (the command's path, with its audit entry).

PostgreSQL: a scratch database ``retainer_bench_search`` on ``--pg`` (default
``postgresql://postgres@127.0.0.1:5432``) is created and dropped at the end (``--keep`` keeps
it); ANALYZE runs after the import, as autovacuum would.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from retainer.archive import Archive, schema  # noqa: E402
from retainer.ingest.export import ImportOptions  # noqa: E402
from retainer.ingest.pipeline import import_file  # noqa: E402
from retainer.search import index  # noqa: E402
from retainer.search.access import logged_search  # noqa: E402
from retainer.search.engine import search  # noqa: E402
from retainer.search.filters import Filters  # noqa: E402
from retainer.search.query import parse  # noqa: E402

GENERATOR_VERSION = 1
VOCABULARY = 40_000
AUTHORS = ("Dana Reyes", "Marcus Bell", "Elena Vargas", "Priya Nair", "Luis Ortega",
           "+1 (619) 555-0142", "Tomás Ibáñez")
EMOJI = ("👍", "🙏", "😂", "✅", "🚧", "🔥", "❤️", "👍🏽")
ACCENTED = ("aduána", "garita", "mañana", "está", "inspección", "Tijuana", "café")
PLANTED = "zephyrine"
"""A word planted in about 1 message in 50,000."""
START = dt.datetime(2019, 1, 2, 7, 0)
SYLLABLES = [a + b for a in "bcdfghjklmnprstvz" for b in "aeiou"]


def vocabulary(rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words, key=lambda w: (len(w), w))  # short words are the common ones


def write_chat(path: Path, n: int, seed: int, vocab: list[str]) -> None:
    rng = random.Random(seed)
    cum = list(itertools.accumulate(1 / (r + 1) ** 1.07 for r in range(len(vocab))))
    t = START + dt.timedelta(minutes=seed)
    lines = []
    for _ in range(n):
        t += dt.timedelta(seconds=rng.choice((5, 20, 45, 90, 300, 1200, 3600)))
        k = min(30, 2 + int(rng.expovariate(1 / 7)))
        words = rng.choices(vocab, cum_weights=cum, k=k)
        r = rng.random()
        if r < 0.10:
            words.append(rng.choice(EMOJI))
        elif r < 0.16:
            words.insert(rng.randrange(len(words)), rng.choice(ACCENTED))
        if rng.random() < 1 / 50_000:
            words.append(PLANTED)
        hour = t.hour % 12 or 12
        stamp = f"{t.month}/{t.day}/{t.year % 100:02d}, {hour}:{t.minute:02d}\u202f" \
                f"{'AM' if t.hour < 12 else 'PM'}"
        author = AUTHORS[min(int(rng.expovariate(0.6)), len(AUTHORS) - 1)]
        lines.append(f"{stamp} - {author}: {' '.join(words)}\n")
    part = path.with_name(path.name + ".part")
    part.write_text("".join(lines), encoding="utf-8")
    part.replace(path)


def exports(out: Path, messages: int, chats: int) -> list[Path]:
    vocab = vocabulary(random.Random(7))
    paths = []
    per_chat = messages // chats
    for c in range(chats):
        path = out / f"search-v{GENERATOR_VERSION}-{messages}-{c}" / \
            f"WhatsApp Chat with Bench {c:02d}.txt"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_chat(path, per_chat, 1000 + c, vocab)
        paths.append(path)
    return paths


def shapes(vocab: list[str], runs: int) -> list[tuple[str, list[str], dict, str]]:
    """(name, queries, filters, sort) per shape: each run uses the next query."""
    rng = random.Random(3)
    common = vocab[20:20 + runs]          # each in roughly 1-3 % of messages
    middle = vocab[300:300 + runs]        # about 0.1 %
    rare = rng.sample(vocab[25_000:], runs)  # a handful of messages each
    prefixes = sorted({w[:3] for w in vocab[:400]})[:runs]
    return [
        ("rare word", rare, {}, "newest"),
        ("common word", common, {}, "newest"),
        ("common word, by relevance", common, {}, "relevance"),
        ("phrase (2 common words)", [f'"{a} {b}"' for a, b in zip(common, common[1:] + common[:1],
                                                                     strict=True)], {}, "newest"),
        ("prefix (3 letters)", [p + "*" for p in prefixes], {}, "newest"),
        ("common word + chat", common, {"chat": "Bench 01"}, "newest"),
        ("middle word + month", middle, {"month": True}, "newest"),
        ("2 words + person", [f"{a} {b}" for a, b in zip(middle, common, strict=True)],
         {"person": "Dana Reyes"}, "newest"),
        ("emoji", [":thumbs_up:", ":fire:", ":red_heart:", "👍"] * (runs // 4 + 1), {},
         "newest"),
    ]


def run_queries(archive: Archive, vocab: list[str], runs: int) -> list[tuple[str, float, float,
                                                                              int]]:
    results = []
    every: list[float] = []
    for name, queries, options, sort in shapes(vocab, runs):
        times, found = [], 0
        for n in range(runs):
            filters = Filters(chat=options.get("chat"), person=options.get("person"))
            if options.get("month"):
                first = START + dt.timedelta(days=30 * (n % 12))
                filters = Filters(since=first.replace(tzinfo=dt.UTC),
                                  until=(first + dt.timedelta(days=31)).replace(tzinfo=dt.UTC))
            query = parse(queries[n % len(queries)])
            with archive.read() as session:
                began = time.perf_counter()
                hits = search(session, query, filters, limit=20, sort=sort)
                times.append(time.perf_counter() - began)
            found += len(hits)
        every += times
        results.append((name, statistics.median(times) * 1000, _p95(times) * 1000,
                        found // runs))
    results.append(("all shapes together", statistics.median(every) * 1000,
                    _p95(every) * 1000, None))
    return results


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def index_share(url_for, path: Path, workdir: Path) -> tuple[float, float]:
    """(seconds with the index, seconds without) importing ``path`` in one process into two
    fresh archives: the work keeping the index adds, whatever the import worker overlaps."""
    from unittest import mock

    import retainer.ingest.export as export_module
    import retainer.ingest.prepare as prepare_module

    spent = []
    for indexing in (True, False):
        archive = Archive.open(url_for(indexing), workdir / f"vault-share-{indexing}")
        with mock.patch.dict(os.environ, {"RETAINER_IMPORT_WORKER": "never"}), \
                contextlib.ExitStack() as patches:
            if not indexing:
                patches.enter_context(mock.patch.object(prepare_module, "prepare_rows",
                                                        lambda dialect, rows: []))
                patches.enter_context(mock.patch.object(export_module, "insert_rows",
                                                        lambda *args: 0))
            began = time.perf_counter()
            result = import_file(archive, path, ImportOptions(timezone="America/Los_Angeles"))
            spent.append(time.perf_counter() - began)
            assert result.status == "imported", result
        archive.close()
    return spent[0], spent[1]


def bench_backend(backend: str, url: str, paths: list[Path], vocab: list[str],
                  runs: int, workdir: Path, url_for) -> dict:
    archive = Archive.open(url, workdir / f"vault-{backend}")
    began = time.perf_counter()
    for path in paths:
        result = import_file(archive, path, ImportOptions(timezone="America/Los_Angeles"))
        assert result.status == "imported", result
    total = time.perf_counter() - began
    with_index, without = index_share(url_for, paths[0], workdir)
    with archive.engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("ANALYZE"))
        began = time.perf_counter()
        rows = index.rebuild(conn)
        rebuild = time.perf_counter() - began
        if backend == "postgresql":
            conn.execute(text("ANALYZE search_index"))
    with archive.engine.begin() as conn:  # sync_people as the CLI would, for --person
        conn.execute(text("DELETE FROM person_accounts"))
        conn.execute(text("INSERT INTO person_accounts (key, person, official) "
                          "VALUES ('Dana Reyes', 'Dana Reyes', :f)"), {"f": False})
    queries = run_queries(archive, vocab, runs)
    logged = []
    for _ in range(runs):
        began = time.perf_counter()
        logged_search(archive, vocab[20], Filters(), operator="bench")
        logged.append(time.perf_counter() - began)
    archive.close()
    return {"import": total, "with_index": with_index, "without_index": without,
            "rebuild": rebuild, "rows": rows,
            "queries": queries, "logged": statistics.median(logged) * 1000}


def report(backend: str, messages: int, figures: dict) -> None:
    added = figures["with_index"] / figures["without_index"] - 1
    print(f"\n== {backend}: {messages:,} messages ==")
    print(f"import {figures['import']:.1f} s; one chat imported in one process: "
          f"{figures['with_index']:.1f} s with the index, {figures['without_index']:.1f} s "
          f"without (+{100 * added:.0f} %); full rebuild of the index "
          f"{figures['rebuild']:.1f} s ({figures['rows']:,} rows)")
    print(f"{'shape':<28} {'median ms':>10} {'p95 ms':>8} {'hits':>5}")
    for name, median, p95, hits in figures["queries"]:
        print(f"{name:<28} {median:>10.1f} {p95:>8.1f} {'' if hits is None else hits:>5}")
    print(f"logged search (with its audit entry), common word: median "
          f"{figures['logged']:.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--chats", type=int, default=10)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="Keep the archives.")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    paths = exports(args.out, args.messages, args.chats)
    vocab = vocabulary(random.Random(7))
    print(f"exports ready in {time.perf_counter() - began:.1f} s: {len(paths)} chats of "
          f"{args.messages // args.chats:,} messages; {os.cpu_count()} CPUs")
    workdir = args.out / f"search-archives-{args.messages}"
    workdir.mkdir(exist_ok=True)
    if args.backend in ("sqlite", "both"):
        db = workdir / "bench.db"
        for leftover in [*workdir.glob("bench.db*"), *workdir.glob("share-*.db*")]:
            leftover.unlink()
        report("sqlite", args.messages, bench_backend(
            "sqlite", f"sqlite:///{db}", paths, vocab, args.runs, workdir,
            lambda indexing: f"sqlite:///{workdir / f'share-{indexing}.db'}"))
    if args.backend in ("postgresql", "both"):
        admin = create_engine(f"{args.pg}/postgres", isolation_level="AUTOCOMMIT")
        name = "retainer_bench_search"
        names = [name, f"{name}_share_true", f"{name}_share_false"]
        for each in names:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{each}"'))
            fresh = Archive.open(f"{args.pg}/{each}", create=False, check_schema=False)
            schema.upgrade(fresh.engine)
            fresh.close()
        try:
            report("postgresql", args.messages, bench_backend(
                "postgresql", f"{args.pg}/{name}", paths, vocab, args.runs, workdir,
                lambda indexing: f"{args.pg}/{name}_share_{str(indexing).lower()}"))
        finally:
            with admin.connect() as conn:
                for each in names[0 if not args.keep else 1:]:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
