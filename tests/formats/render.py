"""Renders messages as a phone would export them, in every header style the reader supports.

Used by the round-trip property tests: whatever this writes, the reader must read back
unchanged. Deliberately independent of the reader's own code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
LRM = "\u200e"
RLM = "\u200f"
LRE, PDF = "\u202a", "\u202c"  # iOS wraps phone numbers in the author slot in these

#: 12-hour marker spellings: (AM, PM).
MARKERS = {
    "AM": ("AM", "PM"),
    "am": ("am", "pm"),
    "a.m.": ("a.m.", "p.m."),
    "a. m.": ("a. m.", "p. m."),
    "arabic": ("ص", "م"),
}


@dataclasses.dataclass(frozen=True)
class Style:
    family: str = "android"          # android | ios | ios-time-first | ios-legacy
    order: str = "MDY"               # DMY | MDY | YMD
    date_sep: str = "/"              # "/" "." "-" "\u2011"
    padded: bool = False
    four_digit_year: bool = False
    between: str = ", "              # ", " " " " à " " klo " "، " (time-first: ", " " ")
    time_sep: str = ":"
    seconds: bool = False
    marker: str | None = None        # a key of MARKERS, or None for 24-hour
    marker_space: str = " "          # " " "\u00a0" "\u202f"
    arabic_digits: bool = False
    rlm_in_date: bool = False        # U+200F after the day and month (Arabic exports)
    phone_marks: bool = False        # U+202A…U+202C around phone-number authors

    def date(self, when: dt.datetime) -> str:
        year = f"{when.year:04d}" if self.four_digit_year or self.order == "YMD" else \
            f"{when.year % 100:02d}"
        day = f"{when.day:02d}" if self.padded else str(when.day)
        month = f"{when.month:02d}" if self.padded else str(when.month)
        parts = {"DMY": (day, month, year), "MDY": (month, day, year),
                 "YMD": (year, month, day)}[self.order]
        return (RLM + self.date_sep if self.rlm_in_date else self.date_sep).join(parts)

    def time(self, when: dt.datetime) -> str:
        hour = when.hour
        suffix = ""
        if self.marker is not None:
            am, pm = MARKERS[self.marker]
            suffix = self.marker_space + (pm if hour >= 12 else am)
            hour = hour % 12 or 12
        text = (f"{hour:02d}" if self.padded or self.marker is None else str(hour))
        text += f"{self.time_sep}{when.minute:02d}"
        if self.seconds:
            text += f"{self.time_sep}{when.second:02d}"
        return text + suffix

    def stamp(self, when: dt.datetime) -> str:
        date, time = self.date(when), self.time(when)
        if self.arabic_digits:
            date, time = date.translate(ARABIC_DIGITS), time.translate(ARABIC_DIGITS)
        if self.family == "ios-time-first":
            return f"{time}{self.between}{date}"
        return f"{date}{self.between}{time}"

    def line(self, when: dt.datetime, slot: str | None, text: str, *, marked: bool) -> str:
        """One message: ``slot`` is the author slot (None: no slot); ``marked`` puts iOS's
        U+200E before the text."""
        mark = LRM if marked else ""
        head = self.stamp(when)
        if self.family in ("ios", "ios-time-first"):
            head = f"[{head}] "
        elif self.family == "ios-legacy":
            head = f"{head}: "
        else:
            head = f"{head} - "
        if slot is None:
            return head + mark + text
        if self.phone_marks and slot.startswith("+"):
            slot = LRE + slot + PDF
        return f"{head}{slot}: {mark}{text}"

    def iso(self, when: dt.datetime) -> str:
        return when.strftime("%Y-%m-%dT%H:%M:%S" if self.seconds else "%Y-%m-%dT%H:%M")
