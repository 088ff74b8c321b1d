"""Property tests: messages rendered in any supported style are read back unchanged, and the
reader's fast way and its full grammar agree."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from retainer.formats import FAMILIES, phrases, read_export
from retainer.formats.kinds import PLAIN, classify, is_call
from tests.formats.render import MARKERS, Style

HEADERS = {family.name: family.header for family in FAMILIES}
#: The invisible marks the issue lists, removed from bodies (independent of the reader's list).
MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                "\u2066\u2067\u2068\u2069\ufeff"))

LETTERS = st.characters(whitelist_categories=("Lu", "Ll", "Lo"))
SAFE = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))

times = st.datetimes(min_value=dt.datetime(2010, 1, 1), max_value=dt.datetime(2039, 12, 31))


@st.composite
def styles(draw) -> Style:
    family = draw(st.sampled_from(["android", "ios", "ios-time-first", "ios-legacy"]))
    order = draw(st.sampled_from(["DMY", "MDY", "YMD"]))
    marker = draw(st.sampled_from([None, *MARKERS]))
    arabic = draw(st.booleans()) if marker in (None, "arabic") else False
    if family == "ios-time-first":
        between = draw(st.sampled_from([", ", " "]))
    else:
        between = draw(st.sampled_from([", ", " ", " à ", " klo ", *(["، "] if arabic else [])]))
    return Style(
        family=family,
        order=order,
        date_sep=draw(st.sampled_from(["/", ".", "-", "\u2011"])),
        padded=draw(st.booleans()),
        four_digit_year=draw(st.booleans()),
        between=between,
        time_sep=draw(st.sampled_from(":.")) if marker is None else ":",
        seconds=draw(st.booleans()),
        marker=marker,
        marker_space=draw(st.sampled_from([" ", "\u00a0", "\u202f"])),
        arabic_digits=arabic,
        rlm_in_date=draw(st.booleans()) if arabic else False,
        phone_marks=draw(st.booleans()),
    )


authors = st.one_of(
    st.text(SAFE, min_size=1, max_size=20).map(str.strip).filter(
        lambda a: a and ": " not in a
        and "\u00a0" not in a and "\u202f" not in a and "\u2009" not in a and "\u2011" not in a),
    st.from_regex(r"\+[1-9][0-9]{0,2} \([0-9]{3}\) [0-9]{3}-[0-9]{4}", fullmatch=True),
)
first_lines = st.text(SAFE, min_size=1, max_size=60)
more_lines = st.lists(
    st.one_of(st.just(""), st.builds(lambda c, rest: c + rest, LETTERS,
                                     st.text(SAFE, max_size=40))),
    max_size=3)


@st.composite
def foreign_headers(draw, style: Style) -> tuple[str, str]:
    """(line, text read back) for a body line written as another family's header: the reader
    keeps it in the body because it does not match the file's own header family."""
    other = draw(styles().filter(lambda o: o.family != style.family))
    line = other.line(draw(times), draw(authors), draw(first_lines), marked=draw(st.booleans()))
    if line.startswith("["):
        line = draw(st.sampled_from(["", "\u200e"])) + line  # iOS marks its own lines
    assume(not HEADERS[style.family].match(line.translate(MARKS)))
    return line, line.translate(MARKS)


@st.composite
def texts(draw, style: Style) -> tuple[str, str, int]:
    """(text as written, text read back, how many body lines look like foreign headers)."""
    first = draw(first_lines)
    written, read, foreign = [first], [first], 0
    for line in draw(more_lines):
        written.append(line)
        read.append(line)
    if draw(st.integers(0, 3)) == 0:
        line, back = draw(foreign_headers(style))
        at = draw(st.integers(1, len(written)))
        written.insert(at, line)
        read.insert(at, back)
        foreign = 1
    while len(written) > 1 and not written[-1]:
        written.pop()  # a message never ends with a blank line
        read.pop()
    text = "\n".join(read)
    assume(classify(text) == PLAIN)
    # Old iOS files without marks tell notices by their words: a message that reads exactly
    # like one ("Ana left") is indistinguishable there, so it is not generated.
    assume(not is_call(text) and not any(p.match(text) for p in phrases.SYSTEM_NOTICES))
    return "\n".join(written), text, foreign


@st.composite
def chats(draw):
    style = draw(styles())
    start = draw(times)
    messages = []
    foreign = 0
    for _ in range(draw(st.integers(1, 12))):
        when = start + dt.timedelta(seconds=draw(st.integers(0, 10**7)))
        kind = draw(st.sampled_from(["text", "text", "text", "media", "system"]))
        author = draw(authors)
        if kind == "media":
            text = ("<attached: 00000012-PHOTO.jpg>" if style.family.startswith("ios")
                    else "<Media omitted>")
            messages.append((when, author, author, text, "media"))
        elif kind == "system":
            notice = f"{author} added Ana"
            if style.family.startswith("ios"):
                messages.append((when, "Port Ops", None, notice, "system"))
            else:
                assume(": " not in notice)
                messages.append((when, None, None, notice, "system"))
        else:
            written, read, n = draw(texts(style))
            foreign += n
            messages.append((when, author, author, (written, read), "text"))
    # The family is the one most first lines match: foreign headers must stay fewer.
    assume(foreign < len(messages))
    return style, messages


def written(text) -> str:
    return text[0] if isinstance(text, tuple) else text


def read_back(text) -> str:
    return text[1] if isinstance(text, tuple) else text


def write(path, style, messages) -> None:
    lines = [style.line(when, slot, written(text),
                        marked=kind != "text" and style.family != "android")
             for when, slot, _, text, kind in messages]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chat=chats())
def test_round_trip(tmp_path, chat):
    style, messages = chat
    path = tmp_path / "chat.txt"
    write(path, style, messages)
    export = read_export(path, date_order=style.order)
    got = [(m.sent_at, m.author, m.text, m.kind) for m in export.messages()]
    assert got == [(style.iso(when), author, read_back(text), kind)
                   for when, _, author, text, kind in messages]
    assert export.family == style.family
    # The fast way and the full grammar give the same rows.
    slow = [row for batch in export._batches(export, fast=False) for row in batch]
    assert [tuple(m) for m in export.messages()] == slow


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chat=chats(), day=st.integers(13, 28))
def test_date_order_inferred_once_a_day_passes_twelve(tmp_path, chat, day):
    style, messages = chat
    when, slot, author, text, kind = messages[-1]
    messages = [*messages, (when.replace(day=day), slot, author, text, kind)]
    path = tmp_path / "chat.txt"
    write(path, style, messages)
    assert read_export(path).date_order == style.order
