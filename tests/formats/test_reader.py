"""The reader on hand-made exports: one file per header family, date style and language."""

from __future__ import annotations

from pathlib import Path

import pytest

from retainer.errors import AmbiguousDateOrder, InputError
from retainer.formats import read_export
from retainer.formats.text import INVISIBLE_MARKS

FORMATS = "formats"


def rows(data, name, **kwargs):
    export = read_export(data / FORMATS / name, **kwargs)  # a name with a folder wins
    return export, list(export.messages())


def summary(messages):
    return [(m.sent_at, m.author, m.kind) for m in messages]


def test_android_en_us_12_hour(data):
    export, messages = rows(data, "android_en_12h.txt")
    assert (export.family, export.date_order, export.date_order_source) == (
        "android", "MDY", "inferred")
    assert summary(messages) == [
        ("2024-03-14T21:58", None, "system"),
        ("2024-03-14T21:58", None, "system"),
        ("2024-03-14T21:59", None, "system"),
        ("2024-03-14T22:02", "Dana Reyes", "text"),
        ("2024-03-14T22:03", "Marcus Bell", "text"),
        ("2024-03-14T22:04", "Marcus Bell", "media"),
        ("2024-03-14T22:05", "Marcus Bell", "media"),
        ("2024-03-14T22:06", "Dana Reyes", "deleted"),
        ("2024-03-14T22:06", "Marcus Bell", "deleted"),
        ("2024-03-14T22:07", "Dana Reyes", "text"),
        ("2024-03-14T22:08", "Dana Reyes", "media"),
        ("2024-03-14T22:09", "Marcus Bell", "media"),
        ("2024-03-14T23:59", "Dana Reyes", "text"),
        ("2024-03-15T00:00", "Dana Reyes", "text"),  # 12 AM is 00h
        ("2024-03-15T12:30", "Marcus Bell", "text"),  # 12 PM is 12h
        ("2024-03-15T12:31", None, "system"),
        ("2024-03-15T12:32", None, "system"),
        ("2024-03-15T12:33", "Dana Reyes", "system"),   # a call notice keeps its caller
        ("2024-03-15T12:34", "Marcus Bell", "system"),
        ("2024-03-15T12:35", "Dana Reyes", "deleted"),
    ]
    assert [m.line for m in messages][:7] == [1, 2, 3, 4, 5, 10, 11]
    assert messages[3].stamp == "3/14/24, 10:02\u202fPM"


def test_multi_line_body_keeps_blank_lines_and_other_family_headers(data):
    _, messages = rows(data, "android_en_12h.txt")
    assert messages[4].text == (
        "Copy. Notes for the shift:\n1. cones out\n\n2. signs up\n"
        "[3/14/24, 10:00:00 PM] Someone: this line only looks like an iOS header")


def test_android_media_placeholders(data):
    _, messages = rows(data, "android_en_12h.txt")
    omitted, attached, location, view_once = (messages[i] for i in (5, 6, 10, 11))
    assert (omitted.text, omitted.attachment) == ("<Media omitted>", None)
    assert attached.text == "IMG-20240314-WA0003.jpg (file attached)\nQueue at lane 2"
    assert attached.attachment == "IMG-20240314-WA0003.jpg"
    assert location.kind == "media" and location.text.startswith("location: https://")
    assert (view_once.kind, view_once.text) == ("media", "null")


def test_deleted_with_and_without_period_and_edited(data):
    _, messages = rows(data, "android_en_12h.txt")
    assert messages[7].text == "This message was deleted"
    assert messages[8].text == "You deleted this message."
    assert messages[19].text == "You deleted this message"
    assert {messages[7].kind, messages[8].kind, messages[19].kind} == {"deleted"}
    edited = messages[9]
    assert edited.edited and edited.kind == "text"
    assert edited.text == "Secondary has 4 vehicles <This message was edited>"


def test_android_notices_have_no_author_even_with_colon_in_quotes(data):
    _, messages = rows(data, "android_en_12h.txt")
    assert messages[15].author is None
    assert messages[15].text == (
        'Dana Reyes changed the subject from "Port Ops" to "Port Ops: Nights"')


