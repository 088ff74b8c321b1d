"""Seeded, realistic WhatsApp chat exports for benchmarks (standard library only).

    from bench.exports import write_android, write_ios, write_export

    stats = write_android("/tmp/chat.txt", 1_000_000, seed=1)
    stats.messages, stats.kinds, stats.lines, stats.bytes

Each writer streams a chat of exactly ``n`` messages to ``path`` (never holding the file or
the message list in memory) and returns an ``ExportStats`` describing what it wrote, counted
the way retainer classifies messages, so a benchmark can check a parser's output. The same
``(n, seed, start)`` always gives byte-identical files; Android and iOS files with the same
seed hold the same conversation, rendered in each phone's style.

Android, en-US, 12-hour, as modern phones write it (U+202F before AM/PM, ``\\n`` newlines)::

    3/14/24, 10:22\u202fPM - Dana Reyes: Lane 3 is open again
    3/14/24, 10:22\u202fPM - Marcus Bell: <Media omitted>
    3/14/24, 10:23\u202fPM - Elena Vargas: IMG-20240314-WA0003.jpg (file attached)
    caption on the next line
    3/14/24, 10:25\u202fPM - Marcus Bell added Priya Nair

iOS, en-US, with seconds, brackets and ``\\r\\n`` newlines; U+200E starts the line and the text
of media placeholders, deletions and the app's notices (written with the group name in the
author slot); phone numbers in the author slot are wrapped in U+202A/U+202C::

    [3/14/24, 10:22:01\u202fPM] Dana Reyes: Lane 3 is open again
    \u200e[3/14/24, 10:22:40\u202fPM] Marcus Bell: \u200e<attached: 00000012-PHOTO-...jpg>
    \u200e[3/14/24, 10:23:05\u202fPM] Elena Vargas: \u200eimage omitted
    \u200e[3/14/24, 10:25:13\u202fPM] Port Ops Night Shift: \u200eMarcus Bell added Priya Nair

The mix (per message, approximately): 80% one-line text (some with emoji), 8% multi-line
text (2-4 lines, a quarter with a blank line inside), 5% media (half "omitted"
placeholders, half named files, some Android files with a caption line), 2% system notices
(added / left / removed / joined / changed the subject or icon), 1.5% deleted, 1.5% edited
(``... <This message was edited>``), 2% links and emoji-only messages; the first two messages
are the end-to-end-encryption notice and "created group". Message lengths vary from 2 to 40
words (mostly short). Time advances by random gaps: bursts within the same minute, minutes
apart, and now and then hours (about 600 messages a day, so dates and minutes repeat the way
they do in a busy group). No notice contains ``": "``, so parsers that skip author-less lines
can be checked exactly (see ``ExportStats.authorless``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
from bisect import bisect
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

Style = Literal["android", "ios"]
STYLES: tuple[Style, ...] = ("android", "ios")

GENERATOR_VERSION = 2
"""Bumped whenever the output for given arguments changes (benchmarks use it as a cache key)."""

DEFAULT_START = datetime(2016, 1, 14, 7, 30)
"""Time of the first message. Its day is over 12, so the first header already proves the
month-first order (a reader need not refuse a short export as ambiguous; pass a ``start`` with
a day over 12 for the same guarantee). At ~600 messages a day, 5,000,000 messages end around
2039, still writable with WhatsApp's two-digit years."""

TITLE = "Port Ops Night Shift"
"""The group's name (iOS writes it in the author slot of the app's notices)."""

AUTHORS: tuple[str, ...] = (
    "Dana Reyes", "Marcus Bell", "Elena Vargas", "Priya Nair", "Luis Ortega",
    "+1 (619) 555-0142", "Tomás Ibáñez",
)
_AUTHOR_WEIGHTS = (30, 22, 18, 12, 8, 6, 4)

