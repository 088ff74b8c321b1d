"""`retainer import` shows a progress bar on a terminal, and none in a cron log."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys

from tests.ingest.chats import ANDROID, write_export

MESSAGES = [(f"2026-12-14T22:{m:02d}", "Dana Reyes", f"lane {m} open") for m in range(30)]


def command(tmp_path) -> list[str]:
    path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, MESSAGES)
    return [sys.executable, "-m", "retainer", "--db", f"sqlite:///{tmp_path / 'a.db'}",
            "import", "--tz", "America/Los_Angeles", str(path)]


def test_a_terminal_gets_a_bar_then_the_lines(tmp_path):
    leader, follower = pty.openpty()
    proc = subprocess.Popen(command(tmp_path), stdin=follower, stdout=follower, stderr=follower,
                            env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait(timeout=30) == 0
    text = output.decode("utf-8", "replace")
    assert "importing" in text
    bar_end = text.rindex("importing")
    assert text.index("imported  ") > bar_end  # the file's line comes after the bar
    assert "total: 1 files" in text


def test_a_cron_log_gets_lines_and_no_bar(tmp_path):
    done = subprocess.run(command(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "importing" not in done.stdout + done.stderr
    assert done.stdout.startswith("imported  ") and "total: 1 files" in done.stdout