def test_android_german_day_first_dots_24_hour(data):
    export, messages = rows(data, "android_de_24h.txt")
    assert export.date_order == "DMY"
    assert summary(messages) == [
        ("2024-03-14T22:05", None, "system"),
        ("2024-03-14T22:05", None, "system"),
        ("2024-03-14T22:06", "Jonas Weber", "text"),
        ("2024-03-14T22:07", "Lena Koch", "media"),
        ("2024-03-15T00:01", "Lena Koch", "deleted"),
        ("2024-03-15T00:02", "Jonas Weber", "text"),
        ("2024-03-15T00:03", None, "system"),
        ("2024-03-15T00:04", 'Tor 6" Nord', "text"),
        ("2024-03-15T00:05", 'Tor 6" Nord', "text"),
        ("2024-03-15T00:06", "Lena Koch", "system"),  # Verpasster Sprachanruf
    ]
    assert messages[5].edited


def test_android_notice_quoting_a_group_name_with_a_colon(data):
    _, messages = rows(data, "android_de_24h.txt")
    assert messages[1].text == "Jonas Weber hat die Gruppe „Hafen: Nacht“ erstellt"
    assert messages[6].text == (
        "Lena Koch hat den Betreff von „Hafen: Nacht“ zu „Hafen: Tag“ geändert")
    _, french = rows(data, "french_a.txt")
    assert (french[3].author, french[3].kind) == (None, "system")
    assert french[3].text == "Claire Martin a créé le groupe «\u00a0Port: Nuit\u00a0»"


def test_android_author_with_a_quotation_mark_stays_an_author(data):
    _, messages = rows(data, "android_de_24h.txt")
    assert [(m.author, m.text) for m in messages[7:9]] == [
        ('Tor 6" Nord', "Spur 3 frei"),
        ('Tor 6" Nord', "Ich habe die Gruppe verlassen"),  # reads like a notice, is not one
    ]


def test_ios_bracketed_with_seconds_and_marks(data):
    export, messages = rows(data, "ios_en.txt")
    assert (export.family, export.date_order) == ("ios", "MDY")
    assert summary(messages) == [
        ("2024-03-14T21:58:01", None, "system"),     # encryption notice, group in author slot
        ("2024-03-14T21:58:02", None, "system"),     # "X added you"
        ("2024-03-14T22:02:15", "Dana Reyes", "text"),
        ("2024-03-14T22:03:00", "Marcus Bell", "media"),
        ("2024-03-14T22:04:00", "Marcus Bell", "media"),
        ("2024-03-14T22:05:00", "Dana Reyes", "media"),
        ("2024-03-14T22:06:00", "Dana Reyes", "media"),
        ("2024-03-14T22:07:00", "Marcus Bell", "system"),  # call notice keeps its caller
        ("2024-03-14T22:08:00", "Marcus Bell", "deleted"),
        ("2024-03-14T22:09:00", "Dana Reyes", "text"),
        ("2024-03-14T22:10:00", None, "system"),     # security code change
        ("2024-03-14T22:11:00", "Marcus Bell", "text"),
        ("2024-03-14T22:12:00", "Dana Reyes", "media"),
    ]
    by_line = {m.line: m for m in messages}
    assert by_line[4].attachment == "00000012-PHOTO-2024-03-14-22-03-00.jpg"
    assert by_line[5].text == "image omitted" and by_line[5].attachment is None
    assert by_line[6].text == "Lane plan.pdf • 3 pages document omitted"
    assert by_line[7].text == "Contact card omitted"
    assert by_line[10].edited
    assert by_line[12].text.endswith("3/14/24, 10:11 PM - Pasted: an Android-looking line "
                                     "inside an iOS body")
    assert by_line[15].attachment == "00000013-Report.pdf"  # tag after a caption line
    assert not any("\u200e" in m.text for m in messages)


def test_ios_legacy_colon_after_time(data):
    export, messages = rows(data, "ios_legacy.txt")
    assert export.family == "ios-legacy"
    assert summary(messages) == [
        ("2015-12-24T21:14:12", None, "system"),
        ("2015-12-24T21:14:30", "Dana Reyes", "text"),
        ("2015-12-24T21:15:02", "Marcus Bell", "text"),
    ]
    assert messages[2].text == "Thanks: same to you"