LRM = "\u200e"     # LEFT-TO-RIGHT MARK: iOS media/system lines
NNBSP = "\u202f"   # NARROW NO-BREAK SPACE before AM/PM
_E2E = ("Messages and calls are end-to-end encrypted. Only people in this chat can read, "
        "listen to, or share them. Learn more.")
_FLUSH_EVERY = 8192  # messages rendered between writes
_BUFFER = 1 << 20

_WORDS_TEXT = """
the a to and is it in on for at we you I they this that lane gate booth shift night morning
queue truck trucks bus cars secondary primary officer officers supervisor report reports
check checked open closed closing reopen again now still just ok okay yes no maybe sure
thanks thank please need needs have has got get going will can could should would
be was were been are not all any some more less one two three four five six ten 20 30 45
minutes hour hours min today tonight tomorrow yesterday later soon before after until
printer scanner reader plate sensor camera radio system down up back working broken fixed
call called calling text me him her us them my your our their team crew relief backup
staffing schedule swap cover covering weekend Friday Saturday Sunday Monday Tuesday
east west north south dock lot yard staging commercial northbound southbound empty empties
waiting wait time long short busy quiet clear cleared seal door trailer cargo
manifest inspection x-ray canine K9 unit units sent send sending bring brought
coffee lunch break parking badge key keys office desk e-mail email phone number
confirmed confirm copy roger understood noted on it heading there here arriving arrived
left leaving done finished started starting around about almost over under near
from with without into out of by via per if when where who what why how which
good great bad fine weird strange heavy light rain wind fog dust heat traffic accident
spill diesel fire department medic ambulance injuries none minor major 0500 0600 2200
update updates status plan plans closure contraflow layout page pages pdf photo photos
garita mañana está Santa Inés Tijuana Otay San Ysidro Cerro Azul Vado Seco bridge
"""
_WORDS = tuple(_WORDS_TEXT.split())

_EMOJI = ("👍", "🙏", "😂", "✅", "🚧", "🚚", "❤️", "👍🏽", "😅", "🔥", "👀", "🙌", "☕", "🌧️")
_PUNCT = ("", "", ".", ".", ".", "?", "!", "...")
_ITEMS = ("- ", "* ", "1. ", "", "")  # list bullets ("1. " numbers the lines)
_SUBJECTS = ("Port Ops Night Shift", "Night shift ops", "Lane status", "Cerro Azul nights",
             "Ops - weekend crew", "Port Ops 🚧")
_DOC_NAMES = ("Lane 3 closure plan.pdf", "staffing-roster.xlsx", "incident report 0412.docx",
              "contraflow layout.pdf", "badge list.pdf")

# Android: "<Media omitted>" or "NAME (file attached)"; iOS: "<attached: NAME>" or "X omitted".
_ANDROID_MEDIA = (("IMG", "jpg"), ("IMG", "jpg"), ("IMG", "jpg"), ("VID", "mp4"),
                  ("PTT", "opus"), ("STK", "webp"), ("DOC", ""))
_IOS_MEDIA = (("PHOTO", "jpg", "image omitted"), ("PHOTO", "jpg", "image omitted"),
              ("PHOTO", "jpg", "image omitted"), ("VIDEO", "mp4", "video omitted"),
              ("AUDIO", "opus", "audio omitted"), ("STICKER", "webp", "sticker omitted"),
              ("DOC", "", "document omitted"))


@dataclasses.dataclass(frozen=True)
class ExportStats:
    """What one writer call produced, counted as retainer classifies messages."""

    style: Style
    messages: int
    """Message headers written (``n``)."""
    lines: int
    """Physical lines in the file."""
    bytes: int
    kinds: dict[str, int]
    """Messages per kind: ``text``, ``media``, ``system``, ``deleted``."""
    edited: int
    """Text messages ending with "<This message was edited>"."""
    multiline: int
    """Messages spanning more than one line (multi-line texts and captioned files)."""
    attachments: int
    """Media messages that name their file (Android "file attached", iOS "<attached: >")."""
    authorless: int
    """Messages written with no ``"Name: "`` after the stamp (Android notices): parsers that
    need an author find ``messages - authorless``."""
    seed: int
    start: str
    generator: int = GENERATOR_VERSION

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ExportStats:
        return cls(**json.loads(text))


