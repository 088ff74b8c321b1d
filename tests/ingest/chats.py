"""Small exports written for the importer's tests, in the phones' own formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.formats.render import Style

ANDROID = Style(family="android", order="MDY", marker="AM", marker_space="\u202f")
IOS = Style(family="ios", order="MDY", marker="AM", marker_space="\u202f", seconds=True)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def write_export(path: Path, style: Style, messages: list[tuple[str, str | None, str]],
                 *, marked_kinds: bool = True) -> Path:
    """``messages``: (local time ISO, author or None for a notice, text)."""
    lines = []
    for when, author, text in messages:
        notice = author is None
        if style.family == "ios" and notice:
            lines.append(style.line(at(when), "Port Ops", text, marked=True))
        else:
            marked = style.family == "ios" and marked_kinds and (
                text.startswith("<attached:") or text.endswith("omitted")
                or text.startswith("This message was deleted"))
            lines.append(style.line(at(when), author, text, marked=marked))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