def test_ios_location_links_keep_their_author(data):
    _, messages = rows(data, "ios_marked.txt")
    by_line = {m.line: m for m in messages}
    assert [(by_line[n].author, by_line[n].kind) for n in (2, 3)] == [
        ("Dana Reyes", "media"), ("Marcus Bell", "media")]
    assert by_line[2].text == "Location: https://maps.google.com/?q=32.5421,-117.0296"
    assert by_line[3].text == " Location: https://maps.google.com/?q=32.5421,-117.0296"


def test_ios_marked_texts_that_are_no_notice_keep_their_author(data):
    _, messages = rows(data, "ios_marked.txt")
    by_line = {m.line: m for m in messages}
    assert [(n, by_line[n].author, by_line[n].kind) for n in sorted(by_line)] == [
        (1, None, "system"),              # encryption notice in the group's slot
        (2, "Dana Reyes", "media"),
        (3, "Marcus Bell", "media"),
        (4, "Dana Reyes", "text"),        # a poll is its creator's message
        (8, "Marcus Bell", "media"),      # live location
        (9, "Dana Reyes", "text"),        # "Waiting for this message": the sender's
        (10, "Marcus Bell", "media"),     # view once
        (11, None, "system"),             # unknown wording, in the group's slot
        (12, "Dana Reyes", "text"),       # unknown wording, in a person's slot
        (13, "Marcus Bell", "system"),    # a marked call notice keeps its caller
        (14, "Dana Reyes", "text"),       # the same words unmarked, in a marked file: typed
        (15, None, "system"),
    ]
    assert by_line[4].text == "POLL:\nLane 4 open at 6?\nOPTION: yes (1 vote)\nOPTION: no (0 votes)"


def test_ios_chat_title_from_the_file_name_marks_the_notice_slot(data, tmp_path):
    lrm = "\u200e"
    lines = [f"{lrm}[3/14/24, 10:13:00\u202fPM] Port Ops: {lrm}Dana Reyesが説明を変更しました",
             f"[3/14/24, 10:14:00\u202fPM] Dana Reyes: {lrm}Kanalnachricht weitergeleitet"]
    # An unknown wording in the chat's own slot is a notice: the file name says whose it is.
    for name, first in [("WhatsApp Chat with Port Ops.txt", None), ("chat.txt", "Port Ops")]:
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _, messages = rows(data, path)
        assert [m.author for m in messages] == [first, "Dana Reyes"]


def test_ios_time_before_date(data):
    export, messages = rows(data, "ios_time_first.txt")
    assert (export.family, export.date_order) == ("ios-time-first", "MDY")
    assert [m.sent_at for m in messages] == [
        "2022-03-18T14:56:01", "2022-03-18T14:57:30", "2022-03-19T09:01:00"]
    assert messages[0].stamp == "14:56:01, 3/18/22"


@pytest.mark.parametrize("name, family, stamp, first", [
    ("ios_no_comma.txt", "ios", "14.03.24 22:05:01", "2024-03-14T22:05:01"),
    ("ios_time_first_no_comma.txt", "ios-time-first", "14:56:01 18/3/22", "2022-03-18T14:56:01"),
])
def test_ios_headers_without_comma(data, name, family, stamp, first):
    export, messages = rows(data, name)
    assert (export.family, export.date_order) == (family, "DMY")
    assert (messages[0].stamp, messages[0].sent_at) == (stamp, first)


@pytest.mark.parametrize("name, order, first", [
    ("ymd_dash.txt", "YMD", "2024-03-14T22:05"),       # year first, dashes, no comma
    ("french_a.txt", "DMY", "2024-03-14T22:05"),       # "à" between date and time
    ("finnish_klo.txt", "DMY", "2024-03-14T22:05"),    # "klo", '.' in the time
    ("arabic.txt", "DMY", "2024-03-14T22:22"),         # Arabic-Indic digits, م
])
def test_date_and_time_styles(data, name, order, first):
    export, messages = rows(data, name)
    assert export.date_order == order
    assert messages[0].sent_at == first


def test_unpadded_fields(data):
    _, messages = rows(data, "finnish_klo.txt")
    assert messages[2].sent_at == "2024-04-01T09:07"


def test_arabic_morning_marker_and_digits_in_body(data):
    _, messages = rows(data, "arabic.txt")
    assert messages[2].sent_at == "2024-03-15T00:01"  # ١٢:٠١ ص is 00:01
    assert messages[0].text == "مرحبا ١٢٣"  # digits in the body are left alone
    assert messages[0].author == "أحمد علي"


