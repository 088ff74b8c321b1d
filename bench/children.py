"""What the benchmark scripts share: seeded exports cached on disk, and measurements taken in
fresh child processes (so each one's peak memory is its own), reported as one JSON line.

A child prints ``RESULT + json`` as its last line; ``run_child`` returns that object, or one
with ``status: failed`` and the tail of the child's stderr.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.exports import GENERATOR_VERSION, ExportStats, write_export  # noqa: E402

RESULT = "BENCH-RESULT "


def maxrss_mb() -> float:
    """This process's peak RSS so far (on Linux it starts at the parent's high-water mark)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def hwm_mb() -> float | None:
    """Peak RSS of this process image from /proc (Linux; not inherited from the parent)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reply(result: dict) -> None:
    """A child's answer: its last line on stdout."""
    print(RESULT + json.dumps(result), flush=True)


def result_line(stdout: str) -> dict | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT):])
    return None


def run_child(cmd: list[str], log: Path) -> dict:
    """Run ``cmd`` (a Python child) with the project on its path; its reply, or a failure."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env,
                              check=False)
    answer = result_line(proc.stdout)
    if proc.returncode or answer is None:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        return {"status": "failed",
                "error": f"exit status {proc.returncode}; stderr tail ({log}):\n    "
                         + "\n    ".join(tail)}
    return answer


def scratch_database(admin_url: str, name: str, action: str) -> dict:
    """Drop the PostgreSQL database ``name`` on ``admin_url`` (``action`` "drop"), or drop
    and create it afresh with retainer's schema ("create"); a child's reply."""
    from sqlalchemy import create_engine, text

    from retainer.archive import Archive, schema

    admin = create_engine(f"{admin_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if action == "create":
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    if action == "create":
        fresh = Archive.open(f"{admin_url}/{name}", create=False, check_schema=False)
        schema.upgrade(fresh.engine)
        fresh.close()
    return {"status": "ok"}


def generate_child(path: str, n: int, style: str, seed: int) -> None:
    """Child side of ``export_file``: write the export and its stats beside it."""
    t0 = time.perf_counter()
    stats = write_export(path, n, style, seed=seed)  # type: ignore[arg-type]
    Path(path + ".json").write_text(stats.to_json() + "\n", encoding="utf-8")
    reply({"seconds": time.perf_counter() - t0})


def export_file(path: Path, n: int, style: str, seed: int) -> tuple[Path, ExportStats, str]:
    """The export at ``path`` with exactly these parameters: cached, or generated in a
    subprocess (so the caller stays small) when missing or stale."""
    meta = Path(str(path) + ".json")
    if path.exists() and meta.exists():
        try:
            stats = ExportStats.from_json(meta.read_text(encoding="utf-8"))
        except (ValueError, TypeError):
            stats = None
        if (stats is not None and stats.generator == GENERATOR_VERSION
                and stats.messages == n and stats.seed == seed and stats.style == style
                and stats.bytes == path.stat().st_size):
            return path, stats, "cached"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta.unlink(missing_ok=True)
    answer = run_child([sys.executable, str(HERE / "children.py"), str(path), str(n), style,
                        str(seed)], path.parent / "generate.log")
    if answer.get("status") == "failed":
        sys.exit(f"generating {path} failed:\n{answer['error']}")
    stats = ExportStats.from_json(meta.read_text(encoding="utf-8"))
    return path, stats, f"generated in {answer['seconds']:.1f} s"


def warm(path: Path) -> None:
    """Read the file once so every run starts with it in the page cache."""
    with open(path, "rb", buffering=0) as f:
        while f.read(1 << 22):
            pass


def machine() -> str:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return (f"python {platform.python_version()} ({platform.python_implementation()}), "
            f"{platform.system()} {platform.release()}, machine {platform.machine()}, "
            f"{os.cpu_count()} CPUs" + (f" ({affinity} usable)" if affinity else "")
            + f"; processor: {cpu_model()}")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":  # the generator child
    generate_child(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
