"""Write the mail fixtures in this folder (standard library only, deterministic).

    python tests/data/mail/make_fixtures.py

Everything is fictional (example.com / example.gov). The official account in these mails is
``dana.reyes@agency.example.gov``. Edit this script, not the outputs, and re-run it.
"""

from __future__ import annotations

import io
import mailbox
import zipfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).parent
OFFICIAL = "dana.reyes@agency.example.gov"
PERSONAL = "dana.personal@mail.example.com"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHAT = (
    b"3/14/24, 10:02 PM - Dana Reyes: Lane 3 is closed until further notice.\n"
    b"3/14/24, 10:03 PM - Marcus Bell: Copy.\n"
    b"3/14/24, 10:05 PM - Dana Reyes: IMG-20240314-WA0003.jpg (file attached)\n"
    b"Queue at lane 2\n"
)
RECEIVED = [
    ("from smtp-out.mail.example.com (smtp-out.mail.example.com [198.51.100.25]) by "
     "mx1.agency.example.gov with ESMTPS id 4Q9T2K for <{to}>; {0}"),
    "from [203.0.113.44] by smtp-out.mail.example.com with ESMTPSA id 7c1d for <{to}>; {1}",
]
STAMPS = ("Fri, 15 Mar 2024 05:30:09 +0000", "Thu, 14 Mar 2024 22:30:05 -0700")
"""Received stamps, last hop first: the earliest is the second (05:30:05 UTC)."""


def mail(subject: str, *, to: str = OFFICIAL, cc: str | None = None,
         date: str | None = "Thu, 14 Mar 2024 22:30:00 -0700", n: int = 1,
         stamps: tuple[str, str] = STAMPS) -> EmailMessage:
    msg = EmailMessage(policy=policy.default)
    msg["Delivered-To"] = to.rpartition("<")[2].rstrip(">")
    for received in RECEIVED:
        msg["Received"] = received.format(*stamps, to=msg["Delivered-To"])
    msg["From"] = f"Dana Reyes <{PERSONAL}>"
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    if date is not None:
        msg["Date"] = date
    msg["Message-ID"] = f"<fixture-{n}@mail.example.com>"
    return msg


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2024, 3, 14, 22, 30, 0)), data)
    return buffer.getvalue()


def fixed_boundaries(msg: EmailMessage, prefix: str = "b") -> None:
    """Deterministic MIME boundaries (email would pick random ones)."""
    for i, part in enumerate(msg.walk()):
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            part.set_boundary(f"=={prefix}{i}==")
        if part.get_content_type() == "message/rfc822":
            fixed_boundaries(part.get_payload(0), prefix + f"{i}x")


def write(name: str, msg: EmailMessage) -> None:
    fixed_boundaries(msg)
    (HERE / name).write_bytes(msg.as_bytes())


def export_zip() -> EmailMessage:
    msg = mail("WhatsApp Chat with Port Ops", n=1)
    msg.set_content("Port Ops chat for the record.\n")
    msg.add_attachment(zipped({"WhatsApp Chat with Port Ops.txt": CHAT,
                               "IMG-20240314-WA0003.jpg": JPEG}),
                       maintype="application", subtype="zip",
                       filename="WhatsApp Chat with Port Ops.zip")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="Lane plan.pdf")
    return msg


def export_txt() -> EmailMessage:
    msg = mail("Chats", n=2)
    msg.set_content("Two chats, no media.\n")
    msg.add_attachment(CHAT, maintype="text", subtype="plain",
                       filename="WhatsApp Chat with Port Ops.txt")
    msg.add_attachment(CHAT, maintype="text", subtype="plain", filename="chat.txt")
    msg.add_attachment(b"Shopping list: cones, signs\n", maintype="text", subtype="plain",
                       filename="notes.txt")
    return msg


def forwarded() -> EmailMessage:
    inner = mail("Port Ops", to=PERSONAL, date="Thu, 14 Mar 2024 23:00:00 -0700", n=3)
    inner.set_content("From the group:\n\n"
                      "[10:02 PM, 3/14/2024] Dana Reyes: Lane 3 is closed until further notice.\n")
    inner.add_attachment(zipped({"_chat.txt": CHAT}), maintype="application", subtype="zip",
                         filename="WhatsApp Chat - Port Ops.zip")
    inner.add_attachment(JPEG, maintype="image", subtype="jpeg",
                         filename="IMG-20240314-WA0003.jpg")
    msg = mail("Fwd: Port Ops", date="Tue, 26 Mar 2024 08:00:00 -0700", n=4,
               stamps=("Tue, 26 Mar 2024 15:00:04 +0000", "Tue, 26 Mar 2024 08:00:02 -0700"))
    msg.set_content("Forwarding the original as an attachment.\n")
    msg.add_attachment(inner, filename="Port Ops.eml")
    return msg