def test_twelve_hour_marker_spellings(data):
    _, messages = rows(data, "ampm_variants.txt")
    assert [m.sent_at[11:] for m in messages] == [
        "09:05", "09:05", "09:06", "21:07", "21:08", "00:09", "12:10"]
    assert messages[1].stamp == "14/3/24, 9:05 am"  # lower-case am


def test_invisible_marks_and_odd_spaces(data):
    _, messages = rows(data, "marks.txt")
    first, second, third, fourth = messages
    assert first.author == "Dana Reyes"          # U+00A0 in a name is a space
    assert first.text == "keep\u00a0this no-break space and this e\u0301 as written"
    assert second.author == "+1 (619) 555-0142"  # embedding marks stripped, U+2009/U+2011
    assert second.sent_at == "2024-03-14T22:06"  # U+2011 in the date read as '-'
    assert second.text == "marks gone, text kept"
    assert third.author == "Dana Reyes"
    assert third.text == "zerowidth no-break space removed"
    assert fourth.author == "Dana Reyes"          # U+2067…U+2069 around the name
    assert (fourth.stamp, fourth.sent_at) == ("14/03/2024, 22:08", "2024-03-14T22:08")
    assert fourth.text == "embedding, override, reversed and isolate marks gone"
    assert not any(mark in field for m in messages for field in (m.author, m.text, m.stamp)
                   for mark in INVISIBLE_MARKS)


def test_authors(data):
    _, messages = rows(data, "authors.txt")
    assert [m.author for m in messages] == [
        "Dr. Who", "🚓 Patrol 7 🚓", "~ Rocío M", "+1 (619) 555-0142", None, "Time 12:30"]
    assert messages[0].text == "The Doctor: time lord: yes"


def test_out_of_order_messages_keep_file_order(data):
    export, messages = rows(data, "out_of_order.txt")
    assert [m.text for m in messages] == ["first", "second, earlier clock", "third"]
    assert [(d.line, d.kind) for d in export.defects] == [(2, "out_of_order")]


def test_ambiguous_date_order_is_refused(data):
    with pytest.raises(AmbiguousDateOrder, match="--date-order") as caught:
        read_export(data / FORMATS / "ambiguous.txt")
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("order, first", [("DMY", "2024-04-03"), ("MDY", "2024-03-04")])
def test_date_order_given(data, order, first):
    export, messages = rows(data, "ambiguous.txt", date_order=order)
    assert export.date_order_source == "given"
    assert messages[0].sent_at.startswith(first)


def test_date_order_that_contradicts_the_file_names_the_line(data):
    export = read_export(data / FORMATS / "android_en_12h.txt", date_order="DMY")
    with pytest.raises(InputError, match="not a valid date in DMY order") as caught:
        list(export.messages())
    assert caught.value.line == 1


def test_text_before_the_first_header_is_refused_with_its_line(data):
    export = read_export(data / FORMATS / "leading_text.txt")
    with pytest.raises(InputError, match="before the first message header") as caught:
        list(export.messages())
    assert caught.value.line == 1


def test_lenient_policy_records_leading_text(data):
    from retainer.formats import ParsePolicy

    export = read_export(data / FORMATS / "leading_text.txt", policy=ParsePolicy(strict=False))
    assert [m.text for m in export.messages()] == ["first"]
    assert [(d.line, d.kind) for d in export.defects] == [(1, "leading_text")]


def test_messages_can_be_read_twice(data):
    export = read_export(data / FORMATS / "ios_en.txt")
    assert list(export.messages()) == list(export.messages())


def test_batches_are_rows_of_messages(data):
    export = read_export(data / FORMATS / "ios_en.txt")
    flat = [row for batch in export.batches() for row in batch]
    assert flat == [tuple(m) for m in export.messages()]


READABLE = sorted(p.name for p in (Path(__file__).parent.parent / "data" / FORMATS).glob("*.txt")
                  if p.name not in {"ambiguous.txt", "binary.txt", "empty.txt",
                                    "leading_text.txt", "not_utf8.txt", "prose.txt"})


@pytest.mark.parametrize("name", READABLE)
def test_fast_way_and_full_grammar_agree_on_every_fixture(data, name):
    export = read_export(data / FORMATS / name)
    slow = [row for batch in export._batches(export, fast=False) for row in batch]
    assert [tuple(m) for m in export.messages()] == slow


