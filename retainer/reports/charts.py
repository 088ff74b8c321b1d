"""The compliance report's charts as inline SVG: statuses per custodian, on-time share per month.

Drawn with matplotlib on its Agg backend, through ``Figure`` objects that pyplot never sees
(the idiom matplotlib documents for servers: no global figure registry, nothing to leak), and
saved as SVG text for the HTML report to embed: no image files, no network.

Output is deterministic for the same report: fixed sizes, ``svg.hashsalt`` for the element ids,
no date in the metadata, text kept as ``<text>`` (``svg.fonttype = "none"``) so that it stays
selectable, searchable and small. Colours are the Okabe–Ito palette (readable with the common
colour-vision deficiencies); every bar carries its number, and a legend names each status.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from retainer.compliance.model import ON_TIME, STATUSES, ComplianceReport

COLOURS = {
    "copied": "#009E73",      # bluish green
    "forwarded": "#56B4E9",   # sky blue
    "late": "#E69F00",        # orange
    "incomplete": "#CC79A7",  # reddish purple
    "overdue": "#D55E00",     # vermillion
    "pending": "#F0E442",     # yellow
    "exempt": "#BBBBBB",      # grey
}
"""Okabe & Ito (2008), "Color Universal Design": one colour per status."""
DARK_TEXT = {"forwarded", "pending", "exempt", "late", "copied", "incomplete"}
"""Statuses whose fill is light enough for black labels (white on the others)."""
LINE = "#0072B2"
"""Blue of the on-time line."""
RC = {"svg.hashsalt": "retainer", "svg.fonttype": "none", "font.family": "DejaVu Sans",
      "font.size": 10, "axes.spines.top": False, "axes.spines.right": False}
"""Settings that make the SVG identical from run to run and readable in print."""

_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)


def _matplotlib():
    """matplotlib, quiet and on the Agg backend (chosen here, not at import of this module)."""
    # The first import may build the font cache and say so through logging; a report must
    # print nothing but itself.
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib


def _svg(figure, label: str) -> str:
    """The figure as an inline ``<svg>`` element, labelled; without the XML prologue, the
    DOCTYPE and the RDF metadata block, which mean nothing inside HTML."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1), count=1)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(label)}" ', 1)


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def status_chart(report: ComplianceReport) -> str:
    """A horizontal stacked bar per custodian: how many subject messages have each status.

    Exempt messages are left out (they are not subject). Returns an ``<svg>`` element; an
    empty report gives a chart that says there is nothing to show.
    """
    matplotlib = _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = [s for s in report.summary if s.subject]
    statuses = [s for s in STATUSES if s != "exempt"]
    with matplotlib.rc_context(RC):
        height = 1.2 + 0.45 * max(len(rows), 1)
        figure = Figure(figsize=(8.0, height), layout="constrained")
        axes = figure.add_subplot()
        names = [s.custodian for s in rows]
        positions = list(range(len(rows)))
        left = [0] * len(rows)
        for status in statuses:
            values = [s.counts[status] for s in rows]
            if not any(values):
                continue
            bars = axes.barh(positions, values, left=left, color=COLOURS[status],
                             edgecolor="white", linewidth=0.6, label=status, height=0.6)
            axes.bar_label(bars, labels=[str(v) if v else "" for v in values],
                           label_type="center", fontsize=8,
                           color="black" if status in DARK_TEXT else "white")
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.set_yticks(positions, labels=names, parse_math=False)
        axes.invert_yaxis()
        axes.set_xlabel("subject messages")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        if rows:
            axes.legend(ncols=len(statuses), loc="lower left", bbox_to_anchor=(0, 1.0),
                        frameon=False, fontsize=8, handlelength=1.2, columnspacing=1.0)
        else:
            axes.text(0.5, 0.5, "no subject messages", ha="center", va="center",
                      transform=axes.transAxes)
            axes.set_yticks([])
        return _svg(figure, "Statuses of subject messages per custodian")


def monthly_on_time(report: ComplianceReport) -> list[tuple[str, int, int]]:
    """(month ``YYYY-MM`` of sending, on time, decided) for each month, in order.

    The month is the local one the export wrote; decided means subject and not pending
    (exempt and pending messages are left out). Over every subject message in the report's
    scope (``ComplianceReport.monthly``, counted by the database), so that a status filter on
    the lists never bends the chart; a report built by hand without it counts its verdicts.
    """
    if report.monthly is not None:
        return list(report.monthly)
    on_time: Counter[str] = Counter()
    decided: Counter[str] = Counter()
    for verdict in report.verdicts:
        if verdict.status in ("pending", "exempt"):
            continue
        month = verdict.sent_at_local[:7]
        decided[month] += 1
        on_time[month] += verdict.status in ON_TIME
    return [(month, on_time[month], decided[month]) for month in sorted(decided)]


def monthly_chart(report: ComplianceReport) -> str:
    """Bars of the on-time share (copied + forwarded over decided) per month of sending, each
    labelled with its percentage and "n of m". Returns an ``<svg>`` element."""
    matplotlib = _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    months = monthly_on_time(report)
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(8.0, 3.0), layout="constrained")
        axes = figure.add_subplot()
        if months:
            positions = list(range(len(months)))
            shares = [100 * good / total for _, good, total in months]
            bars = axes.bar(positions, shares, color=LINE, width=0.6, label="on time")
            axes.bar_label(bars, labels=[f"{share:.0f}%\n{good} of {total}" for share, (
                _, good, total) in zip(shares, months, strict=True)], fontsize=8, padding=2)
            axes.set_xticks(positions, labels=[m for m, _, _ in months])
            axes.set_ylim(0, 130)
            axes.set_yticks([0, 25, 50, 75, 100])
            axes.yaxis.set_major_formatter(PercentFormatter())
            axes.set_ylabel("on time")
            axes.set_xlabel("month sent (local time as exported)")
            axes.axhline(100, color="#666666", linewidth=0.6, linestyle=":")
        else:
            axes.text(0.5, 0.5, "no decided messages yet", ha="center", va="center",
                      transform=axes.transAxes)
            axes.set_xticks([])
            axes.set_yticks([])
        return _svg(figure, "Share of decided subject messages on time, per month of sending")