def write_android(path: str | os.PathLike[str], n: int, seed: int = 1,
                  start: datetime = DEFAULT_START) -> ExportStats:
    """Write an Android (en-US, 12-hour) export of exactly ``n`` messages to ``path``."""
    return write_export(path, n, "android", seed=seed, start=start)


def write_ios(path: str | os.PathLike[str], n: int, seed: int = 1,
              start: datetime = DEFAULT_START) -> ExportStats:
    """Write an iOS (en-US, 12-hour with seconds) ``_chat.txt`` of exactly ``n`` messages."""
    return write_export(path, n, "ios", seed=seed, start=start)


def write_export(path: str | os.PathLike[str], n: int, style: Style = "android", *,
                 seed: int = 1, start: datetime = DEFAULT_START) -> ExportStats:
    """Write an export of exactly ``n`` messages in ``style`` (``android`` or ``ios``).

    The file is written to ``path + ".part"`` and renamed when complete, so a file found at
    ``path`` is always whole.
    """
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r} (use one of {', '.join(STYLES)})")
    if n < 1:
        raise ValueError("n must be at least 1")
    path = Path(path)
    part = path.with_name(path.name + ".part")
    counts = _Counts()
    with open(part, "w", encoding="utf-8", newline="", buffering=_BUFFER) as f:
        _render(f, n, style, random.Random(seed), start, counts)
    os.replace(part, path)
    return ExportStats(
        style=style, messages=n, lines=counts.lines, bytes=path.stat().st_size,
        kinds={"text": counts.text, "media": counts.media, "system": counts.system,
               "deleted": counts.deleted},
        edited=counts.edited, multiline=counts.multiline, attachments=counts.attachments,
        authorless=counts.authorless, seed=seed, start=start.isoformat())


@dataclasses.dataclass
class _Counts:
    lines: int = 0
    text: int = 0
    media: int = 0
    system: int = 0
    deleted: int = 0
    edited: int = 0
    multiline: int = 0
    attachments: int = 0
    authorless: int = 0


def _clock12(hour: int, minute: int, second: int | None) -> str:
    h = hour % 12 or 12
    ampm = "AM" if hour < 12 else "PM"
    if second is None:
        return f"{h}:{minute:02d}{NNBSP}{ampm}"
    return f"{h}:{minute:02d}:{second:02d}{NNBSP}{ampm}"


