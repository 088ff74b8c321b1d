"""The HTML compliance report as a string: escaping, sections, inline charts, no network,
determinism. The browser test (test_html_browser.py) renders it for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import retainer
from retainer.reports import charts
from retainer.reports.html import render_html
from tests.reports.pages import Page
from tests.reports.reports import AS_OF, GENERATED, HOSTILE, VERDICTS, ZONES, report, verdict

ROOT = Path(__file__).resolve().parents[2]


def html(**kwargs) -> str:
    return render_html(report(**kwargs.pop("filters", {})), generated_at=GENERATED,
                       zones=kwargs.pop("zones", ZONES), **kwargs)


def test_message_text_and_titles_are_escaped():
    page = html()
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in page
    assert "Bridge &lt;b&gt;Ops&lt;/b&gt;" in page and "<b>Ops</b>" not in page
    assert "&lt;fictional-1@mail.example.com&gt;" in page  # the Message-ID
    assert HOSTILE in Page(page).text("list-overdue")  # what the reader sees: the text


def test_every_section_is_there():
    page = Page(html())
    for ident in ("headline", "custodians", "monthly", "messages", "list-overdue", "list-late",
                  "list-incomplete", "list-soon", "list-pending", "list-ontime", "list-exempt",
                  "legal-basis"):
        assert ident in page.text_by_id, ident
    assert page.text("n-subject") == "8"          # 9 messages, one exempt
    assert page.text("n-share") == "33%"          # copied + forwarded = 2 of 6 decided
    assert (page.text("n-overdue"), page.text("n-soon")) == ("2", "1")
    assert "Overdue (2)" in page.text("list-overdue")
    assert "Late (1)" in page.text("list-late") and "4 days late" in page.text("list-late")
    assert "Incomplete (1)" in page.text("list-incomplete")
    assert "Due within 7 days (1)" in page.text("list-soon")
    assert "3 days left" in page.text("list-soon")
    assert "Other pending (1)" in page.text("list-pending")
    legal = page.text("legal-basis")
    for words in ("§ 2911(a)", "§ 2911(a)(1)", "§ 2911(a)(2)", "§ 2911(b)", "§ 1236.22",
                  "part 1230", "20 days", "only messages a custodian sent are counted"):
        assert words in legal, words


def test_evidence_for_each_kind_is_on_demand_and_printed():
    page = html()
    assert page.count("<details>") == 9 and page.count('<div class="print-only">') == 9
    ontime = Page(page).text("list-ontime")
    assert "+1 (202) 555-0199" in ontime and "archived message #1234" in ontime
    assert "ab" * 32 in ontime and "official.mbox#1" in ontime and "Complete copy yes" in ontime
    assert "2026-10-12 20:15 PDT" not in ontime        # Ben is in Phoenix
    assert "2026-10-12 20:15 MST" in ontime
    incomplete = Page(page).text("list-incomplete")
    assert "Complete copy no" in incomplete and "cd" * 32 in incomplete
    assert "No copy of this message in an official account" in Page(page).text("list-overdue")


def test_deadlines_in_the_custodians_zone_or_utc():
    assert "2026-09-23 21:17 PDT" in html()
    assert "2026-09-24 04:17 UTC" in html(zones={})


def test_charts_are_inline_svg_and_nothing_is_fetched():
    page = html()
    parsed = Page(page)
    assert parsed.tags.count("svg") == 2
    assert not {"img", "script", "link", "iframe", "object", "embed", "image"} & set(
        parsed.tags)
    assert parsed.remote() == []
    assert not any("url(" in style or "@import" in style for style in parsed.styles)
    assert "@font-face" not in page


def test_the_same_report_renders_byte_for_byte_the_same():
    assert html() == html()
    assert render_html(report(), generated_at=GENERATED) != render_html(
        report(), generated_at=AS_OF)


def test_footer_window_scope_and_filters():
    page = Page(html())
    footer = " ".join(page.text_by_id.get(k, "") for k in page.text_by_id)
    assert f"retainer {retainer.__version__}" in html()
    assert "generated 2026-11-24 09:00 UTC" in html() and "As of 2026-11-24 07:59 UTC" in html()
    assert footer
    filtered = Page(html(filters={"statuses": ["overdue"]}))
    assert filtered.text("n-soon") == "—"
    stricter = report()
    stricter.window_days, stricter.scope = 10, "sent+received"
    page = Page(render_html(stricter, generated_at=GENERATED, title="Night desk <Q4>"))
    assert "10 days (a stricter agency policy)" in page.text("legal-basis")
    assert "received on their own device" in page.text("legal-basis")
    assert "Night desk &lt;Q4&gt;" in render_html(stricter, title="Night desk <Q4>")


def test_an_empty_report_renders():
    page = Page(render_html(report(verdicts=[]), generated_at=GENERATED))
    assert page.text("n-subject") == "0" and page.text("n-share") == "—"
    assert "Overdue (0) No copy reached" in page.text("list-overdue")


def test_monthly_on_time_counts_decided_messages_by_local_month():
    months = charts.monthly_on_time(report())
    assert months == [("2026-09", 0, 2), ("2026-10", 2, 4)]
    assert charts.monthly_on_time(report(verdicts=[verdict(1, "pending", days=3)])) == []


def test_matplotlib_is_loaded_late_and_says_nothing(tmp_path):
    """A fresh matplotlib configuration folder makes it build its font cache: still silent."""
    code = ("import sys, warnings; warnings.simplefilter('error')\n"
            "import retainer.reports.html\n"
            "assert 'matplotlib' not in sys.modules\n"
            "from tests.reports.reports import report\n"
            "from retainer.reports import charts\n"
            "assert charts.status_chart(report()).startswith('<svg')\n"
            "import matplotlib; assert matplotlib.get_backend().lower() == 'agg'\n")
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl"), "PYTHONPATH": str(ROOT)}
    env.pop("MPLBACKEND", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")


def test_the_window_is_written_as_an_ordinal():
    from retainer.reports.html import ordinal

    assert [ordinal(n) for n in (1, 2, 3, 4, 10, 11, 12, 13, 20, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "10th", "11th", "12th", "13th", "20th", "21st", "22nd",
        "23rd", "101st", "111th"]
    for days, words in ((1, "the 1st calendar day"), (2, "the 2nd calendar day"),
                        (3, "the 3rd calendar day"), (20, "the 20th calendar day")):
        stricter = report()
        stricter.window_days = days
        legal = Page(render_html(stricter, generated_at=GENERATED)).text("legal-basis")
        assert words in legal and "1th" not in legal and "2th" not in legal


def test_the_monthly_chart_counts_every_verdict_in_scope_not_the_filtered_list():
    """With ``--status overdue`` only the overdue messages are listed, but the on-time share
    per month is over everything decided: the database's counts (``monthly``) win."""
    filtered = report(verdicts=[v for v in VERDICTS if v.status == "overdue"],
                      statuses=["overdue"])
    assert charts.monthly_on_time(filtered) == [("2026-09", 0, 1), ("2026-10", 0, 1)]  # wrong
    filtered.monthly = charts.monthly_on_time(report())
    assert charts.monthly_on_time(filtered) == [("2026-09", 0, 2), ("2026-10", 2, 4)]
    assert "2 of 4" in charts.monthly_chart(filtered)
