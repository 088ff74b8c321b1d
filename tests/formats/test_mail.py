"""Official-mailbox captures: .eml, mbox and Maildir; exports, media, bodies and pasted text.

Fixtures in tests/data/mail/ come from tests/data/mail/make_fixtures.py. Their Received
stamps are 05:30:09 UTC (last hop, first header) and 05:30:05 UTC (first hop, earliest).
"""

from __future__ import annotations

import hashlib
import mailbox
import shutil
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retainer.errors import AmbiguousDateOrder, InputError
from retainer.formats import open_container_bytes, read_export
from retainer.formats.mail import parse_mail
from retainer.formats.mailboxes import is_mail_file, read_mail_file
from retainer.formats.pasted import html_to_text, pasted_messages

OFFICIAL = "dana.reyes@agency.example.gov"
EARLIEST_RECEIVED = datetime(2024, 3, 15, 5, 30, 5, tzinfo=UTC)
DATE = datetime(2024, 3, 15, 5, 30, tzinfo=UTC)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.fixture
def mail_dir(data):
    return data / "mail"


def one(path):
    mails = list(read_mail_file(path))
    assert len(mails) == 1
    return mails[0]


def pasted(mail, **kwargs):
    return [p for body in mail.bodies() for p in pasted_messages(body, **kwargs)]


def texts(mail):
    return [(p.sent_at, p.author, p.text) for p in pasted(mail)]