def _render(f, n: int, style: Style, rng: random.Random, start: datetime,
            counts: _Counts) -> None:
    ios = style == "ios"
    nl = "\r\n" if ios else "\n"
    # Author slot as written: iOS wraps phone numbers in LRE/PDF-style marks and uses a
    # non-breaking hyphen; Android writes the number as shown in the contact list.
    if ios:
        slots = tuple(f"\u202a{a.replace('-', chr(0x2011))}\u202c" if a.startswith("+") else a
                      for a in AUTHORS)
    else:
        slots = AUTHORS
    people = AUTHORS  # names as they appear inside notices ("X added Y")
    android_minutes = [_clock12(m // 60, m % 60, None) for m in range(1440)]
    ios_seconds: dict[int, str] = {}

    choices, rand, randint = rng.choices, rng.random, rng.randint
    words = _WORDS
    total = sum(_AUTHOR_WEIGHTS)
    cum = [sum(_AUTHOR_WEIGHTS[:i + 1]) / total for i in range(len(_AUTHOR_WEIGHTS) - 1)]
    n_authors = len(AUTHORS)

    def sentence(k: int) -> str:
        s = " ".join(choices(words, k=k))
        s = s[0].upper() + s[1:] + _PUNCT[int(rand() * len(_PUNCT))]
        r = rand()
        if r < 0.12:
            s += " " + _EMOJI[int(r * 1000) % len(_EMOJI)]
        return s

    def length() -> int:
        return min(40, 2 + int(rng.expovariate(1 / 7)))

    t = start.hour * 3600 + start.minute * 60 + start.second  # seconds since start's midnight
    day0: date = start.date()
    cur_day = -1
    date_s = compact = iso_day = ""
    wa = 0  # Android per-day media counter (IMG-YYYYMMDD-WA0003.jpg)
    out: list[str] = []
    lines = text = media = system = deleted = edited = multiline = attachments = 0
    authorless = 0
    for i in range(n):
        if i:
            r = rand()
            if r < 0.6:
                t += int(r / 0.6 * 30)                      # same burst: 0-29 s
            elif r < 0.9:
                t += 30 + int((r - 0.6) / 0.3 * 150)          # 30 s - 3 min
            elif r < 0.99:
                t += 180 + int((r - 0.9) / 0.09 * 720)        # 3 - 15 min
            else:
                t += 900 + int((r - 0.99) / 0.01 * 9900)      # 15 min - 3 h
        day, sod = divmod(t, 86400)
        if day != cur_day:
            cur_day = day
            d = day0 + timedelta(days=day)
            date_s = f"{d.month}/{d.day}/{d.year % 100:02d}"
            compact = f"{d.year:04d}{d.month:02d}{d.day:02d}"
            iso_day = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
            wa = 0
        if ios:
            clock = ios_seconds.get(sod)
            if clock is None:
                clock = ios_seconds[sod] = _clock12(sod // 3600, sod // 60 % 60, sod % 60)
            head = f"[{date_s}, {clock}] "
        else:
            head = f"{date_s}, {android_minutes[sod // 60]} - "
        a = bisect(cum, rand())

        if i < 2:  # the export's opening notices
            system += 1
            lines += 1
            if ios:
                body = _E2E if i == 0 else f"{people[a]} created group “{TITLE}”"
                out.append(f"{LRM}{head}{TITLE}: {LRM}{body}{nl}")
            else:
                authorless += 1
                body = _E2E if i == 0 else f'{people[a]} created group "{TITLE}"'
                out.append(f"{head}{body}{nl}")
            continue

        r = rand()
        if r < 0.80:                                          # one-line text
            text += 1
            lines += 1
            out.append(f"{head}{slots[a]}: {sentence(length())}{nl}")
        elif r < 0.88:                                        # multi-line text
            text += 1
            multiline += 1
            k = randint(2, 4)
            parts = [sentence(length())]
            if rand() < 0.25:
                parts.append("")
            item = _ITEMS[randint(0, len(_ITEMS) - 1)]
            for j in range(1, k):
                bullet = f"{j}. " if item == "1. " else item
                parts.append(bullet + sentence(min(12, length())))
            lines += len(parts)
            out.append(f"{head}{slots[a]}: {nl.join(parts)}{nl}")
        elif r < 0.93:                                        # media
            media += 1
            kind = randint(0, 6)
            named = rand() < 0.5
            if ios:
                tag, ext, omitted = _IOS_MEDIA[kind]
                if named:
                    attachments += 1
                    if tag == "DOC":
                        fname = f"{i:08d}-{_DOC_NAMES[i % len(_DOC_NAMES)]}"
                    else:
                        hh, mm, ss = sod // 3600, sod // 60 % 60, sod % 60
                        fname = f"{i:08d}-{tag}-{iso_day}-{hh:02d}-{mm:02d}-{ss:02d}.{ext}"
                    body = f"<attached: {fname}>"
                else:
                    body = omitted
                lines += 1
                out.append(f"{LRM}{head}{slots[a]}: {LRM}{body}{nl}")
            else:
                if named:
                    attachments += 1
                    tag, ext = _ANDROID_MEDIA[kind]
                    if tag == "DOC":
                        fname = _DOC_NAMES[i % len(_DOC_NAMES)]
                    else:
                        wa += 1
                        fname = f"{tag}-{compact}-WA{wa:04d}.{ext}"
                    body = f"{fname} (file attached)"
                    if rand() < 0.3:  # caption on the next line
                        body += nl + sentence(length())
                        multiline += 1
                        lines += 1
                else:
                    body = "<Media omitted>"
                lines += 1
                out.append(f"{head}{slots[a]}: {body}{nl}")
        elif r < 0.95:                                        # system notice
            system += 1
            lines += 1
            b = (a + randint(1, n_authors - 1)) % n_authors
            v = randint(0, 5)
            if v == 0:
                notice = f"{people[a]} added {people[b]}"
            elif v == 1:
                notice = f"{people[a]} left"
            elif v == 2:
                notice = f"{people[a]} removed {people[b]}"
            elif v == 3:
                notice = f"{people[b]} joined using this group's invite link"
            elif v == 4:
                subject = _SUBJECTS[randint(0, len(_SUBJECTS) - 1)]
                notice = (f"{people[a]} changed the subject to “{subject}”" if ios else
                          f'{people[a]} changed the subject from "{TITLE}" to "{subject}"')
            else:
                notice = (f"{people[a]} changed the group photo" if ios else
                          f"{people[a]} changed this group's icon")
            if ios:
                out.append(f"{LRM}{head}{TITLE}: {LRM}{notice}{nl}")
            else:
                authorless += 1
                out.append(f"{head}{notice}{nl}")
        elif r < 0.965:                                       # deleted
            deleted += 1
            lines += 1
            mine = rand() < 0.2
            if ios:
                body = "You deleted this message." if mine else "This message was deleted."
                out.append(f"{LRM}{head}{slots[a]}: {LRM}{body}{nl}")
            else:
                body = "You deleted this message" if mine else "This message was deleted"
                out.append(f"{head}{slots[a]}: {body}{nl}")
        elif r < 0.98:                                        # edited
            text += 1
            edited += 1
            lines += 1
            marker = f"{LRM}<This message was edited>" if ios else "<This message was edited>"
            out.append(f"{head}{slots[a]}: {sentence(length())} {marker}{nl}")
        else:                                                 # links, emoji-only
            text += 1
            lines += 1
            if rand() < 0.5:
                body = "".join(_EMOJI[randint(0, len(_EMOJI) - 1)] for _ in range(randint(1, 3)))
            else:
                body = (f"{sentence(randint(2, 8))} https://maps.example.com/?q="
                        f"32.{randint(1000, 9999)},-117.{randint(1000, 9999)}")
            out.append(f"{head}{slots[a]}: {body}{nl}")

        if len(out) >= _FLUSH_EVERY:
            f.write("".join(out))
            out.clear()
    f.write("".join(out))
    counts.lines, counts.text, counts.media, counts.system = lines, text, media, system
    counts.deleted, counts.edited, counts.multiline = deleted, edited, multiline
    counts.attachments, counts.authorless = attachments, authorless


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.exports PATH N [--style android|ios] [--seed S]``: write one export."""
    import argparse

    ap = argparse.ArgumentParser(description="Write a seeded WhatsApp export for benchmarks.")
    ap.add_argument("path")
    ap.add_argument("n", type=lambda s: int(s.replace("_", "")), help="messages")
    ap.add_argument("--style", choices=STYLES, default="android")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    print(write_export(args.path, args.n, args.style, seed=args.seed).to_json())


if __name__ == "__main__":
    main()


__all__ = ["AUTHORS", "DEFAULT_START", "GENERATOR_VERSION", "STYLES", "TITLE", "ExportStats",
           "Style", "write_android", "write_export", "write_ios"]