def pasted_copy() -> EmailMessage:
    msg = mail("Port Ops lines", n=5)
    msg.set_content(
        "Hi, copying last night's messages for the record:\n"
        "\n"
        "[10:02 PM, 3/14/2024] Dana Reyes: Lane 3 is closed until further notice.\n"
        "[10:03 PM, 3/14/2024] Marcus Bell: Copy.\n"
        "[10:04 PM, 3/14/2024] Dana Reyes: Checklist:\n"
        "1. cones out\n"
        "\n"
        "2. signs up\n"
        "\n"
        "Thanks,\n"
        "Dana\n"
        "\n"
        "-- \n"
        "Dana Reyes | Port Director\n")
    return msg


def pasted_export_lines() -> EmailMessage:
    msg = mail("Port Ops export lines", n=6)
    msg.set_content(
        "Lines from the export:\n"
        "3/14/24, 10:02 PM - Dana Reyes: Lane 3 is closed until further notice.\n"
        "3/14/24, 10:05 PM - Dana Reyes: <Media omitted>\n"  # the photo at 10:05, no file
        "\n"
        "On Fri, Mar 15, 2024 at 6:00 AM Marcus Bell <marcus@mail.example.com> wrote:\n"
        "> [3/14/24, 10:03:00\u202fPM] Marcus Bell: Copy.\n"
        "> [3/14/24, 10:06:10\u202fPM] Marcus Bell: \u200e<attached: 00000014-PHOTO.jpg>\n"
        ">\n"
        "> Thanks,\n"
        "> Marcus\n"
        "\n"
        "Sent from my iPhone\n")
    return msg


def pasted_html() -> EmailMessage:
    msg = mail("Port Ops (HTML)", n=7)
    msg.set_content(
        "<html><head><style>p {margin: 0}</style></head><body>\n"
        "<div>Copied from the group:</div>\n"
        "<div>[10:02 PM, 3/14/2024] Dana Reyes: Lane 3 is closed &amp; coned\n"
        "  off.</div>\n"
        "<div>[10:04 PM, 3/14/2024] Dana Reyes: Checklist:<br>1. cones out</div>\n"
        "<div><br></div>\n"
        "<div>2. signs&nbsp;up</div>\n"
        "<blockquote><div>[10:03 PM, 3/14/2024] Marcus Bell: Copy.</div></blockquote>\n"
        "</body></html>\n", subtype="html")
    return msg


def alternative() -> EmailMessage:
    msg = mail("Port Ops (both)", n=8)
    msg.set_content("[10:03 PM, 3/14/2024] Marcus Bell: Copy.\n")
    msg.add_alternative("<p>[10:03 PM, 3/14/2024] Marcus Bell: Copy.</p>", subtype="html")
    return msg


def no_date() -> EmailMessage:
    msg = mail("No Date", date=None, n=9)
    msg.set_content("[10:03 PM, 3/14/2024] Marcus Bell: Copy.\n")
    return msg


def implausible_date() -> EmailMessage:
    msg = mail("Epoch", date="Thu, 01 Jan 1970 00:00:00 +0000", n=10)
    msg.set_content("[10:03 PM, 3/14/2024] Marcus Bell: Copy.\n")
    return msg


def non_official() -> EmailMessage:
    msg = mail("FYI", to="Priya Nair <priya.nair@tri-county.example.com>",
               cc="Night Desk <PortOps-NightDesk@agency.example.gov>", n=11)
    msg.set_content("[10:03 PM, 3/14/2024] Marcus Bell: Copy.\n")
    return msg


def two_mbox() -> None:
    path = HERE / "two.mbox"
    path.unlink(missing_ok=True)
    box = mailbox.mbox(path, create=True)
    try:
        for n, msg in enumerate((pasted_copy(), no_date()), 1):
            fixed_boundaries(msg)
            member = mailbox.mboxMessage(msg)
            member.set_from(PERSONAL, (2024, 3, 15, 5, 30, n, 4, 75, 0))
            box.add(member)
        box.flush()
    finally:
        box.close()


def main() -> None:
    for name, build in [
        ("export_zip.eml", export_zip), ("export_txt.eml", export_txt),
        ("forwarded.eml", forwarded), ("pasted_copy.eml", pasted_copy),
        ("pasted_export_lines.eml", pasted_export_lines), ("pasted_html.eml", pasted_html),
        ("alternative.eml", alternative), ("no_date.eml", no_date),
        ("implausible_date.eml", implausible_date), ("non_official.eml", non_official),
    ]:
        write(name, build())
    two_mbox()


if __name__ == "__main__":
    main()