def test_eml_with_attached_export_zip_and_media(mail_dir):
    mail = one(mail_dir / "export_zip.eml")
    assert mail.source == str(mail_dir / "export_zip.eml")
    assert mail.raw == (mail_dir / "export_zip.eml").read_bytes()
    assert mail.message_id == "<fixture-1@mail.example.com>"
    assert mail.subject == "WhatsApp Chat with Port Ops"
    assert mail.from_ == ("dana.personal@mail.example.com",)
    assert mail.date == mail.capture_time() == DATE
    assert mail.recipients() == (OFFICIAL,)
    assert mail.defects == []
    (export,) = mail.exports()
    assert (export.name, export.mime) == ("WhatsApp Chat with Port Ops.zip", "application/zip")
    parsed = read_export(open_container_bytes(export.data, f"{mail.source}!{export.name}"))
    assert parsed.chat_title == "Port Ops"
    assert [m.name for m in parsed.media] == ["IMG-20240314-WA0003.jpg"]
    assert [m.attachment for m in parsed.messages()][-1] == "IMG-20240314-WA0003.jpg"
    (pdf,) = mail.media()
    assert (pdf.name, pdf.mime) == ("Lane plan.pdf", "application/pdf")
    assert hashlib.sha256(pdf.data).hexdigest() == hashlib.sha256(
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").hexdigest()
    assert mail.bodies() == ["Port Ops chat for the record.\n"]
    assert pasted(mail) == []


def test_export_attached_as_txt_by_name_or_by_contents(mail_dir):
    mail = one(mail_dir / "export_txt.eml")
    assert [(a.name, a.mime) for a in mail.exports()] == [
        ("WhatsApp Chat with Port Ops.txt", "text/plain"),
        ("chat.txt", "text/plain"),  # generic name, but it starts with a message header
    ]
    assert [a.name for a in mail.media()] == ["notes.txt"]
    export = mail.exports()[0]
    parsed = read_export(open_container_bytes(export.data, export.name))
    assert len(list(parsed.messages())) == 3


def test_attachments_inside_a_forwarded_message(mail_dir):
    mail = one(mail_dir / "forwarded.eml")
    # The capture is the outer mail: its Date and its recipients, not the forwarded one's.
    assert mail.capture_time() == datetime(2024, 3, 26, 15, 0, tzinfo=UTC)
    assert mail.recipients() == (OFFICIAL,)
    assert mail.message_id == "<fixture-4@mail.example.com>"
    assert [(a.name, a.mime) for a in mail.exports()] == [
        ("WhatsApp Chat - Port Ops.zip", "application/zip")]
    (photo,) = mail.media()
    assert (photo.name, photo.mime, photo.data) == ("IMG-20240314-WA0003.jpg", "image/jpeg", JPEG)
    assert mail.bodies()[0] == "Forwarding the original as an attachment.\n"
    assert texts(mail) == [("2024-03-14T22:02", "Dana Reyes",
                            "Lane 3 is closed until further notice.")]


def test_pasted_copy_format_cuts_signature_and_sign_off(mail_dir):
    mail = one(mail_dir / "pasted_copy.eml")
    assert texts(mail) == [
        ("2024-03-14T22:02", "Dana Reyes", "Lane 3 is closed until further notice."),
        ("2024-03-14T22:03", "Marcus Bell", "Copy."),
        ("2024-03-14T22:04", "Dana Reyes", "Checklist:\n1. cones out\n\n2. signs up"),
    ]
    assert [p.line for p in pasted(mail)] == [3, 4, 5]
    assert {p.kind for p in pasted(mail)} == {"text"}


def test_pasted_export_lines_plain_and_quoted(mail_dir):
    found = pasted(one(mail_dir / "pasted_export_lines.eml"))
    assert [(p.sent_at, p.author, p.text, p.kind, p.attachment, p.line) for p in found] == [
        ("2024-03-14T22:02", "Dana Reyes", "Lane 3 is closed until further notice.", "text",
         None, 2),
        ("2024-03-14T22:05", "Dana Reyes", "<Media omitted>", "media", None, 3),
        ("2024-03-14T22:03:00", "Marcus Bell", "Copy.", "text", None, 6),
        ("2024-03-14T22:06:10", "Marcus Bell", "<attached: 00000014-PHOTO.jpg>", "media",
         "00000014-PHOTO.jpg", 7),
    ]


def test_pasted_html_body(mail_dir):
    mail = one(mail_dir / "pasted_html.eml")
    (body,) = mail.bodies()
    assert "<div>" not in body and "&amp;" not in body
    assert texts(mail) == [
        ("2024-03-14T22:02", "Dana Reyes", "Lane 3 is closed & coned off."),
        ("2024-03-14T22:04", "Dana Reyes", "Checklist:\n1. cones out\n\n2. signs up"),
        ("2024-03-14T22:03", "Marcus Bell", "Copy."),  # from the <blockquote>
    ]


def test_alternative_bodies_count_once(mail_dir):
    mail = one(mail_dir / "alternative.eml")
    assert mail.bodies() == ["[10:03 PM, 3/14/2024] Marcus Bell: Copy.\n"]
    assert len(pasted(mail)) == 1


def test_missing_date_falls_back_to_the_earliest_received(mail_dir):
    mail = one(mail_dir / "no_date.eml")
    assert mail.date is None
    assert mail.received == (datetime(2024, 3, 15, 5, 30, 9, tzinfo=UTC),
                             EARLIEST_RECEIVED)
    assert mail.capture_time() == EARLIEST_RECEIVED  # earliest, not the first header
    assert mail.defects == ["Date header missing"]


def test_implausible_date_falls_back_to_received(mail_dir):
    mail = one(mail_dir / "implausible_date.eml")
    assert mail.date is None and mail.capture_time() == EARLIEST_RECEIVED
    assert mail.date_header == "Thu, 01 Jan 1970 00:00:00 +0000"  # what a report can cite
    assert mail.date_stated == datetime(1970, 1, 1, tzinfo=UTC)
    assert mail.defects == ["Date implausible (before 2009): 'Thu, 01 Jan 1970 00:00:00 +0000'"]


def make(date, received=("Fri, 15 Mar 2024 05:30:09 +0000",), **headers) -> bytes:
    msg = EmailMessage(policy=policy.default)
    for stamp in received:
        msg["Received"] = f"from a by mx1.agency.example.gov; {stamp}"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content("hello\n")
    # The Date as written: email would rewrite a wrong weekday and drop an unreadable value.
    return (f"Date: {date}\n".encode() if date is not None else b"") + msg.as_bytes()


@pytest.mark.parametrize("date, defect", [
    ("Fri, 15 Mar 2024 07:00:00 +0000", None),  # within a day of Received: kept
    ("Sat, 01 Jan 2099 00:00:00 +0000", "more than 1 day after the last Received"),
    ("Sun, 10 Mar 2024 05:30:00 +0000", "more than 1 day before the first Received"),
    ("Thu, 01 Jan 2004 00:00:00 +0000", "before 2009"),
    ("not a date", "Date header unreadable"),
])
def test_date_plausibility(date, defect):
    mail = parse_mail(make(date), "x.eml")
    assert mail.date_header == date
    if defect is None:
        assert mail.date == datetime(2024, 3, 15, 7, tzinfo=UTC)
        assert mail.defects == []
    else:
        assert mail.date is None
        assert mail.capture_time() == datetime(2024, 3, 15, 5, 30, 9, tzinfo=UTC)
        (said,) = [d for d in mail.defects if defect in d]
        assert said.endswith(repr(date))  # the header as written, for a report to cite


def test_a_date_in_the_future_without_received_is_implausible():
    now = datetime(2024, 3, 16, tzinfo=UTC)
    mail = parse_mail(make("Fri, 01 Jan 2100 00:00:00 +0000", received=()), "x.eml", now=now)
    assert mail.date is None and mail.capture_time() is None  # never an early capture time
    assert mail.date_stated == datetime(2100, 1, 1, tzinfo=UTC)
    assert mail.defects == ["Date implausible (in the future): 'Fri, 01 Jan 2100 00:00:00 +0000'"]
    tomorrow = parse_mail(make("Sat, 16 Mar 2024 20:00:00 +0000", received=()), "x.eml", now=now)
    assert tomorrow.date == datetime(2024, 3, 16, 20, tzinfo=UTC)  # within a day: clock skew


def test_a_received_stamp_in_the_future_is_left_out():
    now = datetime(2024, 3, 16, tzinfo=UTC)
    mail = parse_mail(make(None, received=("Fri, 01 Jan 2100 00:00:00 +0000",
                                           "Fri, 15 Mar 2024 05:30:09 +0000")), "x.eml", now=now)
    assert mail.received == (datetime(2024, 3, 15, 5, 30, 9, tzinfo=UTC),)
    assert "Received header 1 implausible (in the future): 'Fri, 01 Jan 2100 00:00:00 +0000'" \
        in mail.defects


def test_date_without_zone_is_utc_and_no_received_means_no_check():
    mail = parse_mail(make("Fri, 15 Mar 2024 07:00:00 -0000", received=()), "x.eml")
    assert mail.date == datetime(2024, 3, 15, 7, tzinfo=UTC)
    assert mail.received == ()
    bare = parse_mail(make(None, received=("garbage",)), "x.eml")
    assert bare.capture_time() is None
    assert "Received header 1 has no readable date" in bare.defects


def test_mail_to_non_official_addresses_lists_them(mail_dir):
    mail = one(mail_dir / "non_official.eml")
    assert mail.to == ("priya.nair@tri-county.example.com",)
    assert mail.cc == ("portops-nightdesk@agency.example.gov",)  # lowercased
    assert mail.recipients() == ("priya.nair@tri-county.example.com",
                                 "portops-nightdesk@agency.example.gov")
    assert OFFICIAL not in mail.recipients()
    assert len(pasted(mail)) == 1  # recognised; proving nothing is the matcher's call


def test_recipients_deduplicate_to_cc_and_delivered_to():
    raw = make(None, To="A <Dana.Reyes@Agency.Example.gov>, b@example.com",
               Cc="dana.reyes@agency.example.gov", Delivered_To="dana.reyes@agency.example.gov")
    assert parse_mail(raw, "x").recipients() == (OFFICIAL, "b@example.com")


def test_mbox_with_two_messages(mail_dir):
    path = mail_dir / "two.mbox"
    assert is_mail_file(path)
    mails = list(read_mail_file(path))
    assert [m.source for m in mails] == [f"{path}#1", f"{path}#2"]
    assert [m.message_id for m in mails] == ["<fixture-5@mail.example.com>",
                                             "<fixture-9@mail.example.com>"]
    assert mails[0].raw.startswith(b"Delivered-To: ") and b"\nFrom dana" not in mails[0].raw
    assert mails[0].raw in path.read_bytes()
    assert mails[1].capture_time() == EARLIEST_RECEIVED
    assert len(pasted(mails[0])) == 3


def test_maildir_with_one_message(mail_dir, tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    key = box.add((mail_dir / "pasted_copy.eml").read_bytes())
    box.close()
    assert is_mail_file(tmp_path / "Maildir")
    (mail,) = read_mail_file(tmp_path / "Maildir")
    assert mail.source == f"{tmp_path / 'Maildir'}!{key}"
    assert mail.raw == (mail_dir / "pasted_copy.eml").read_bytes()
    assert len(pasted(mail)) == 3


def test_sample_official_mailbox(data):
    path = data.parent.parent / "sample_exports" / "mailbox" / "official.mbox"
    mails = list(read_mail_file(path))
    assert len(mails) == 6
    marcus = "marcus.bell@agency.example.gov"
    assert [marcus in m.recipients() for m in mails] == [True, True, True, False, True, True]
    assert [len(m.exports()) for m in mails] == [1, 0, 1, 0, 0, 1]
    assert [len(pasted(m)) for m in mails] == [0, 3, 0, 2, 4, 0]
    assert mails[4].date is None
    assert mails[4].capture_time() == datetime(2026, 11, 16, 13, 12, 3, tzinfo=UTC)
    assert mails[5].capture_time() == datetime(2026, 11, 18, 14, 40, 26, tzinfo=UTC)
    assert pasted(mails[1])[0].sent_at == "2026-10-20T21:41"
    assert pasted(mails[4])[0].sent_at == "2026-10-31T23:58:30"


@pytest.mark.parametrize("name, content, message, line", [
    ("empty.eml", b"", "is empty", None),
    ("prose.eml", b"Just a note, not a mail.\n\nSecond paragraph.\n", "no mail header field", 1),
    ("photo.eml", JPEG, "libmagic identifies it as image/jpeg", None),
    ("box.mbox", b"Subject: hi\n\nbody\n", "first line is not a 'From ' line", 1),
], ids=["empty", "prose", "binary", "mbox-without-From"])
def test_bad_files_raise_one_clear_input_error(tmp_path, name, content, message, line):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read_mail_file(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert "Just a note" not in str(caught.value) and "\n" not in str(caught.value)


def test_missing_file_and_plain_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_mail_file(tmp_path / "nope.eml")
    with pytest.raises(InputError, match="not a Maildir"):
        read_mail_file(tmp_path)
    assert not is_mail_file(tmp_path) and not is_mail_file(tmp_path / "nope")


def test_a_broken_message_inside_an_mbox_is_a_defect(tmp_path, mail_dir):
    path = tmp_path / "journal"
    good = (mail_dir / "no_date.eml").read_bytes()
    path.write_bytes(b"From x Thu Mar 14 00:00:00 2024\n\x00\x01 garbage without headers\n\n"
                     b"From x Thu Mar 14 00:00:01 2024\n" + good)
    broken, fine = read_mail_file(path)
    assert "no mail header fields" in broken.defects
    assert broken.capture_time() is None and broken.recipients() == ()
    assert fine.recipients() == (OFFICIAL,)


def test_is_mail_file_by_name_content_and_libmagic(tmp_path, mail_dir, data):
    assert is_mail_file(mail_dir / "pasted_copy.eml")
    renamed = tmp_path / "message.txt"  # libmagic: message/rfc822 (first field Delivered-To)
    shutil.copy(mail_dir / "forwarded.eml", renamed)
    assert is_mail_file(renamed)
    mbox = tmp_path / "journal"
    shutil.copy(mail_dir / "two.mbox", mbox)
    assert is_mail_file(mbox)
    assert not is_mail_file(data / "formats" / "android_en_12h.txt")
    assert not is_mail_file(data / "formats" / "ios_with_media.zip")


# pasted_messages and html_to_text on their own

def test_ambiguous_dates_raise_unless_given_or_decided_elsewhere():
    body = "hi\n[10:02 PM, 3/4/2024] Dana Reyes: a\n"
    with pytest.raises(AmbiguousDateOrder) as caught:
        pasted_messages(body, source="m.eml#2")
    assert (caught.value.path, caught.value.line) == ("m.eml#2", 2)
    assert pasted_messages(body, date_order="DMY")[0].sent_at == "2024-04-03T22:02"
    # Another run of the same body decides it (a quote boundary separates the runs).
    decided = body + "> [10:03 PM, 3/14/2024] Dana Reyes: b\n"
    assert [p.sent_at for p in pasted_messages(decided)] == ["2024-03-04T22:02",
                                                             "2024-03-14T22:03"]


def test_a_change_of_format_starts_a_new_run():
    body = ("[10:02 PM, 3/14/2024] Dana Reyes: copy format\n"
            "3/14/24, 10:03 PM - Dana Reyes: export line\n"
            "[3/14/24, 10:04:05 PM] Dana Reyes: ios line\n")
    assert [(p.sent_at, p.text, p.line) for p in pasted_messages(body)] == [
        ("2024-03-14T22:02", "copy format", 1),
        ("2024-03-14T22:03", "export line", 2),
        ("2024-03-14T22:04:05", "ios line", 3),
    ]


@pytest.mark.parametrize("tail, text", [
    ("\n\nThanks,\nDana", "a"),
    ("\n\nBest regards,", "a"),
    ("\n\nSecond paragraph of the message.", "a\n\nSecond paragraph of the message."),
    ("\n\nThanks,\nDana\nPort Director", "a\n\nThanks,\nDana\nPort Director"),
    ("\n--\nDana", "a"),
    ("\n\n---------- Forwarded message ---------\nFrom: x", "a"),
    ("\n\nSent from my iPhone", "a"),
])
def test_what_ends_the_last_pasted_message(tail, text):
    (message,) = pasted_messages("[10:02 PM, 3/14/2024] Dana Reyes: a" + tail)
    assert message.text == text


def test_quoted_reply_attribution_and_nested_quotes():
    body = ("Agreed.\n"
            "\n"
            "On Fri, Mar 15, 2024, Marcus wrote:\n"
            "> see below\n"
            "> > [10:02 PM, 3/14/2024] Dana Reyes: a\n"
            "> > [10:03 PM, 3/14/2024] Dana Reyes: b\n"
            "> more reply text\n")
    assert [(p.text, p.line) for p in pasted_messages(body)] == [("a", 5), ("b", 6)]


def test_html_to_text():
    html = ("<html><head><title>t</title><style>p{}</style></head><body>"
            "<p>one&nbsp;&nbsp;two\n   three</p><p>&nbsp;</p>"
            "<div>x<br/>y</div><ul><li>first</li><li>second</li></ul>"
            "<pre>a\n  b</pre><script>var z;</script>"
            "<blockquote>q1<blockquote>q2</blockquote></blockquote>end</body></html>")
    assert html_to_text(html) == ("one  two three\n\nx\ny\nfirst\nsecond\na\n  b\n"
                                  "> q1\n>> q2\nend")


@given(st.text(alphabet=st.sampled_from("[]/,:-> \n0123456789APM\u202fabc<&;"), max_size=200))
def test_pasted_messages_never_crash(body):
    found = pasted_messages(body, date_order="MDY")
    assert all(1 <= p.line <= body.count("\n") + 1 for p in found)
    pasted_messages(html_to_text(body), date_order="DMY")


@given(st.binary(max_size=300) | st.text(
    alphabet=st.sampled_from("From:To:Date;Received=?utf-8?q?<>@, \n\r\t-boundarymultipart/\x00"),
    max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_parse_mail_never_raises(raw):
    mail = parse_mail(raw, "x")
    mail.capture_time(), mail.recipients(), mail.exports(), mail.media()
    assert all(isinstance(d, str) for d in mail.defects)


@pytest.mark.parametrize("first", [b"Subject: lane 3", b"To: dana.reyes@agency.example.gov",
                                   b"MIME-Version: 1.0", b"X-Mozilla-Status: 0001"])
def test_a_mail_whose_first_field_libmagic_does_not_know_is_mail(tmp_path, first):
    path = tmp_path / "message"
    path.write_bytes(first + b"\nX-Folded: a\n b\nMessage-ID: <m@example.com>\n\nhello\n")
    assert is_mail_file(path)
    path.write_bytes(b"Note: buy cones\n\nnot a mail\n")  # a field name, but no mail field
    assert not is_mail_file(path)


def test_a_maildir_message_is_mail_whatever_it_looks_like(tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.close()
    odd = tmp_path / "Maildir" / "cur" / "1.M1.host:2,S"
    odd.write_bytes(b"Subject: x\nTo: dana.reyes@agency.example.gov\n\n" + bytes(range(256)) * 4)
    assert is_mail_file(odd)  # libmagic: application/octet-stream
    (mail,) = read_mail_file(odd)
    assert mail.source == str(odd)
    delivery = tmp_path / "Maildir" / "tmp" / "2.M2.host"
    delivery.write_bytes(b"From: a@example.com\n\nhalf")
    assert not is_mail_file(delivery)