def both_ways(path):
    """The rows of the reader's fast way, after checking that the full grammar agrees."""
    export = read_export(path)
    fast = [row for batch in export._batches(export, fast=True) for row in batch]
    slow = [row for batch in export._batches(export, fast=False) for row in batch]
    assert fast == slow
    return fast


def test_a_header_without_its_lead_bracket_is_body_text_both_ways(tmp_path):
    path = tmp_path / "WhatsApp Chat - T.txt"
    path.write_text("[14/03/2024, 22:05:31] Dana R: first\n"
                    "14/03/2024, 22:05:31] pasted log line\n"
                    "[15/03/2024, 09:00:00] Dana R: second\n", encoding="utf-8")
    rows_ = both_ways(path)
    assert [(r[0], r[4]) for r in rows_] == [
        (1, "first\n14/03/2024, 22:05:31] pasted log line"), (3, "second")]
    # Time first: the lead belongs to the time.
    path = tmp_path / "WhatsApp Chat - U.txt"
    path.write_text("[14:56:01, 18/3/22] Dana R: first\n"
                    "14:56:01, 18/3/22] pasted log line\n"
                    "[14:57:01, 18/3/22] Dana R: second\n", encoding="utf-8")
    assert [r[0] for r in both_ways(path)] == [1, 3]


