"""The HTML compliance report in a real headless browser (Debian's ``chromium``): it renders
(a screenshot that is a real, non-blank PNG), its DOM shows the numbers and the legal basis,
it prints to PDF, and loading it makes no network request (Chromium's own NetLog says so).

Skipped, saying why, when chromium is not installed; with ``CI=true`` that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from retainer.reports.html import render_html
from tests.reports.pages import Page
from tests.reports.reports import GENERATED, ZONES, report

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-default-browser-check", "--hide-scrollbars",
         # The browser itself still phones home (update and account checks) whatever the
         # flags say; resolve no host at all, so that a test run sends nothing anywhere.
         "--host-resolver-rules=MAP * ~NOTFOUND"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH, HEIGHT = 1280, 2000


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    return found


def browse(chromium: str, folder: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    """One headless run with a private profile; stderr is Chromium's chatter (D-Bus...)."""
    profile = folder / f"profile-{len(list(folder.glob('profile-*')))}"
    done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args, url],
                          capture_output=True, timeout=180, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    path = folder / "report.html"
    path.write_text(render_html(report(), generated_at=GENERATED, zones=ZONES),
                    encoding="utf-8")
    return path


def png_header(data: bytes) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from a PNG's IHDR chunk, after checking the
    signature and the chunk's CRC."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    body = data[16:16 + length]
    (crc,) = struct.unpack(">I", data[16 + length:20 + length])
    assert zlib.crc32(kind + body) == crc
    width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    return width, height, depth, colour


def screenshot(chromium: str, folder: Path, url: str) -> bytes:
    shot = folder / f"shot-{len(list(folder.glob('shot-*')))}.png"
    browse(chromium, folder, url, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}")
    return shot.read_bytes()


def test_screenshot_is_a_real_picture_of_the_report(chromium, page, tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    data = screenshot(chromium, tmp_path, page.as_uri())
    empty = screenshot(chromium, tmp_path, blank.as_uri())
    assert png_header(data)[:2] == (WIDTH, HEIGHT)
    assert png_header(empty)[:2] == (WIDTH, HEIGHT)
    assert len(data) > 10 * len(empty), (len(data), len(empty))
    try:
        from PIL import Image  # present wherever matplotlib is; not a dependency of ours
    except ImportError:
        return
    with Image.open(tmp_path / "shot-0.png") as image:
        pixels = image.convert("RGB")
        colours = pixels.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 100                       # text, charts, chips: not blank
        white = max(n for n, rgb in colours if rgb == (255, 255, 255))
        assert white < 0.97 * WIDTH * HEIGHT
        vermillion = sum(n for n, rgb in colours if rgb == (0xD5, 0x5E, 0x00))
        assert vermillion > 200                         # the overdue bars and chips


def test_rendered_dom_shows_the_numbers_and_the_legal_basis(chromium, page, tmp_path):
    dom = Page(browse(chromium, tmp_path, page.as_uri(), "--dump-dom").stdout.decode())
    assert (dom.text("n-subject"), dom.text("n-share"), dom.text("n-overdue"),
            dom.text("n-soon")) == ("8", "33%", "2", "1")
    legal = dom.text("legal-basis")
    assert "44 U.S.C. § 2911(a)" in legal and "§ 2911(b)" in legal and "part 1230" in legal
    assert "&lt;script&gt;" not in dom.text("list-overdue")
    assert "<script>alert(1)</script>" in dom.text("list-overdue")  # shown as text...
    assert "script" not in dom.tags                                  # ...never run
    assert dom.tags.count("svg") == 2


def test_prints_to_pdf(chromium, page, tmp_path):
    pdf = tmp_path / "report.pdf"
    browse(chromium, tmp_path, page.as_uri(), f"--print-to-pdf={pdf}",
           "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(
        b"/Type /Page>") >= 2


def page_requests(netlog: Path) -> list[str]:
    """URLs the page asked the network stack for, from a Chromium NetLog: the requests whose
    top frame is the file:// page (the browser's own housekeeping has another or none)."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [event["params"]["url"] for event in log["events"]
            if event["type"] == start and "file://" in event["params"].get(
                "network_isolation_key", "")]


def test_loading_the_report_makes_no_network_request(chromium, page, tmp_path):
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><p>x</p><img src="http://retainer-test.invalid/a.png">',
                     encoding="utf-8")
    browse(chromium, tmp_path, leaky.as_uri(), f"--log-net-log={tmp_path / 'leaky.json'}",
           "--dump-dom")
    assert page_requests(tmp_path / "leaky.json") == ["http://retainer-test.invalid/a.png"]
    browse(chromium, tmp_path, page.as_uri(), f"--log-net-log={tmp_path / 'report.json'}",
           "--dump-dom")
    assert page_requests(tmp_path / "report.json") == []