def test_a_mark_inside_the_first_colon_is_no_alias_of_the_author(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("14/3/24, 9:05 - Ana: a\n"
                    "14/3/24, 9:05 - Ana:\u200f Z: first\n"
                    "14/3/24, 9:05 - Ana:\u200f Z: second\n"
                    "14/3/24, 9:05 - Ana: end\n", encoding="utf-8")
    assert [(r[3], r[4]) for r in both_ways(path)] == [
        ("Ana", "a"), ("Ana", "Z: first"), ("Ana", "Z: second"), ("Ana", "end")]


TYPED = "Video call, 10:30 tomorrow with CBP and the mayor about the tariff"


def test_android_typed_messages_that_start_like_a_call_stay_text(tmp_path):
    path = tmp_path / "WhatsApp Chat with Calls.txt"
    path.write_text("3/14/24, 21:58 - Dana R: Lane 3 is closed.\n"
                    f"3/14/24, 21:59 - Dana R: {TYPED}\n"
                    "3/14/24, 22:00 - Dana R: Voice call\n"         # a reply, or a call: text
                    "3/14/24, 22:01 - Dana R: Video call, 12:30 or later\n"
                    "3/14/24, 22:02 - Dana R: Missed voice call. Tap to call back\n"
                    "3/14/24, 22:03 - Dana R: Video call, 4 min\n"
                    "3/14/24, 22:04 - Dana R: Voice call, 12 sec\n", encoding="utf-8")
    assert [(r[3], r[5]) for r in both_ways(path)] == [("Dana R", "text")] * 4 + [
        ("Dana R", "system")] * 3


def test_ios_call_notices_are_the_marked_ones(tmp_path):
    lrm, pm = "\u200e", "\u202fPM"
    path = tmp_path / "WhatsApp Chat - Ops.txt"
    path.write_text(
        f"[3/14/24, 9:58:01{pm}] Ops: {lrm}Messages and calls are end-to-end encrypted.\n"
        f"[3/14/24, 9:59:01{pm}] Dana Reyes: {TYPED}\n"
        f"[3/14/24, 9:59:02{pm}] Dana Reyes: Voice call\n"
        f"[3/14/24, 9:59:03{pm}] Dana Reyes: Video call, 12 min\n"
        f"[3/14/24, 9:59:04{pm}] Dana Reyes: Missed voice call\n"
        f"{lrm}[3/14/24, 10:00:01{pm}] Dana Reyes: {lrm}Missed voice call\n"
        f"{lrm}[3/14/24, 10:00:02{pm}] Dana Reyes: {lrm}Voice call\n"
        f"{lrm}[3/14/24, 10:00:03{pm}] Dana Reyes: {lrm}Video call, {lrm}12 min\n",
        encoding="utf-8")
    assert [(r[3], r[5]) for r in both_ways(path)] == [(None, "system")] + [
        ("Dana Reyes", "text")] * 4 + [("Dana Reyes", "system")] * 3


def test_a_marked_call_after_many_unmarked_lines_is_a_call(tmp_path):
    """The file's first lines decide whether it marks its notices; a cleared chat may show no
    mark for hundreds of lines. A line's own mark still counts."""
    lrm, pm = "\u200e", "\u202fPM"
    lines = [f"[3/14/24, 9:{i // 60:02d}:{i % 60:02d}{pm}] Dana Reyes: lane {i} ok"
             for i in range(450)]
    lines += [f"{lrm}[3/15/24, 10:00:00{pm}] Marcus Bell: {lrm}Voice call",
              f"{lrm}[3/15/24, 10:01:00{pm}] Marcus Bell: {lrm}Voice call, {lrm}1 minute",
              f"[3/15/24, 10:02:00{pm}] Marcus Bell: Voice call"]
    path = tmp_path / "WhatsApp Chat - Ops.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = both_ways(path)
    assert [(r[3], r[5]) for r in rows[-3:]] == [("Marcus Bell", "system")] * 2 + [
        ("Marcus Bell", "text")]


def test_unmarked_ios_calls_by_their_exact_words(tmp_path):
    path = tmp_path / "chat.txt"  # an old export: no U+200E anywhere
    path.write_text(f"[3/14/24, 9:59:01 PM] Dana Reyes: {TYPED}\n"
                    "[3/14/24, 9:59:02 PM] Dana Reyes: Voice call\n"
                    "[3/14/24, 9:59:03 PM] Dana Reyes: Missed voice call\n"
                    "[3/14/24, 9:59:04 PM] Dana Reyes: Video call, 1:05\n", encoding="utf-8")
    assert [(r[3], r[5]) for r in both_ways(path)] == [("Dana Reyes", "text")] * 2 + [
        ("Dana Reyes", "system")] * 2


def test_ios_notices_of_a_chat_whose_title_holds_a_colon(tmp_path):
    lrm, pm = "\u200e", "\u202fPM"
    lines = [
        f"[3/14/24, 9:58:01{pm}] Ops: Night: {lrm}Messages and calls are end-to-end encrypted.",
        f"{lrm}[3/14/24, 9:58:02{pm}] Ops: Night: {lrm}Dana Reyes added +1 202 555 0190",
        f"[3/14/24, 10:02:15{pm}] Dana Reyes: Lane 3 is closed.",
        f"[3/14/24, 10:02:16{pm}] Ops: Night: Dana Reyes added +1 202 555 0190",  # typed by Ops
        f"[3/14/24, 10:02:17{pm}] Ops: Night: {lrm}Dana Reyes changed the group name to "
        "“Ops: Day”",
    ]
    path = tmp_path / "WhatsApp Chat - Ops: Night.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [(r[3], r[4], r[5]) for r in both_ways(path)] == [
        (None, "Messages and calls are end-to-end encrypted.", "system"),
        (None, "Dana Reyes added +1 202 555 0190", "system"),
        ("Dana Reyes", "Lane 3 is closed.", "text"),
        ("Ops", "Night: Dana Reyes added +1 202 555 0190", "text"),  # no mark: a member's
        (None, "Dana Reyes changed the group name to “Ops: Day”", "system"),
    ]
    # Without the title (another file name), the first ": " splits, as before: kept as text.
    other = tmp_path / "chat.txt"
    other.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [r[3] for r in both_ways(other)][:2] == ["Ops", "Ops"]


def test_unmarked_ios_notices_of_a_chat_whose_title_holds_a_colon(tmp_path):
    path = tmp_path / "WhatsApp Chat - Ops: Night.txt"
    path.write_text("[3/14/24, 9:58:02 PM] Ops: Night: Dana Reyes added Marcus Bell\n"
                    "[3/14/24, 9:59:00 PM] Ops: Night shift starts\n"
                    "[3/14/24, 9:59:30 PM] Ops: Night: Dana Reyes added Luis Ortega\n",
                    encoding="utf-8")
    # Once "Ops" has written, the title no longer splits its line: the first ": " does, and
    # an unmarked file's words alone decide, as for any slot ("X added Y" is a notice).
    assert [(r[3], r[4], r[5]) for r in both_ways(path)] == [
        (None, "Dana Reyes added Marcus Bell", "system"),
        ("Ops", "Night shift starts", "text"),
        (None, "Night: Dana Reyes added Luis Ortega", "system")]
