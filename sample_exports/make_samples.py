#!/usr/bin/env python3
"""Generate retainer's bundled, FICTIONAL sample data (sample_exports/).

Standard library only, no randomness: running it twice writes byte-identical
files (zip member times, mail dates, MIME boundaries and mbox "From " lines are
all pinned).  Run from anywhere:

    python sample_exports/make_samples.py

It writes, next to itself:

    drop/dana/WhatsApp Chat with Port Ops Night Shift.txt   Android, en-US, 12 h
    drop/dana/WhatsApp Chat with Luis Ortega.zip            Android, en-US, with media
    drop/marcus/WhatsApp Chat - Liaison Bridge Crossing.zip iOS, en-US, with media
    drop/elena/Chat de WhatsApp con Coordinación Garita.txt Android, Spanish, 24 h
    mailbox/official.mbox                                   official mailbox capture
    retainer.toml                                           sample configuration
    expected-verdicts.csv                                   § 2911 verdict of every message
    README.md                                               story, people, files, verdicts

Every person, number, address, port and agency here is invented.  Phone numbers
use the 555-01xx fiction range, domains are under example.com / example.gov,
IP addresses are from the documentation ranges (RFC 5737).

The expected verdicts are computed by a small, independent implementation of
DESIGN.md §5 at the bottom of this file, from the same data that renders the
exports and the mails, so README/CSV and the files cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import mailbox
import shutil
import struct
import time as _time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent

LA = ZoneInfo("America/Los_Angeles")
PHX = ZoneInfo("America/Phoenix")
UTC = timezone.utc

AS_OF = date(2026, 11, 23)
WINDOW_DAYS = 20

LRM = "\u200e"      # LEFT-TO-RIGHT MARK (iOS media/system lines)
NNBSP = "\u202f"    # NARROW NO-BREAK SPACE (before AM/PM, Android and iOS since ~2023)

# --------------------------------------------------------------------------------------
# People (mirrors retainer.toml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    custodian: bool
    aliases: tuple[str, ...]
    official_accounts: tuple[str, ...]
    timezone: str
    role: str | None = None
    note: str = ""


PEOPLE = {
    "dana": Person(
        "Dana Reyes", True, ("Dana Reyes", "Dana R", "+1 619 555 0142"),
        ("dana.reyes@agency.example.gov", "+1 202 555 0190"), "America/Los_Angeles",
        "capstone-official", "Port Director, Cerro Azul Port of Entry (Android phone)"),
    "marcus": Person(
        "Marcus Bell", True, ("Marcus Bell", "+1 602 555 0118"),
        ("marcus.bell@agency.example.gov",), "America/Phoenix",
        "supervisory-officer", "Supervisory officer, Vado Seco Bridge (iPhone; Arizona, no DST)"),
    "elena": Person(
        "Elena Vargas", True, ("Elena Vargas", "+1 619 555 0177"),
        ("elena.vargas@agency.example.gov",), "America/Los_Angeles",
        "officer", "Officer, Cerro Azul night shift (Android phone in Spanish, 24 h, day-first)"),
    "luis": Person(
        "Luis Ortega", False, ("Luis Ortega",), (), "America/Phoenix", None,
        "Liaison officer of the partner customs service SAA (fictional)"),
    "priya": Person(
        "Priya Nair", False, ("Priya Nair", "+1 858 555 0123"), (), "America/Los_Angeles", None,
        "Contractor, Tri-County Systems (lane sensors and plate readers)"),
    "rocio": Person(
        "Rocío Méndez", False, ("Rocío Méndez",), (), "America/Los_Angeles", None,
        "Night-shift supervisor at Garita Piedra Lisa, partner customs service SAA (fictional)"),
}
TZ_OF = {k: ZoneInfo(p.timezone) for k, p in PEOPLE.items()}

# author keys used in the chat data -> (person key, account as the person's phone shows it)
# "official" marks an account that is one of the person's official accounts.
ACCOUNTS = {
    "D": ("dana", False), "DO": ("dana", True), "M": ("marcus", False), "E": ("elena", False),
    "L": ("luis", False), "P": ("priya", False), "R": ("rocio", False), "T": (None, False),
    "SYS": (None, False),
}

# --------------------------------------------------------------------------------------
# Chat data
# --------------------------------------------------------------------------------------


@dataclass
class Entry:
    key: str
    chat: str
    local: datetime            # aware, in the exporting device's zone (fold set in the fold hour)
    who: str                   # key of ACCOUNTS
    text: str                  # body as rendered when nothing special applies
    kind: str = "text"         # text | media | system | deleted | call
    edited: bool = False
    media: dict | None = None  # {"type": "photo"|"doc", "file": name, ...}
    deleted_at: datetime | None = None      # deleted for everyone later (stub in later exports)
    deleted_for_me_at: datetime | None = None  # removed from the exporting phone only
    never_captured_deleted: bool = False    # a stub in every export that shows it
    tag: str = ""                           # name used by mails and README to refer to it
    notes: list[str] = field(default_factory=list)

    @property
    def utc(self) -> datetime:
        return self.local.astimezone(UTC)


def _dt(s: str, tz: ZoneInfo, fold: int = 0) -> datetime:
    fmt = "%Y-%m-%d %H:%M:%S" if s.count(":") == 2 else "%Y-%m-%d %H:%M"
    return datetime.strptime(s, fmt).replace(tzinfo=tz, fold=fold)


def build_chat(chat: str, prefix: str, tz: ZoneInfo, rows: list[tuple]) -> list[Entry]:
    out = []
    for i, row in enumerate(rows, 1):
        when, who, text = row[:3]
        kw = dict(row[3]) if len(row) > 3 else {}
        fold = kw.pop("fold", 0)
        for k in ("deleted_at", "deleted_for_me_at"):
            if k in kw:
                kw[k] = _dt(kw[k], tz)
        out.append(Entry(f"{prefix}-{i:03d}", chat, _dt(when, tz, fold), who, text, **kw))
    return out


SYS = {"kind": "system"}
MEDIA_OMITTED = {"kind": "media"}

# ---- 1. Port Ops Night Shift: Android, en-US, exported on Dana's phone (Los Angeles) ----
PORT_OPS = "Port Ops Night Shift"
PORT_OPS_ROWS = [
    ("2026-09-02 21:14", "SYS", "Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them. Learn more.", SYS),
    ("2026-09-02 21:14", "SYS", 'Marcus Bell created group "Port Ops Night Shift"', SYS),
    ("2026-09-02 21:14", "SYS", "Marcus Bell added you", SYS),
    ("2026-09-02 21:15", "SYS", "Marcus Bell added Elena Vargas", SYS),
    ("2026-09-02 21:15", "SYS", "Marcus Bell added Priya Nair", SYS),
    ("2026-09-02 21:17", "M", "Evening all. This group is for night shift coordination at Cerro Azul: lane status, staffing swaps, equipment issues. Anything for a case file still goes in the shift log."),
    ("2026-09-02 21:19", "D", "Thanks Marcus. I'll keep an eye on it from home on my nights off."),
    ("2026-09-02 21:20", "E", "👍"),
    ("2026-09-02 21:24", "P", "Priya Nair here, Tri-County Systems. I'm the on-call contractor for the lane sensors and the plate readers."),
    ("2026-09-02 22:05", "E", "Lane 6 booth printer is jammed again. Using the backup in booth 5."),
    ("2026-09-02 22:11", "P", "I'll bring a fuser unit tomorrow night."),
    ("2026-09-03 00:42", "M", "Reminder: two officers at secondary after midnight, no exceptions."),
    ("2026-09-03 01:15", "E", "Secondary has 4 vehicles waiting, one of them a bus."),
    ("2026-09-03 01:17", "D", "Is that the 0100 charter from Santa Inés?"),
    ("2026-09-03 01:18", "E", "Yes. 41 passengers. Processing now."),
    ("2026-09-03 02:30", "E", "Bus cleared 0224."),
    ("2026-09-05 22:01", "D", "Staffing for the weekend:\n\nFri 2200-0600: Elena primary, Okafor secondary\nSat 2200-0600: Elena primary, relief officer from day shift on secondary\nSun: TBD, I'll confirm tomorrow"),
    ("2026-09-05 22:03", "E", "Works for me."),
    ("2026-09-05 22:40", "M", "I can take the Sunday supervisor call remotely."),
    ("2026-09-08 23:10", "P", "Plate reader on lane 3 is dropping reads above 15 mph. Will recalibrate Thursday."),
    ("2026-09-08 23:12", "E", "Lots of misreads on lane 3 tonight, confirmed."),
    ("2026-09-10 21:30", "P", "Lane 3 plate reader recalibrated. Read rate back to 98%."),
    ("2026-09-10 21:33", "D", "Thank you Priya."),
    ("2026-09-12 00:15", "E", "Lane 2 closed 0010-0040 for a diesel spill from a box truck. Fire department on scene."),
    ("2026-09-12 00:21", "M", "Any injuries?"),
    ("2026-09-12 00:22", "E", "None. Truck moved to the secondary lot."),
    ("2026-09-12 00:55", "E", "Lane 2 reopened 0048."),
    ("2026-09-14 22:45", "D", "Reminder that the quarterly secondary inspection audit is 9/21. Make sure every referral has a disposition entered before end of shift."),
    ("2026-09-14 22:47", "E", "Copy."),
    ("2026-09-14 22:52", "M", "I'll pull the open referrals list Monday."),
    ("2026-09-15 03:05", "E", "<Media omitted>", MEDIA_OMITTED),
    ("2026-09-15 03:06", "E", "Crack in the lane 4 booth window, photo above. Facilities ticket opened."),
    ("2026-09-15 08:30", "D", "Thanks. I'll escalate with facilities."),
    ("2026-09-17 22:20", "M", "Night shift overtime for October is approved. 2 extra officers Fri/Sat."),
    ("2026-09-17 22:24", "E", "🙏"),
    ("2026-09-17 22:31", "D", "Good news. Elena, can you draft the October roster?"),
    ("2026-09-17 22:33", "E", "Yes, by Monday."),
    ("2026-09-18 01:44", "E", "Commercial lot lights are out on the north half."),
    ("2026-09-18 01:50", "P", "Breaker tripped, reset it. Lights back."),
    ("2026-09-21 21:05", "E", "October night roster (draft):\n\nWeek 1: Elena primary, Okafor secondary\nWeek 2: Elena primary, Brandt secondary\nWeek 3: Brandt primary, Okafor secondary\n\n10/31 is a double-staffed night, Halloween traffic."),
    ("2026-09-21 21:30", "D", "Looks good. Approved."),
    ("2026-09-22 23:55", "M", "Audit went fine. Two referrals were missing dispositions, both fixed."),
    ("2026-09-24 02:10", "E", "Southbound traffic backed up to the overpass, the partner side is slow."),
    ("2026-09-24 02:12", "D", "Let me call the SAA duty officer."),
    ("2026-09-24 02:35", "D", "SAA had one booth down. Second booth opening now."),
    ("2026-09-24 02:50", "E", "Moving again."),
    ("2026-09-26 22:00", "P", "Planned outage: plate readers on lanes 1-3, Tuesday 9/29 0200-0300, firmware update."),
    ("2026-09-26 22:02", "M", "Approved. Keep at least one lane with a working reader at all times."),
    ("2026-09-26 22:03", "P", "Will do, lanes 4-6 stay up."),
    ("2026-09-29 02:58", "P", "Firmware done on lanes 1-3. All readers up."),
    ("2026-10-01 21:40", "D", "October starts. Reminder that all shift decisions go in the shift log, not just here."),
    ("2026-10-01 21:44", "M", "👍"),
    ("2026-10-02 00:30", "E", "Lane 5 primary referred a van to secondary, undeclared cash over 10k suspected."),
    ("2026-10-02 00:31", "M", "Call the duty supervisor and start the currency report."),
    ("2026-10-02 01:20", "E", "Cash counted: 12,400 USD. Traveler filed the report, released after interview."),
    ("2026-10-02 01:25", "D", "Good handling."),
    ("2026-10-03 22:15", "E", "Lane 1 closed for 20 min, broken arm gate."),
    ("2026-10-03 22:40", "E", "Gate fixed, lane 1 open."),
    ("2026-10-05 23:05", "P", "<Media omitted>", MEDIA_OMITTED),
    ("2026-10-05 23:06", "P", "New wiring diagram for the lane 2 booth."),
    ("2026-10-05 23:30", "E", "Thanks"),
    ("2026-10-07 01:12", "E", "Secondary: commercial truck, 14 pallets of brake pads, the labels look off."),
    ("2026-10-07 01:15", "M", "Hold it. Get the IPR specialist on the phone in the morning."),
    ("2026-10-07 01:16", "E", "Holding it in the secondary lot."),
    ("2026-10-07 08:45", "D", "Specialist confirmed counterfeit brake pads. Seizure paperwork started, case 2026-CA-0412."),
    ("2026-10-07 08:47", "M", "Nice catch Elena."),
    ("2026-10-07 08:50", "E", "Thanks 😊"),
    ("2026-10-08 22:00", "D", "On the brake pad seizure: the partner service asked for details. Please post nothing about the case here. Liaison requests go through the liaison desk."),
    ("2026-10-08 22:04", "E", "Understood."),
    ("2026-10-08 22:05", "P", "This message was deleted", {"kind": "deleted", "never_captured_deleted": True, "tag": "po_deleted"}),
    ("2026-10-08 22:06", "P", "Sorry, wrong chat."),
    ("2026-10-09 03:10", "E", "Tow truck for the seized trailer hasn't shown up."),
    ("2026-10-09 03:25", "SYS", "Priya Nair added +1 (619) 555-0163", SYS),
    ("2026-10-09 03:27", "T", "Harbor Tow dispatch. Driver is 20 min out, had a flat on the truck route."),
    ("2026-10-09 03:29", "E", "Thanks."),
    ("2026-10-09 04:02", "E", "Trailer towed to the bonded yard 0355."),
    ("2026-10-09 04:05", "SYS", "Priya Nair removed +1 (619) 555-0163", SYS),
    ("2026-10-10 22:30", "M", "Weekend: expect heavier traffic, there's a festival in Santa Inés."),
    ("2026-10-11 01:45", "E", "Northbound wait 55 min. Opening lane 6."),
    ("2026-10-11 01:47", "D", "Thanks Elena."),
    ("2026-10-13 21:10", "D", "Regional wants the weekly numbers in the new template. I'll send it to everyone's agency e-mail."),
    ("2026-10-13 21:12", "M", "Got it."),
    ("2026-10-14 23:20", "E", "Secondary: SUV with a hidden compartment, empty. Referred to the enforcement team."),
    ("2026-10-14 23:22", "D", "Thanks. Document the compartment with photos for training."),
    ("2026-10-14 23:40", "E", "<Media omitted>", MEDIA_OMITTED),
    ("2026-10-14 23:41", "E", "<Media omitted>", MEDIA_OMITTED),
    ("2026-10-16 00:05", "E", "Correction: the SUV was released at 2355, not 2335. <This message was edited>", {"edited": True}),
    ("2026-10-16 00:07", "M", "Noted."),
    ("2026-10-17 22:10", "P", "Lane 3 RPM alarm is throwing false positives tonight, I'm on site."),
    ("2026-10-17 22:55", "P", "Fixed a loose sensor cable. Alarms normal."),
    ("2026-10-19 21:58", "D", "Team: I'm adding my agency phone to this group so the chat is captured for records.", {"tag": "po_before_add"}),
    ("2026-10-19 22:05", "SYS", "You added +1 (202) 555-0190", {"kind": "system", "tag": "po_add"}),
    ("2026-10-19 22:07", "DO", "Test from the Port Director's agency phone.", {"tag": "po_by_official"}),
    ("2026-10-19 22:09", "D", "From now on this group is copied to my official line. Please keep case details out of it anyway.", {"tag": "po_after_add"}),
    ("2026-10-19 22:12", "M", "👍 good idea"),
    ("2026-10-19 22:15", "E", "Copy."),
    ("2026-10-19 22:15", "E", "Copy."),
    ("2026-10-21 02:20", "E", "Lane 4 primary system is slow, queries timing out."),
    ("2026-10-21 02:24", "P", "Network switch in booth 4 rebooting. 5 min."),
    ("2026-10-21 02:33", "E", "Back up."),
    ("2026-10-21 08:10", "D", "Thanks both."),
    ("2026-10-23 22:30", "D", "Halloween night 10/31: double staffing confirmed. Secondary gets a third officer from 2200."),
    ("2026-10-23 22:36", "M", "I'll be on the phone all night."),
    ("2026-10-24 01:10", "E", "Northbound pedestrian line is long, about 80 people. Opening the second pedestrian booth."),
    ("2026-10-24 01:12", "D", "Approved."),
    ("2026-10-27 23:45", "M", "Staffing swap: Brandt takes Elena's Thursday, Elena takes Brandt's Saturday."),
    ("2026-10-27 23:48", "E", "Confirmed."),
    ("2026-10-29 21:05", "D", "Reminder: clocks go back Sunday morning.\n\n11/1/26 at 2:00 AM becomes 1:00 AM. The 0000-0600 shift works one extra hour, log times with PDT/PST."),
    ("2026-10-29 21:08", "E", "Noted 🕐"),
    ("2026-10-31 22:00", "D", "Happy Halloween. Double staffing starts now."),
    ("2026-10-31 22:40", "E", "Northbound wait 40 min, lots of costumes 🎃"),
    ("2026-10-31 23:30", "M", "How is secondary?"),
    ("2026-10-31 23:32", "E", "3 vehicles. All routine."),
    # 11/1: clocks go back at 2:00 AM PDT -> 1:00 AM PST; 1:00-1:59 happens twice.
    ("2026-11-01 00:48", "E", "Lane 5: sedan referred to secondary, K-9 alert on the rear panel."),
    ("2026-11-01 01:12", "P", "Plate reader on lane 5 restarted.", {"fold": 0}),
    ("2026-11-01 01:30", "E", "Lane 5 clear.", {"fold": 0}),
    ("2026-11-01 01:41", "D", "Thanks Elena. Note the K-9 alert result in the shift log.", {"fold": 0}),
    ("2026-11-01 01:04", "P", "Phones just rolled back to 1:00. The lane timers on the ops board still show 2:04, fixing them.", {"fold": 1}),
    ("2026-11-01 01:22", "E", "Secondary result: 3 kg of undeclared sausage, the ag specialist seized it. Civil penalty issued.", {"fold": 1}),
    ("2026-11-01 01:30", "E", "Lane 5 clear.", {"fold": 1}),
    ("2026-11-01 01:30", "D", "Log both 1:30 entries with the zone please, PDT and PST.", {"fold": 1}),
    ("2026-11-01 01:52", "M", "All good on my end. Arizona doesn't change, so I'm an hour closer to you now.", {"fold": 1}),
    ("2026-11-01 02:15", "E", "Quiet now."),
    ("2026-11-01 09:00", "D", "Thanks for a smooth night everyone."),
    ("2026-11-05 21:00", "D", "Facilities will replace the lane 4 booth window Monday 11/9, 0100-0400."),
    ("2026-11-05 21:05", "E", "Ok. I'll route lane 4 traffic to 3 and 5."),
    ("2026-11-06 23:50", "E", "Secondary: pickup with 200 lbs of undeclared avocados. Ag specialist handled it."),
    ("2026-11-06 23:52", "M", "Busy week for ag.", {"tag": "po_marcus_tz"}),
    ("2026-11-09 01:05", "E", "Window crew is here, lane 4 closed."),
    ("2026-11-09 03:55", "E", "Lane 4 window replaced, lane open."),
    ("2026-11-09 04:00", "D", "Thanks Elena."),
    ("2026-11-10 22:15", "M", "Overtime for December is not approved yet. Will update."),
    ("2026-11-10 22:20", "P", "FYI I'm out 11/13-11/16, my colleague Sam covers the readers. Number is in the on-call sheet."),
    ("2026-11-12 01:30", "E", "<Media omitted>", MEDIA_OMITTED),
    ("2026-11-12 01:31", "E", "Seized brake pad pallets at the bonded yard were moved, photo above. Confirming the count with the yard."),
    ("2026-11-12 08:05", "D", "Thanks. Count should be 14."),
    ("2026-11-12 09:12", "E", "Count is 14. All good."),
    ("2026-11-14 22:10", "M", "Winter staffing plan draft is in everyone's agency inbox."),
    ("2026-11-15 02:10", "SYS", "Priya Nair turned on disappearing messages. New messages will disappear from this chat 7 days after they're sent. Tap to change.", SYS),
    ("2026-11-15 02:12", "P", "Turned on disappearing messages to keep the group tidy."),
    ("2026-11-15 07:40", "D", "Priya, I'm turning that off. This group holds federal records, nothing in it should auto-delete."),
    ("2026-11-15 07:41", "SYS", "You turned off disappearing messages. Tap to change.", SYS),
    ("2026-11-15 07:45", "P", "Understood, sorry!"),
    ("2026-11-17 23:30", "E", "Lane 2 arm gate stuck open. Lane closed."),
    ("2026-11-17 23:58", "P", "On my way."),
    ("2026-11-18 00:40", "P", "Gate motor replaced, lane 2 open."),
    ("2026-11-18 00:45", "E", "Thanks Priya 🙌"),
    ("2026-11-19 21:15", "D", "Thanksgiving week staffing: same as Halloween, double staffing Wednesday and Sunday nights."),
    ("2026-11-19 21:20", "M", "👍"),
    ("2026-11-19 21:22", "E", "Copy."),
    ("2026-11-20 22:05", "E", "Northbound wait 20 min. Quiet night."),
]
# Dana's agency phone (+1 202 555 0190) is a member from the "You added" notice on.
PORT_OPS_OFFICIAL_JOIN = ("dana", "po_add")  # tag of the notice

# ---- 2. Liaison Bridge Crossing: iOS, en-US, exported on Marcus's iPhone (Phoenix) ----
LIAISON = "Liaison Bridge Crossing"
GROUP_AUTHOR = "G"  # iOS puts the group's name in the author slot of system notices
LIAISON_ROWS = [
    ("2026-10-06 07:58:02", "SYS", "Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them.", SYS),
    ("2026-10-06 07:58:02", "SYS", "You created group “Liaison Bridge Crossing”", SYS),
    ("2026-10-06 07:58:40", "SYS", "You added Luis Ortega", SYS),
    ("2026-10-06 07:58:40", "SYS", "You added Dana R", SYS),
    ("2026-10-06 08:01:15", "M", "Morning all. Setting this up for coordination with SAA during the lane 3 resurfacing at Vado Seco. Formal requests still go through the liaison desk e-mail."),
    ("2026-10-06 08:03:47", "L", "Buenos días Marcus, thanks for adding me. Our crew starts placing cones Thursday at 0500."),
    ("2026-10-06 08:05:10", "D", "Thanks Marcus. Cerro Azul can absorb some northbound commercial if Vado Seco backs up. Keep me posted."),
    ("2026-10-06 08:06:02", "M", "Will do."),
    ("2026-10-07 18:40:21", "L", "Confirmed: SAA will hold southbound empties at the km 4 staging yard from 0500 to 0900 Thursday."),
    ("2026-10-07 18:44:09", "M", "Copy. We'll run lanes 1 and 2 for commercial and lane 4 for FAST only. Secondary moves to the east dock for the week."),
    ("2026-10-08 05:12:30", "M", "Cones are out on our side. Lane 3 closed as of 0510."),
    ("2026-10-08 05:20:44", "L", "Same on our side. Queue is about 35 trucks."),
    ("2026-10-08 07:02:18", "D", "What's the commercial wait right now?"),
    ("2026-10-08 07:05:51", "M", "About 70 min. Should drop once lane 4 is fully staffed."),
    ("2026-10-09 14:14:07", "M", "", {"kind": "media", "media": {"type": "doc", "title": "Lane 3 closure plan.pdf", "pages": 2}}),
    ("2026-10-09 14:15:33", "M", "Revised closure plan attached. Page 2 has the contraflow layout for the weekend."),
    ("2026-10-09 14:31:02", "L", "Recibido, I'll share it with our port administrator."),
    ("2026-10-10 09:47:55", "M", "Luis, disregard the plate list I e-mailed at 0930, it was last week's convoy. Correct list coming.",
     {"deleted_for_me_at": "2026-10-14 06:16:00", "tag": "lb_deleted_for_me"}),
    ("2026-10-10 10:02:40", "L", "No problem."),
    ("2026-10-12 19:40:12", "M", "Heads up: K-9 unit is being pulled to Cerro Azul tomorrow 0600-1000, no canine on lane 1 until 1000.",
     {"deleted_at": "2026-10-14 06:15:00", "tag": "lb_deleted_after_capture"}),
    ("2026-10-12 19:52:31", "D", "Marcus, let's keep canine scheduling off this group. Use the liaison desk line."),
    ("2026-10-12 19:53:05", "M", "Understood, I'll delete it."),
    ("2026-10-13 11:21:44", "L", "Southbound queue cleared by 0930 today, thanks for the quick lane swap."),
    ("2026-10-14 21:05:12", "M", "Night update: trailer with a damaged door seal at lane 2 primary, sent to secondary. Nothing found, released 2058."),
    ("2026-10-14 21:06:01", "M", "", {"kind": "media", "media": {"type": "photo"}, "tag": "lb_photo"}),
    ("2026-10-14 21:06:30", "M", "Photo of the door seal for the file."),
    ("2026-10-14 21:11:48", "L", "Gracias. Our inspector saw the same trailer at km 4, the latch was broken."),
    ("2026-10-15 07:12:40", "L", "Missed voice call. Tap to call back", {"kind": "call"}),
    ("2026-10-15 07:14:02", "L", "Sorry, wrong button 😅"),
    ("2026-10-16 16:48:19", "D", "Regional wants the weekly crossing numbers by Monday."),
    ("2026-10-16 16:55:37", "M", "I'll pull them Sunday night. Commercial volume was down 12% with lane 3 closed."),
    ("2026-10-20 21:41:07", "M", "Lane 3 resurfacing is done on our side. Reopening at 0600 tomorrow pending final inspection.", {"tag": "lb_paste1"}),
    ("2026-10-20 21:43:50", "M", "Reopening checklist:\n1. Pull cones north of booth 3\n2. Re-enable the lane 3 RPM\n3. Notify the SAA liaison", {"tag": "lb_paste2"}),
    ("2026-10-20 21:58:12", "L", "Our side reopens at 0630.", {"tag": "lb_paste3"}),
    ("2026-10-21 06:35:27", "M", "Lane 3 is open. Wait times back to 25 min."),
    ("2026-10-21 06:40:11", "D", "Great work, thanks both."),
    ("2026-10-22 13:17:45", "M", f"Final inspection sign-off is Thursday at 1400 {LRM}<This message was edited.>", {"edited": True}),
    ("2026-10-23 15:02:33", "L", "The SAA director will visit the bridge on 11/5, around 1000. Protocol visit only."),
    ("2026-10-23 15:09:58", "M", "Noted. I'll have the port director's office send the visitor form."),
    ("2026-10-24 11:05:44", "M", "Visitor form sent to the SAA protocol office."),
    ("2026-10-25 08:14:20", "M", "This weekend the bridge is closed to pedestrians 2200-0400 for lighting work."),
    ("2026-10-25 08:20:01", "L", "👍"),
    ("2026-10-26 17:45:37", "M", "Staffing for the night of 10/31: 6 officers and 2 ag specialists. Secondary at the east dock again."),
    ("2026-10-28 23:52:40", "M", "Secondary referral: pickup with an altered fuel tank at lane 1 at 2347. Tank was empty, referred to the enforcement team.", {"tag": "lb_late_tz"}),
    ("2026-10-29 07:05:16", "M", "Update on the pickup: nothing found, released at 0140.", {"tag": "lb_day20"}),
    ("2026-10-29 07:30:08", "L", "Thanks for the update."),
    ("2026-10-30 10:10:10", "M", "Tri-County will recalibrate the lane 3 RPM on 11/2, 0800-1000. Lane 3 closed during the work.", {"tag": "lb_nonofficial1"}),
    ("2026-10-30 10:12:44", "M", "Priya Nair from Tri-County will be on site, please badge her in.", {"tag": "lb_nonofficial2"}),
    ("2026-10-31 23:58:30", "M", "Quiet Halloween night on the bridge. 14 crossings after 2300.", {"tag": "lb_nodate1"}),
    ("2026-11-01 01:30:12", "M", "Still quiet. Lane 4 closed for the night.", {"tag": "lb_nodate2"}),
    ("2026-11-05 09:58:03", "L", "The director is at the bridge now.", {"tag": "lb_nodate_luis"}),
    ("2026-11-05 10:41:26", "D", "Thanks for hosting the visit, Marcus.", {"tag": "lb_dana_pending"}),
    ("2026-11-05 10:45:00", "M", "Visit went well. The director asked about joint training in January.", {"tag": "lb_nodate3"}),
    ("2026-11-09 16:20:33", "M", "Joint training proposal drafted, sending it through the liaison desk."),
    ("2026-11-12 08:02:19", "L", "Recibido, gracias. We'll review it next week."),
    ("2026-11-12 08:10:47", "M", "Sounds good."),
    ("2026-11-17 14:30:00", "D", "Marcus, please make sure this group gets to your agency mailbox. Records audit is in December."),
    ("2026-11-19 18:22:51", "M", "Will do. Forwarding the full export tonight."),
]

# ---- 3. Coordinación Garita: Android, Spanish (24 h, day-first), Elena's phone (Los Angeles) ----
GARITA = "Coordinación Garita"
DANA_NUMBER_ANDROID = "+1 (619) 555-0142"   # Elena never saved the director's personal number
GARITA_ROWS = [
    ("2026-09-14 19:02", "SYS", "Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.", SYS),
    ("2026-09-14 19:02", "SYS", f'{DANA_NUMBER_ANDROID} creó el grupo "Coordinación Garita"', SYS),
    ("2026-09-14 19:02", "SYS", f"{DANA_NUMBER_ANDROID} te añadió", SYS),
    ("2026-09-14 19:03", "SYS", f"{DANA_NUMBER_ANDROID} añadió a Rocío Méndez", SYS),
    ("2026-09-14 19:05", "D", "Elena, Rocío: this group is for night-shift coordination between Cerro Azul and Garita Piedra Lisa. Formal requests still go through the liaison desk."),
    ("2026-09-14 19:08", "R", "Buenas noches. Rocío Méndez, supervisora del turno nocturno en Piedra Lisa. Con gusto."),
    ("2026-09-14 19:10", "E", "Buenas noches Rocío, soy Elena Vargas, oficial del turno nocturno en Cerro Azul. Para lo que necesiten."),
    ("2026-09-19 23:40", "R", "Elena, tenemos una fila larga hacia el norte, ¿están abiertos todos los carriles?"),
    ("2026-09-19 23:46", "E", "Tenemos 5 de 6 abiertos. Abro el carril 6 en 10 minutos."),
    ("2026-09-20 00:15", "R", "Gracias, ya avanza."),
    ("2026-09-27 21:30", "R", "Mañana tenemos capacitación, habrá solo dos casetas hacia el sur de 08:00 a 12:00."),
    ("2026-09-27 21:34", "E", "Entendido, aviso al turno de día."),
    ("2026-10-03 02:05", "E", "<Multimedia omitido>", MEDIA_OMITTED),
    ("2026-10-03 02:06", "E", "Foto de la fila en el carril 2, llega hasta el puente peatonal."),
    ("2026-10-03 02:20", "R", "Se eliminó este mensaje.", {"kind": "deleted", "never_captured_deleted": True, "tag": "cg_deleted"}),
    ("2026-10-03 02:21", "R", "Perdón, era para otro grupo."),
    ("2026-10-08 22:10", "D", "Rocío, any questions about the brake pad seizure need to go through the liaison desk, please. Thanks!"),
    ("2026-10-08 22:15", "R", "Entendido, directora."),
    ("2026-10-12 03:30", "SYS", "Cambió tu código de seguridad con Rocío Méndez. Toca para obtener más información.", SYS),
    ("2026-10-17 01:50", "E", "La fila hacia el norte es de 45 minutos, no de 30. <Se editó este mensaje.>", {"edited": True}),
    ("2026-10-17 01:55", "R", "Gracias por la corrección."),
    ("2026-10-31 22:30", "R", "Esta noche hay mucho tráfico por las fiestas, reforzamos con dos casetas más."),
    ("2026-10-31 22:36", "E", "Perfecto, nosotros tenemos doble turno esta noche 🎃"),
    ("2026-11-01 02:10", "E", "Aquí ya se atrasó el reloj una hora. ¿Ustedes no cambian?"),
    ("2026-11-01 02:14", "R", "No, aquí no cambiamos la hora. Ahora estamos una hora adelante de ustedes."),
    ("2026-11-07 23:20", "E", "Rocío, el lunes reemplazan la ventana de la caseta 4, de 01:00 a 04:00. Vamos a desviar el tráfico al 3 y al 5."),
    ("2026-11-07 23:25", "R", "Gracias por avisar."),
    ("2026-11-13 00:40", "D", "Elena, please send me tonight's wait times by e-mail in the morning."),
    ("2026-11-13 00:42", "E", "Sí, directora. Se los mando a las 07:00."),
    ("2026-11-18 22:05", "R", "<Multimedia omitido>", MEDIA_OMITTED),
    ("2026-11-18 22:06", "R", "Nuevo horario de casetas para diciembre."),
    ("2026-11-18 22:30", "E", "Recibido, gracias 🙏"),
]

# ---- 4. Luis Ortega (one-to-one): Android, en-US, with media, Dana's phone (Los Angeles) ----
LUIS_CHAT = "Luis Ortega"
LUIS_ROWS = [
    ("2026-09-08 10:02", "SYS", "Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them. Learn more.", SYS),
    ("2026-09-08 10:02", "L", "Good morning Director Reyes, this is Luis Ortega, SAA liaison at Vado Seco. Marcus Bell gave me your number."),
    ("2026-09-08 10:15", "D", "Good morning Luis, nice to meet you. Happy to coordinate. For anything formal please use the liaison desk e-mail."),
    ("2026-09-08 10:16", "L", "Of course."),
    ("2026-09-22 16:40", "L", "Our side will have reduced staffing at Piedra Lisa on 9/28 because of a training day. Expect slower southbound traffic in the morning."),
    ("2026-09-22 16:52", "D", "Thanks for the heads up, I'll tell the shifts."),
    ("2026-10-02 11:05", "D", "You deleted this message", {"kind": "deleted", "never_captured_deleted": True, "tag": "lo_dana_deleted"}),
    ("2026-10-02 11:06", "D", "Sorry, sent that to the wrong chat."),
    ("2026-10-08 09:30", "L", "Director, about the brake pad shipment your officers held: our customs office would like the exporter's name for their own records."),
    ("2026-10-08 09:48", "D", "I can't share case details here. Please send a formal request to the liaison desk and we'll answer through channels."),
    ("2026-10-08 09:50", "L", "Understood, will do 👍"),
    ("2026-10-23 11:20", "D", "", {"kind": "media", "media": {"type": "doc", "file": "SAA visitor form.pdf"}}),
    ("2026-10-23 11:21", "D", "Visitor form for the director's visit on 11/5. Please return it to the liaison desk."),
    ("2026-10-27 08:15", "L", "SAA booth schedule for the week of 10/26", {"kind": "media", "media": {"type": "photo", "file": "IMG-20261027-WA0007.jpg"}}),
    ("2026-10-27 08:40", "D", "Thank you."),
    ("2026-11-01 09:30", "L", "This message was deleted", {"kind": "deleted", "never_captured_deleted": True, "tag": "lo_luis_deleted"}),
    ("2026-11-06 17:05", "L", "Thank you for the visit arrangements yesterday, the director was pleased."),
    ("2026-11-06 17:30", "D", "Glad it went well. Let's set up the January training through the liaison desk."),
    ("2026-11-13 12:10", "L", "Do you have a date for the Q1 coordination meeting?"),
    ("2026-11-13 12:44", "D", "Tentatively 1/14. I'll confirm by e-mail."),
]

CHATS = {
    PORT_OPS: build_chat(PORT_OPS, "PO", LA, PORT_OPS_ROWS),
    LIAISON: build_chat(LIAISON, "LB", PHX, LIAISON_ROWS),
    GARITA: build_chat(GARITA, "CG", LA, GARITA_ROWS),
    LUIS_CHAT: build_chat(LUIS_CHAT, "LO", LA, LUIS_ROWS),
}
BY_KEY = {e.key: e for entries in CHATS.values() for e in entries}
TAG = {e.tag: e.key for e in BY_KEY.values() if e.tag}
assert len(TAG) == sum(1 for e in BY_KEY.values() if e.tag)

# iOS names a media file after the message's running number in the chat.
for _i, _e in enumerate(CHATS[LIAISON], 1):
    if _e.media:
        if _e.media["type"] == "photo":
            _e.media["file"] = f"{_i:08d}-PHOTO-{_e.local:%Y-%m-%d-%H-%M-%S}.jpg"
        else:
            _e.media["file"] = f"{_i:08d}-{_e.media['title']}"

# Display names as each exporting phone shows them
DISPLAY = {
    PORT_OPS: {"D": "Dana Reyes", "M": "Marcus Bell", "E": "Elena Vargas", "P": "Priya Nair",
               "DO": "+1 (202) 555-0190", "T": "+1 (619) 555-0163"},
    LIAISON: {"M": "Marcus Bell", "D": "Dana R", "L": "Luis Ortega", GROUP_AUTHOR: LIAISON},
    GARITA: {"E": "Elena Vargas", "D": DANA_NUMBER_ANDROID, "R": "Rocío Méndez"},
    LUIS_CHAT: {"D": "Dana Reyes", "L": "Luis Ortega"},
}

# --------------------------------------------------------------------------------------
# Timestamp formats
# --------------------------------------------------------------------------------------


def _h12(dt: datetime) -> tuple[int, str]:
    return (dt.hour % 12 or 12), ("AM" if dt.hour < 12 else "PM")


def android_en_header(dt: datetime) -> str:       # 11/1/26, 1:30 AM -   (U+202F before AM)
    h, ap = _h12(dt)
    return f"{dt.month}/{dt.day}/{dt:%y}, {h}:{dt:%M}{NNBSP}{ap} - "


def android_es_header(dt: datetime) -> str:       # 01/11/26, 02:10 -
    return f"{dt:%d/%m/%y}, {dt:%H:%M} - "


def ios_stamp(dt: datetime) -> str:               # [10/14/26, 9:06:01 PM]  (U+202F before PM)
    h, ap = _h12(dt)
    return f"[{dt.month}/{dt.day}/{dt:%y}, {h}:{dt:%M:%S}{NNBSP}{ap}]"


def web_copy_stamp(dt: datetime) -> str:          # [9:41 PM, 10/20/2026]  (WhatsApp Desktop "Copy")
    h, ap = _h12(dt)
    return f"[{h}:{dt:%M} {ap}, {dt.month}/{dt.day}/{dt.year}]"


# --------------------------------------------------------------------------------------
# Export renderers
# --------------------------------------------------------------------------------------


def render_android(chat: str, header, until: datetime | None = None,
                   with_media: bool = False) -> str:
    lines = []
    names = DISPLAY[chat]
    for e in CHATS[chat]:
        if until and e.local > until:
            continue
        if e.who == "SYS":
            lines.append(header(e.local) + e.text)
            continue
        body = e.text
        if e.media and with_media:
            if e.media["type"] == "photo":
                body = f"{e.media['file']} (file attached)" + (f"\n{e.text}" if e.text else "")
            else:  # documents: file name, then the title on the next line
                stem = e.media["file"].rsplit(".", 1)[0]
                body = f"{e.media['file']} (file attached)\n{stem}"
        elif e.media:
            body = "<Media omitted>"
        lines.append(header(e.local) + f"{names[e.who]}: {body}")
    return "\n".join(lines) + "\n"


def render_ios(export_time: datetime, with_media: bool) -> str:
    """iOS _chat.txt as Marcus's iPhone would write it at export_time (CRLF between messages)."""
    out = []
    names = DISPLAY[LIAISON]
    for e in CHATS[LIAISON]:
        if e.local > export_time:
            continue
        if e.deleted_for_me_at and export_time > e.deleted_for_me_at:
            continue  # "Delete for me": gone from this phone
        marked = False
        if e.who == "SYS":
            author, body, marked = names[GROUP_AUTHOR], LRM + e.text, True
        else:
            author = names[e.who]
            if e.deleted_at and export_time > e.deleted_at:
                body, marked = LRM + "You deleted this message.", True
            elif e.kind == "call":
                body, marked = LRM + e.text, True
            elif e.media and e.media["type"] == "photo":
                body = LRM + (f"<attached: {e.media['file']}>" if with_media else "image omitted")
                marked = True
            elif e.media:
                tail = f"<attached: {e.media['file']}>" if with_media else "document omitted"
                body = f"{e.media['title']} • {LRM}{e.media['pages']} pages {LRM}{tail}"
                marked = True
            else:
                body = e.text
        out.append((LRM if marked else "") + f"{ios_stamp(e.local)} {author}: {body}")
    return "\r\n".join(out) + "\r\n"


# --------------------------------------------------------------------------------------
# Tiny media files (stdlib only)
# --------------------------------------------------------------------------------------


def make_jpeg(width: int, height: int, pixel) -> bytes:
    """Baseline grayscale JPEG, one flat value per 8x8 block (DC coefficients only)."""
    assert width % 8 == 0 and height % 8 == 0

    def seg(marker: int, payload: bytes) -> bytes:
        return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload

    # Standard luminance DC table (ITU T.81 Annex K.3); AC table holds only EOB.
    dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    dc_vals = list(range(12))
    ac_bits = [1] + [0] * 15
    ac_vals = [0x00]

    def codes(bits, vals):
        table, code, k = {}, 0, 0
        for length in range(1, 17):
            for _ in range(bits[length - 1]):
                table[vals[k]] = (code, length)
                code += 1
                k += 1
            code <<= 1
        return table

    dc, ac = codes(dc_bits, dc_vals), codes(ac_bits, ac_vals)
    out_bits: list[int] = []

    def put(value: int, length: int) -> None:
        out_bits.extend((value >> (length - 1 - i)) & 1 for i in range(length))

    prev = 0
    for by in range(height // 8):
        for bx in range(width // 8):
            q = max(-127, min(127, int(pixel(bx, by)) - 128))  # DC quantiser 8 -> q = level
            diff, prev = q - prev, q
            size = abs(diff).bit_length()
            put(*dc[size])
            if size:
                put(diff if diff > 0 else diff + (1 << size) - 1, size)
            put(*ac[0x00])  # EOB
    while len(out_bits) % 8:
        out_bits.append(1)
    scan = bytearray()
    for i in range(0, len(out_bits), 8):
        byte = int("".join(map(str, out_bits[i:i + 8])), 2)
        scan.append(byte)
        if byte == 0xFF:
            scan.append(0x00)
    return b"".join([
        b"\xff\xd8",
        seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        seg(0xDB, b"\x00" + bytes([8] * 64)),
        seg(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
        seg(0xC4, b"\x00" + bytes(dc_bits) + bytes(dc_vals)),
        seg(0xC4, b"\x10" + bytes(ac_bits) + bytes(ac_vals)),
        seg(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
        bytes(scan),
        b"\xff\xd9",
    ])


def door_seal_photo() -> bytes:
    """'Photo' of a trailer door with a seal: dark doors, a lighter seam, a bright seal."""
    def px(bx, by):
        if bx == 4 and by == 3:
            return 230          # the seal
        if bx == 4:
            return 150          # seam between the doors
        return 60 + 6 * by + 3 * bx
    return make_jpeg(80, 64, px)


def booth_schedule_photo() -> bytes:
    """'Photo' of a printed schedule: light page with darker rows."""
    return make_jpeg(48, 64, lambda bx, by: 215 if by % 2 == 0 else 120 + 10 * bx)


def make_pdf(title: str, pages: list[list[str]], created: str) -> bytes:
    """A small valid PDF (Helvetica text, ASCII only) with a fixed CreationDate."""
    objs: list[bytes] = []
    n_pages = len(pages)
    page_ids = [3 + 2 * i for i in range(n_pages)]
    font_id = 3 + 2 * n_pages
    info_id = font_id + 1
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 14 Tf", "72 720 Td", "18 TL"]
        for line in lines:
            esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({esc}) Tj T*")
        ops.append("ET")
        ops.append("0.5 w 72 560 m 540 560 l S")
        stream = "\n".join(ops).encode("ascii")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> "
                    f"/Contents {page_ids[i] + 1} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objs.append(f"<< /Title ({title}) /Producer (retainer sample generator) "
                f"/CreationDate (D:{created}) >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


CLOSURE_PLAN_PDF = make_pdf("Lane 3 closure plan", [
    ["Vado Seco Bridge - Lane 3 closure plan (FICTIONAL SAMPLE)",
     "Resurfacing window: Oct 8 - Oct 21, 2026",
     "Lanes 1-2: commercial. Lane 4: FAST only.",
     "Secondary inspection: east dock for the duration."],
    ["Page 2 - Weekend contraflow layout (FICTIONAL SAMPLE)",
     "Northbound commercial uses the southbound lane 3 approach",
     "between cones C1 and C9, Saturday and Sunday 0600-1800."],
], "20261009141300-07'00'")

VISITOR_FORM_PDF = make_pdf("SAA visitor form", [
    ["SAA director visit - visitor form (FICTIONAL SAMPLE)",
     "Visit: Vado Seco Bridge, 11/5/2026, 1000",
     "Escort: port director's office",
     "Return to: liaison desk"],
], "20261023111800-07'00'")

MEDIA_BYTES = {
    "photo:" + next(e.media["file"] for e in CHATS[LIAISON] if e.media and e.media["type"] == "photo"): door_seal_photo(),
    "doc:" + next(e.media["file"] for e in CHATS[LIAISON] if e.media and e.media["type"] == "doc"): CLOSURE_PLAN_PDF,
    "photo:IMG-20261027-WA0007.jpg": booth_schedule_photo(),
    "doc:SAA visitor form.pdf": VISITOR_FORM_PDF,
}


def media_file(name: str) -> bytes:
    for k, v in MEDIA_BYTES.items():
        if k.split(":", 1)[1] == name:
            return v
    raise KeyError(name)


def make_zip(members: list[tuple[str, bytes]], when: datetime) -> bytes:
    buf = io.BytesIO()
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if name.endswith(".txt"):
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data, compresslevel=6)
            else:
                info.compress_type = zipfile.ZIP_STORED
                zf.writestr(info, data)
    return buf.getvalue()


# --------------------------------------------------------------------------------------
# The Liaison Bridge Crossing exports (device and mailed)
# --------------------------------------------------------------------------------------

IOS_ZIP_NAME = f"WhatsApp Chat - {LIAISON}.zip"

EXPORT_M1 = _dt("2026-10-13 20:10:00", PHX)   # with media (the PDF is the only media so far)
EXPORT_M2 = _dt("2026-10-24 17:30:00", PHX)   # without media
EXPORT_M3 = _dt("2026-10-29 21:12:00", PHX)   # without media, mailed to his personal address
EXPORT_DEVICE = _dt("2026-11-20 21:14:00", PHX)  # with media, handed over for drop/marcus


def ios_export_zip(export_time: datetime, with_media: bool) -> bytes:
    text = render_ios(export_time, with_media).encode("utf-8")
    members = [("_chat.txt", text)]
    if with_media:
        for e in CHATS[LIAISON]:
            if e.media and e.local <= export_time:
                members.append((e.media["file"], media_file(e.media["file"])))
    return make_zip(members, export_time)


def entries_in_ios_export(export_time: datetime, with_media: bool) -> dict[str, bool]:
    """key -> is the copy complete (media included) for the Liaison entries in that export."""
    got = {}
    for e in CHATS[LIAISON]:
        if e.local > export_time:
            continue
        if e.deleted_for_me_at and export_time > e.deleted_for_me_at:
            continue
        if e.deleted_at and export_time > e.deleted_at:
            continue  # only the stub: not a copy of the record's content
        got[e.key] = bool(with_media or not e.media)
    return got


# --------------------------------------------------------------------------------------
# Mail
# --------------------------------------------------------------------------------------

OFFICIAL_OWNER = {a: k for k, p in PEOPLE.items() for a in p.official_accounts if "@" in a}
MARCUS_PERSONAL = "marcus.bell.personal@mail.example.com"
MARCUS_FROM = f"Marcus Bell <{MARCUS_PERSONAL}>"


@dataclass
class Mail:
    n: int
    message: EmailMessage
    delivered: datetime           # when the agency MX accepted it (top Received)
    delivered_to: str
    capture_time: datetime        # Date header, else the first Received
    covers: dict[str, bool]       # entry key -> complete copy?
    summary: str
    mbox_from: str = MARCUS_PERSONAL


def received_chain(msg: EmailMessage, submit: datetime, deliver: datetime, rcpt: str,
                   mx_id: str, sub_id: str, client_ip: str) -> None:
    msg["Return-Path"] = f"<{MARCUS_PERSONAL}>"
    msg["Delivered-To"] = rcpt
    msg["Received"] = (f"from smtp-out.mail.example.com (smtp-out.mail.example.com [198.51.100.25]) "
                       f"by mx1.agency.example.gov (Postfix) with ESMTPS id {mx_id} "
                       f"for <{rcpt}>; {format_datetime(deliver.astimezone(UTC))} (UTC)")
    msg["Received"] = (f"from smtpclient.apple ([{client_ip}]) by smtp-out.mail.example.com "
                       f"with ESMTPSA id {sub_id} for <{rcpt}>; {format_datetime(submit)}")


def new_mail() -> EmailMessage:
    return EmailMessage(policy=policy.SMTP)


def tidy_parts(msg: EmailMessage) -> EmailMessage:
    """add_attachment() puts MIME-Version on every body part; mail clients only put it on
    the message itself (and on a message/rfc822 part's own message)."""
    roots = {id(msg)}
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            roots.update(id(inner) for inner in part.get_payload())
    for part in msg.walk():
        if id(part) not in roots and "MIME-Version" in part:
            del part["MIME-Version"]
    return msg


def build_mails() -> list[Mail]:
    mails: list[Mail] = []
    official = "marcus.bell@agency.example.gov"

    # 1. Export WITH media, within 20 days -> forwarded
    m = new_mail()
    sent = _dt("2026-10-13 20:15:12", PHX)
    received_chain(m, sent + timedelta(seconds=2), sent + timedelta(seconds=7), official,
                   "4Q9T2K0Z1Lz9sW", "7c1d2e3f4a5b", "203.0.113.44")
    m["From"] = MARCUS_FROM
    m["Mime-Version"] = "1.0 (1.0)"
    m["Subject"] = f"WhatsApp Chat - {LIAISON}"
    m["Date"] = format_datetime(sent)
    m["Message-Id"] = "<6B1E0C7A-3F2D-4C55-9A21-0D8E5B7C2F10@mail.example.com>"
    m["To"] = official
    m["X-Mailer"] = "iPhone Mail (24A341)"
    m.set_content("Bridge group for the record, 10/6 to today.\n\n"
                  f'Chat history is attached as "{IOS_ZIP_NAME}" file to this email.\n\n'
                  "Sent from my iPhone\n")
    m.add_attachment(ios_export_zip(EXPORT_M1, True), maintype="application", subtype="zip",
                     filename=IOS_ZIP_NAME)
    m.set_boundary("Apple-Mail-6B1E0C7A-3F2D-4C55-9A21-0D8E5B7C2F10")
    mails.append(Mail(1, tidy_parts(m), sent + timedelta(seconds=7), official, sent,
                      entries_in_ios_export(EXPORT_M1, True),
                      "export WITH media (.zip with _chat.txt and the PDF), 10/6-10/13"))

    # 2. Messages pasted in WhatsApp Desktop's copy format: [9:41 PM, 10/20/2026] Name: text
    m = new_mail()
    sent = _dt("2026-10-21 06:58:31", PHX)
    received_chain(m, sent + timedelta(seconds=1), sent + timedelta(seconds=5), official,
                   "4QB1pL3x8Mz2tQ", "9e8d7c6b5a41", "203.0.113.44")
    pasted_keys = [TAG["lb_paste1"], TAG["lb_paste2"], TAG["lb_paste3"]]
    lines = []
    for k in pasted_keys:
        e = BY_KEY[k]
        lines.append(f"{web_copy_stamp(e.local)} {PEOPLE[ACCOUNTS[e.who][0]].name}: {e.text}")
    m["From"] = MARCUS_FROM
    m["Subject"] = "Bridge group - lane 3 reopening"
    m["Date"] = format_datetime(sent)
    m["Message-Id"] = "<20261021065831.51F0A2@mail.example.com>"
    m["To"] = f"Marcus Bell <{official}>"
    m["User-Agent"] = "Webmail/4.2 (mail.example.com)"
    m.set_content("Copying last night's messages from the bridge group for the record:\n\n"
                  + "\n".join(lines) + "\n\n-- \nMarcus\n")
    mails.append(Mail(2, m, sent + timedelta(seconds=5), official, sent,
                      {k: True for k in pasted_keys},
                      "messages pasted in the WhatsApp Desktop copy format [h:mm AM, M/D/YYYY]"))

    # 3. Export WITHOUT media: the photo arrives as "image omitted" -> incomplete
    m = new_mail()
    sent = _dt("2026-10-24 17:34:08", PHX)
    received_chain(m, sent + timedelta(seconds=2), sent + timedelta(seconds=6), official,
                   "4QD7hN0r2Vz5kP", "2f4e6d8c0b1a", "203.0.113.44")
    m["From"] = MARCUS_FROM
    m["Mime-Version"] = "1.0 (1.0)"
    m["Subject"] = f"WhatsApp Chat - {LIAISON}"
    m["Date"] = format_datetime(sent)
    m["Message-Id"] = "<0D4C7E19-8B6A-4F3E-B2D1-93A5C6E7F801@mail.example.com>"
    m["To"] = official
    m["X-Mailer"] = "iPhone Mail (24A341)"
    m.set_content(f'Chat history is attached as "{IOS_ZIP_NAME}" file to this email.\n\n'
                  "Sent from my iPhone\n")
    m.add_attachment(ios_export_zip(EXPORT_M2, False), maintype="application", subtype="zip",
                     filename=IOS_ZIP_NAME)
    m.set_boundary("Apple-Mail-0D4C7E19-8B6A-4F3E-B2D1-93A5C6E7F801")
    mails.append(Mail(3, tidy_parts(m), sent + timedelta(seconds=6), official, sent,
                      entries_in_ios_export(EXPORT_M2, False),
                      "export WITHOUT media (.zip with only _chat.txt), 10/6-10/24"))

    # 4. Sent only to non-official addresses (a contractor, Cc the night desk's shared box)
    m = new_mail()
    sent = _dt("2026-10-30 10:31:55", PHX)
    desk = "portops-nightdesk@agency.example.gov"
    m["Return-Path"] = f"<{MARCUS_PERSONAL}>"
    m["Delivered-To"] = desk
    m["Received"] = (f"from smtp-out.mail.example.com (smtp-out.mail.example.com [198.51.100.25]) "
                     f"by mx1.agency.example.gov (Postfix) with ESMTPS id 4QG2nW5c7Tz8mR "
                     f"for <{desk}>; {format_datetime((sent + timedelta(seconds=4)).astimezone(UTC))} (UTC)")
    m["Received"] = (f"from [192.0.2.17] by smtp-out.mail.example.com with ESMTPSA id 5a6b7c8d9e0f; "
                     f"{format_datetime(sent + timedelta(seconds=1))}")
    pasted_keys = [TAG["lb_nonofficial1"], TAG["lb_nonofficial2"]]
    lines = [f"{web_copy_stamp(BY_KEY[k].local)} Marcus Bell: {BY_KEY[k].text}" for k in pasted_keys]
    m["From"] = MARCUS_FROM
    m["Subject"] = "Lane 3 RPM recalibration 11/2"
    m["Date"] = format_datetime(sent)
    m["Message-Id"] = "<20261030103155.7A21C4@mail.example.com>"
    m["To"] = "Priya Nair <priya.nair@tri-county.example.com>"
    m["Cc"] = f"Port Ops Night Desk <{desk}>"
    m["User-Agent"] = "Webmail/4.2 (mail.example.com)"
    m.set_content("Priya, FYI from the bridge group:\n\n" + "\n".join(lines) + "\n\nThanks,\nMarcus\n")
    mails.append(Mail(4, m, sent + timedelta(seconds=4), desk, sent,
                      {k: True for k in pasted_keys},
                      "pasted messages sent only to non-official addresses (contractor + shared night-desk box)"))

    # 5. No Date header; export lines pasted into the body -> capture time = Received
    m = new_mail()
    submit = _dt("2026-11-16 06:12:03", PHX)
    deliver = submit + timedelta(seconds=2)
    received_chain(m, submit, deliver, official, "4QM8vR1d6Kz3wB", "c0ffee12ab34", "203.0.113.61")
    pasted_keys = [TAG["lb_nodate1"], TAG["lb_nodate2"], TAG["lb_nodate_luis"], TAG["lb_nodate3"]]
    lines = []
    for k in pasted_keys:
        e = BY_KEY[k]
        lines.append(f"{ios_stamp(e.local)} {DISPLAY[LIAISON][e.who]}: {e.text}")
    m["From"] = MARCUS_FROM
    m["Subject"] = "bridge group lines 10/31-11/5"
    m["Message-Id"] = "<n0te-share-20261116-0612@mail.example.com>"
    m["To"] = official
    m["X-Mailer"] = "QuickNote share-to-mail 3.1"
    m.set_content("\n".join(lines) + "\n")
    mails.append(Mail(5, m, deliver, official, submit,
                      {k: True for k in pasted_keys},
                      "NO Date header; lines copied from the iOS export pasted into the body"))

    # 6. Forward-as-attachment (message/rfc822) of a 10/29 mail to his personal address
    inner = new_mail()
    inner_sent = _dt("2026-10-29 21:15:40", PHX)
    inner["Received"] = (f"from smtpclient.apple ([203.0.113.44]) by smtp-out.mail.example.com "
                         f"with ESMTPSA id 1b2c3d4e5f60 for <{MARCUS_PERSONAL}>; "
                         f"{format_datetime(inner_sent + timedelta(seconds=2))}")
    inner["From"] = MARCUS_FROM
    inner["Mime-Version"] = "1.0 (1.0)"
    inner["Subject"] = f"WhatsApp Chat - {LIAISON}"
    inner["Date"] = format_datetime(inner_sent)
    inner["Message-Id"] = "<A93F51C2-7D0E-4B8A-9C3F-2E61D4B8A057@mail.example.com>"
    inner["To"] = MARCUS_PERSONAL
    inner["X-Mailer"] = "iPhone Mail (24A341)"
    inner.set_content(f'Chat history is attached as "{IOS_ZIP_NAME}" file to this email.\n\n'
                      "Sent from my iPhone\n")
    inner.add_attachment(ios_export_zip(EXPORT_M3, False), maintype="application", subtype="zip",
                         filename=IOS_ZIP_NAME)
    inner.set_boundary("Apple-Mail-A93F51C2-7D0E-4B8A-9C3F-2E61D4B8A057")
    tidy_parts(inner)

    m = new_mail()
    sent = _dt("2026-11-18 07:40:26", PHX)
    received_chain(m, sent + timedelta(seconds=1), sent + timedelta(seconds=4), official,
                   "4QP3sT7g2Wz6yD", "d4e5f6a7b8c9", "203.0.113.61")
    m["From"] = MARCUS_FROM
    m["Subject"] = f"Fwd: WhatsApp Chat - {LIAISON}"
    m["Date"] = format_datetime(sent)
    m["Message-Id"] = "<F2C81B6D-55E4-4A0B-8E37-C9D0A1B2E3F4@mail.example.com>"
    m["To"] = official
    m["X-Mailer"] = "Apple Mail (2.3826.600.51.1.1)"
    m.set_content("Found this in my personal mailbox, it never went to the agency account. "
                  "Forwarding the original as an attachment.\n\nMarcus\n")
    m.add_attachment(inner, filename=f"WhatsApp Chat - {LIAISON}.eml")
    m.set_boundary("Apple-Mail=_F2C81B6D-55E4-4A0B-8E37-C9D0A1B2E3F4")
    mails.append(Mail(6, tidy_parts(m), sent + timedelta(seconds=4), official, sent,
                      entries_in_ios_export(EXPORT_M3, False),
                      "forward-as-attachment (message/rfc822) of a 10/29 mail to his personal "
                      "address carrying an export WITHOUT media, 10/6-10/29"))
    return mails


MAILS = build_mails()

# --------------------------------------------------------------------------------------
# Expected § 2911 verdicts (independent mini-implementation of DESIGN.md §5)
# --------------------------------------------------------------------------------------


def deadline_for(sent_utc: datetime, person: str) -> datetime:
    tz = TZ_OF[person]
    day = sent_utc.astimezone(tz).date() + timedelta(days=WINDOW_DAYS)
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def official_member_since(chat: str, person: str) -> datetime | None:
    if chat == PORT_OPS and person == PORT_OPS_OFFICIAL_JOIN[0]:
        return BY_KEY[TAG[PORT_OPS_OFFICIAL_JOIN[1]]].utc
    return None


@dataclass
class Verdict:
    entry: Entry
    person: str | None
    status: str
    detail: str
    proof: str = ""
    flags: list[str] = field(default_factory=list)


def captures_for(key: str) -> list[tuple[Mail, bool]]:
    return [(m, m.covers[key]) for m in MAILS if key in m.covers]


def verdict(e: Entry, as_of_utc: datetime) -> Verdict:
    person, is_official = ACCOUNTS[e.who]
    flags = []
    if e.never_captured_deleted:
        flags.append("deleted, content never captured (possible destruction, 36 CFR 1230)")
    if e.deleted_at:
        flags.append(f"deleted for everyone {e.deleted_at:%m/%d %H:%M}; text kept from an earlier capture")
    if e.deleted_for_me_at:
        flags.append("missing_from_later_export (\"Delete for me\" on the exporting phone)")
    if e.edited:
        flags.append("edited")
    if e.chat == PORT_OPS and e.local.date() == date(2026, 11, 1) and e.local.hour == 1:
        flags.append(f"DST fold hour: {'PST (second 1 AM)' if e.local.fold else 'PDT (first 1 AM)'}")
    if e.kind in ("system", "call") or e.who == "SYS":
        return Verdict(e, person, "exempt", "system message", flags=flags)
    if person is None:
        return Verdict(e, None, "exempt", "author not a configured person (unknown number)", flags=flags)
    p = PEOPLE[person]
    if not p.custodian:
        return Verdict(e, person, "exempt", "author not a custodian", flags=flags)
    if is_official:
        return Verdict(e, person, "exempt", "sent from the custodian's official account", flags=flags)

    since = official_member_since(e.chat, person)
    if since is not None and since <= e.utc:
        return Verdict(e, person, "copied",
                       "official number +1 202 555 0190 was a member (added 10/19/26 10:05 PM PDT)",
                       proof=f"system notice {TAG['po_add']} \"You added +1 (202) 555-0190\" in "
                             "drop/dana/WhatsApp Chat with Port Ops Night Shift.txt", flags=flags)

    tz = TZ_OF[person]
    dl = deadline_for(e.utc, person)
    sent_day = e.utc.astimezone(tz).date()
    own = [(m, c) for m, c in captures_for(e.key) if OFFICIAL_OWNER.get(m.delivered_to) == person]
    complete = sorted((m for m, c in own if c), key=lambda m: m.capture_time)
    others = [m for m, _ in captures_for(e.key) if OFFICIAL_OWNER.get(m.delivered_to) != person]
    note_other = ""
    if others:
        note_other = "; copies in mail " + ", ".join(f"#{m.n}" for m in others) + \
            " went to " + " / ".join(sorted({m.delivered_to for m in others})) + \
            ", not to an official account of " + PEOPLE[person].name
    if complete and complete[0].capture_time <= dl:
        m = complete[0]
        days = (m.capture_time.astimezone(tz).date() - sent_day).days
        return Verdict(e, person, "forwarded",
                       f"complete copy in mail #{m.n} after {days} day(s), deadline {dl:%m/%d}{note_other}",
                       proof=f"mailbox/official.mbox mail #{m.n} {m.message['Message-Id']}", flags=flags)
    if complete:
        m = complete[0]
        late = (m.capture_time.astimezone(tz).date() - dl.date()).days
        return Verdict(e, person, "late",
                       f"first complete copy in mail #{m.n} on {m.capture_time.astimezone(tz):%m/%d %H:%M}, "
                       f"deadline {dl:%m/%d} 23:59:59 {dl.tzname()}: {late} day(s) late{note_other}",
                       proof=f"mailbox/official.mbox mail #{m.n} {m.message['Message-Id']}", flags=flags)
    if own:
        assert as_of_utc > dl, "incomplete before the deadline is not in this scenario"
        return Verdict(e, person, "incomplete",
                       "official copies only as \"image omitted\" (mail "
                       + ", ".join(f"#{m.n}" for m, _ in own) + f"), no complete copy by {dl:%m/%d}",
                       flags=flags)
    if as_of_utc > dl:
        return Verdict(e, person, "overdue",
                       f"no official copy; deadline {dl:%m/%d/%Y} 23:59:59 {dl.tzname()}{note_other}",
                       flags=flags)
    left = (dl.date() - AS_OF).days
    return Verdict(e, person, "pending",
                   f"no official copy yet; deadline {dl:%m/%d/%Y}, {left} day(s) left{note_other}",
                   flags=flags)


def all_verdicts() -> list[Verdict]:
    # "as of 2026-11-23": the same status at any instant of that calendar day anywhere on earth
    early = datetime(2026, 11, 23, 0, 0, 0, tzinfo=timezone(timedelta(hours=14)))
    late = datetime(2026, 11, 23, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12)))
    out = []
    for entries in CHATS.values():
        for e in entries:
            a, b = verdict(e, early), verdict(e, late)
            assert (a.status, a.detail) == (b.status, b.detail), (e.key, a.status, b.status)
            out.append(a)
    return out


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

PORT_OPS_TXT = f"drop/dana/WhatsApp Chat with {PORT_OPS}.txt"
LUIS_ZIP = f"drop/dana/WhatsApp Chat with {LUIS_CHAT}.zip"
LIAISON_ZIP = f"drop/marcus/{IOS_ZIP_NAME}"
GARITA_TXT = f"drop/elena/Chat de WhatsApp con {GARITA}.txt"
MBOX = "mailbox/official.mbox"
EXPORT_DANA = _dt("2026-11-21 08:40:00", LA)
EXPORT_ELENA = _dt("2026-11-21 07:55:00", LA)


def write(rel: str, data: bytes) -> None:
    path = HERE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_mbox() -> None:
    path = HERE / MBOX
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    box = mailbox.mbox(str(path), create=True)
    try:
        box.lock()
        for mail in MAILS:
            raw = mail.message.as_bytes(policy=mail.message.policy.clone(linesep="\n"))
            stamp = _time.asctime(mail.delivered.astimezone(UTC).timetuple())
            box.add(f"From {mail.mbox_from} {stamp}\n".encode("ascii") + raw)
        box.flush()
    finally:
        box.unlock()
        box.close()


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config() -> None:
    lines = [
        "# retainer sample configuration (DESIGN.md §8) for the fictional data in this folder.",
        "# Relative paths are relative to this file.",
        "",
        "[archive]",
        'database = "sqlite:///sample-archive.db"',
        'vault = "sample-vault"',
        'timezone = "America/Los_Angeles"          # default zone for exports',
        "",
        "[compliance]",
        f"window_days = {WINDOW_DAYS}",
        'scope = "sent"',
        "# Reports are as of this day (its end, Los Angeles time), so that the sample shows every",
        "# status whenever it is run; delete this line to report as of now.",
        'as_of = "2026-11-23"',
        "",
        "[schedules]",
        'use = ["nara-grs"]',
        "",
    ]
    for p in PEOPLE.values():
        lines += ["[[people]]", f"name = {toml_str(p.name)}", f"custodian = {str(p.custodian).lower()}",
                  "aliases = [" + ", ".join(toml_str(a) for a in p.aliases) + "]"]
        if p.official_accounts:
            lines.append("official_accounts = [" + ", ".join(toml_str(a) for a in p.official_accounts) + "]")
        lines.append(f"timezone = {toml_str(p.timezone)}")
        if p.role:
            lines.append(f"role = {toml_str(p.role)}")
        lines.append(f"# {p.note}")
        lines.append("")
    lines += [
        "[[sources]]",
        'path = "drop/dana"',
        'custodian = "Dana Reyes"',
        'channel = "device"',
        "",
        "[[sources]]",
        'path = "drop/marcus"',
        'custodian = "Marcus Bell"',
        'channel = "device"',
        "",
        "[[sources]]",
        'path = "drop/elena"',
        'custodian = "Elena Vargas"',
        'channel = "device"',
        "",
        "[[sources]]                                  # the custodian of each mail is whoever's",
        'path = "mailbox"                             # official account received it',
        'channel = "official"',
        "",
    ]
    write("retainer.toml", "\n".join(lines).encode("utf-8"))


def ios_presence(e: Entry, export_time: datetime, with_media: bool) -> str | None:
    """How a Liaison entry shows in an iOS export made at export_time (None: absent)."""
    if e.local > export_time:
        return None
    if e.deleted_for_me_at and export_time > e.deleted_for_me_at:
        return None
    if e.deleted_at and export_time > e.deleted_at:
        return "stub"
    if e.media:
        return "attached" if with_media else "omitted"
    return "text"


IOS_EXPORTS = {  # where -> (export time, with media)
    "mail#1": (EXPORT_M1, True), "mail#3": (EXPORT_M2, False), "mail#6": (EXPORT_M3, False),
    "marcus-device": (EXPORT_DEVICE, True),
}


def where_seen(e: Entry) -> str:
    if e.chat == PORT_OPS:
        return "dana-device"
    if e.chat == LUIS_CHAT:
        return "dana-device"
    if e.chat == GARITA:
        return "elena-device"
    seen = []
    for where, (t, media) in IOS_EXPORTS.items():
        how = ios_presence(e, t, media)
        if how:
            seen.append(where if how in ("text", "attached") else f"{where}({how})")
    for m in MAILS:
        # Mail 4 reached no custodian's official account: its pasted lines are matched to no
        # chat (a paste is matched only within the chats of the custodians it reached).
        if m.n in (2, 5) and e.key in m.covers:
            seen.append(f"mail#{m.n}(pasted)")
    return " ".join(seen)


def plain(text: str) -> str:
    return text.replace(LRM, "")


def write_csv(verdicts: list[Verdict]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["key", "chat", "sent_local_as_exported", "utc", "author_as_exported", "person",
                "kind", "text_as_exported", "status", "detail", "proof", "flags", "seen_in"])
    for v in verdicts:
        e = v.entry
        shown = DISPLAY[e.chat].get(e.who, "") if e.who != "SYS" else ""
        if e.chat == LIAISON and e.who == "SYS":
            shown = LIAISON
        local = e.local.strftime("%Y-%m-%d %H:%M" + (":%S" if e.chat == LIAISON else "")) + f" {e.local.tzname()}"
        text = e.text
        if e.media and e.chat == LIAISON:
            text = f"<attached: {e.media['file']}>"
        elif e.media and e.chat == LUIS_CHAT:
            text = f"{e.media['file']} (file attached)" + (f"\n{e.text}" if e.text else "")
        w.writerow([e.key, e.chat, local, e.utc.strftime("%Y-%m-%dT%H:%M:%SZ"), shown,
                    PEOPLE[v.person].name if v.person else "", e.kind, plain(text), v.status,
                    v.detail, v.proof, "; ".join(v.flags), where_seen(e)])
    write("expected-verdicts.csv", buf.getvalue().encode("utf-8"))


def md_cell(s: str, limit: int = 70) -> str:
    s = plain(s).replace("\n", " ⏎ ").replace("|", "\\|")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def write_readme(verdicts: list[Verdict]) -> None:
    from collections import Counter
    counts = Counter(v.status for v in verdicts)
    rows = []
    n = 0
    for v in verdicts:
        e = v.entry
        if v.person is None or not PEOPLE[v.person].custodian or e.who == "SYS" or e.kind in ("system", "call"):
            continue
        n += 1
        local = e.local.strftime("%m/%d/%y %H:%M" + (":%S" if e.chat == LIAISON else "")) + f" {e.local.tzname()}"
        text = e.text if not e.media else (e.media.get("file") if e.chat != LIAISON else f"<attached: {e.media['file']}>")
        if e.chat == LUIS_CHAT and e.media:
            text = f"{e.media['file']} (file attached)"
        if e.chat in (PORT_OPS, GARITA) and e.kind == "media":
            text = e.text
        flags = ("<br>*" + "; ".join(v.flags) + "*") if v.flags else ""
        rows.append(f"| {e.key} | {md_cell(e.chat, 24)} | {local} | {e.utc:%m-%d %H:%M:%SZ} | "
                    f"{DISPLAY[e.chat][e.who]} | {md_cell(text)} | **{v.status}** | "
                    f"{md_cell(v.detail, 400)}{flags} |")
    exempt = Counter()
    for v in verdicts:
        if v.status == "exempt":
            exempt[(v.entry.chat, v.detail)] += 1
    exempt_rows = [f"| {c} | {d} | {k} |" for (c, d), k in sorted(exempt.items())]
    mail_rows = []
    for m in MAILS:
        cov = ", ".join(sorted(m.covers)) if len(m.covers) <= 6 else \
            f"{len(m.covers)} messages ({min(m.covers)} … {max(m.covers)})"
        date_hdr = m.message["Date"] or "(none — capture time = Received: " + \
            format_datetime(m.capture_time) + ")"
        mail_rows.append(f"| {m.n} | {m.message['Message-Id']} | {date_hdr} | {m.delivered_to} | "
                         f"{md_cell(m.message['Subject'], 60)} | {m.summary} | {cov} |")
    text = README_TEMPLATE.format(
        counts=", ".join(f"{k} {counts[k]}" for k in
                         ("copied", "forwarded", "late", "incomplete", "overdue", "pending", "exempt")),
        n_rows=n,
        rows="\n".join(rows),
        exempt_rows="\n".join(exempt_rows),
        mail_rows="\n".join(mail_rows),
        photo=next(e.media["file"] for e in CHATS[LIAISON] if e.media and e.media["type"] == "photo"),
        pdf=next(e.media["file"] for e in CHATS[LIAISON] if e.media and e.media["type"] == "doc"),
        t=TAG, total=len(verdicts),
        n_po=len(CHATS[PORT_OPS]), n_lb=len(CHATS[LIAISON]), n_cg=len(CHATS[GARITA]), n_lo=len(CHATS[LUIS_CHAT]),
    )
    write("README.md", text.encode("utf-8"))


README_TEMPLATE = """\
# Sample exports (fictional)

Everything in this folder is **invented**: the people, phone numbers (555-01xx fiction range),
addresses (`example.com` / `example.gov`), ports, the partner customs service and every message.
It is generated by [`make_samples.py`](make_samples.py) (standard library only, deterministic:
running it twice gives byte-identical files); edit the script, not the outputs, and re-run it.

```
python sample_exports/make_samples.py
retainer --config sample_exports/retainer.toml ...     # see retainer.toml
```

## The story

Autumn 2026 at two fictional ports of entry. **Cerro Azul Port of Entry** (California,
Los Angeles time) faces the partner service's **Garita Piedra Lisa**; **Vado Seco Bridge**
(Arizona, Phoenix time, no daylight saving) is being resurfaced, lane 3 closed from 10/8 to 10/21,
coordinated with the partner customs service **SAA** (Servicio Aduanero de Altamar — fictional).
Night-shift officers run lane closures, secondary inspections, a counterfeit brake-pad seizure
(case 2026-CA-0412, 14 pallets), staffing swaps and a protocol visit by the SAA director on 11/5.

Three agency employees (custodians under 44 U.S.C. § 2911) use personal WhatsApp accounts:

* **Dana Reyes**, Port Director, adds her agency-issued WhatsApp number to the night-shift group
  on 10/19/26 at 10:05 PM, so from then on her messages there are **copied** (§ 2911(a)(1)).
  Her messages elsewhere (the bridge group, her one-to-one chat with Luis Ortega, Elena's
  Spanish group) have no official copy: **overdue** or **pending**. She also deletes one message
  in the chat with Luis before anyone captured it.
* **Marcus Bell**, supervisory officer on an iPhone, e-mails exports of the bridge group to his
  official mailbox: on time (**forwarded**), once a batch too late (**late**), and once an export
  made *without media*, so his 10/14 photo only ever reaches the agency as "image omitted"
  (**incomplete**). He also pastes messages into mails, sends one mail to non-official addresses
  only (proves nothing), and deletes a sensitive message after it had already been captured.
* **Elena Vargas**, officer, Spanish-language Android phone, never forwards anything: everything
  she sent up to 11/1 is **overdue**, everything from 11/5 on is **pending**.

Non-custodians: **Luis Ortega** (SAA liaison), **Rocío Méndez** (SAA night supervisor at Piedra
Lisa), **Priya Nair** (contractor, Tri-County Systems), and one unknown number, a tow dispatcher
(+1 (619) 555-0163) added for one night. Their messages are **exempt**.

Priya turns on disappearing messages in the night-shift group on 11/15 at 2:10 AM; Dana turns them
off at 7:41 AM ("This group holds federal records"). Reports should flag the chat.

## People (see `retainer.toml`)

| person | custodian | time zone | aliases (as authors) | official accounts | phone shows others as |
| --- | --- | --- | --- | --- | --- |
| Dana Reyes | yes, role `capstone-official` | America/Los_Angeles | Dana Reyes, Dana R, +1 619 555 0142 | dana.reyes@agency.example.gov, **+1 202 555 0190** (agency WhatsApp) | Android, en-US |
| Marcus Bell | yes, role `supervisory-officer` | America/Phoenix (no DST) | Marcus Bell, +1 602 555 0118 | marcus.bell@agency.example.gov | iPhone, en-US; saved Dana as "Dana R" |
| Elena Vargas | yes, role `officer` | America/Los_Angeles | Elena Vargas, +1 619 555 0177 | elena.vargas@agency.example.gov | Android, Spanish, 24 h, day-first; Dana is not in her contacts (shown as +1 (619) 555-0142) |
| Luis Ortega | no | America/Phoenix | Luis Ortega | — | — |
| Priya Nair | no | America/Los_Angeles | Priya Nair, +1 858 555 0123 | — | — |
| Rocío Méndez | no | America/Los_Angeles | Rocío Méndez | — | — |

Phone numbers appear in exports the way the phones format them — `+1 (619) 555-0142`,
`+1 (202) 555-0190` — while the configuration writes `+1 619 555 0142`: **phone-number aliases and
official numbers must be matched on their digits**, not as strings.

## Files

| file | what it is |
| --- | --- |
| `drop/dana/WhatsApp Chat with Port Ops Night Shift.txt` | Android, en-US export **without media** from Dana's phone, {n_po} entries (messages and notices), 9/2–11/20/26. `M/D/YY, h:mm␣AM - ` headers with U+202F before AM/PM; LF line ends; group creation and "added" notices without author; "You added +1 (202) 555-0190" (Dana's official number, 10/19 10:05 PM); a message *authored* by that official number; multi-line messages with blank lines; body lines that merely look like dates (`10/31 is a double-staffed night…`, `11/1/26 at 2:00 AM becomes 1:00 AM…`); `<Media omitted>`; `This message was deleted` (Priya, never captured); an edited message ending in `<This message was edited>`; emoji; an unknown number as author; the same text twice in one minute (Elena "Copy." ×2 at 10/19 10:15 PM — two messages); messages in the **repeated 1 AM hour of 11/1/26** (Los Angeles falls back: `1:12 AM, 1:30 AM, 1:41 AM` are PDT, then `1:04 AM, 1:22 AM, 1:30 AM, 1:30 AM, 1:52 AM` are PST — file order resolves them; "Lane 5 clear." appears at both 1:30s and is two messages, 08:30Z and 09:30Z); disappearing messages turned on by Priya and off by Dana. |
| `drop/dana/WhatsApp Chat with Luis Ortega.zip` | Android, en-US, one-to-one, **with media** (newer Android zips it): `WhatsApp Chat with Luis Ortega.txt` + `SAA visitor form.pdf` + `IMG-20261027-WA0007.jpg`; `… (file attached)` lines with the document title / photo caption on the next line; no group notices; "You deleted this message" (Dana) and "This message was deleted" (Luis), both never captured. {n_lo} entries. |
| `drop/marcus/WhatsApp Chat - Liaison Bridge Crossing.zip` | iOS export **with media** from Marcus's iPhone, made 11/20/26 9:14 PM: `_chat.txt` + exactly two media files, `{pdf}` (2-page PDF) and `{photo}` (JPEG). `[M/D/YY, h:mm:ss␣AM]` stamps with U+202F; CRLF between messages, LF inside a message; U+200E before `[` on system/media/deleted/call lines and before the body (`‎<attached: …>`, `‎You deleted this message.`); system notices with the **group name in the author slot**; `‎Missed voice call. Tap to call back` by Luis; an edited message ending in `‎<This message was edited.>`; Dana shown as "Dana R". {n_lb} entries in the full history; this export lacks {t[lb_deleted_for_me]} (deleted "for me" on 10/14) and shows {t[lb_deleted_after_capture]} as `‎You deleted this message.` (deleted for everyone on 10/14, after mail #1 captured its text). |
| `drop/elena/Chat de WhatsApp con Coordinación Garita.txt` | Android export, **Spanish** locale, 24-hour clock, day-first `DD/MM/YY, HH:MM - `, without media, from Elena's phone: Spanish notices (`… creó el grupo "Coordinación Garita"`, `… te añadió`, `… añadió a Rocío Méndez`, `Cambió tu código de seguridad con …`), `<Multimedia omitido>`, `Se eliminó este mensaje.`, `<Se editó este mensaje.>`; Dana appears only as **+1 (619) 555-0142**. {n_cg} entries. |
| `mailbox/official.mbox` | capture of the agency's mail journal for the period (six mails, `mailbox.mbox`, LF line ends), see below. |
| `retainer.toml` | sample configuration (DESIGN.md §8). `database`/`vault` are relative to this folder (`sample-archive.db`, `sample-vault/`). |
| `expected-verdicts.csv` | the expected status of **every** message (system and exempt ones included), with UTC instant, detail, proof capture, flags and where each message is seen. |
| `make_samples.py` | the generator. |

Deliberate details for the parsers: every file has days > 12, so date order is inferable
without `date_order`; iOS media file numbers are the message's running number in the chat
(`{pdf}`, `{photo}`); zip member times are the export time; the Liaison exports in the
mails are the same chat at earlier moments (fewer messages, same stamps).

### Notes on realism

* An export shows the **exporting phone's** point of view: the owner's own actions are "You …"
  (`You added +1 (202) 555-0190` in Dana's export, `You created group …` in Marcus's), her own
  messages carry her profile name, and other people appear under the name saved in that phone's
  contacts, or as a formatted number when not saved. So Dana never appears *by number* in her own
  export; she does in Elena's (Elena never saved the director's personal number), and as "Dana R"
  in Marcus's.
* iOS zips even a text-only ("Without Media") export: the mailed exports are all
  `WhatsApp Chat - Liaison Bridge Crossing.zip`, with or without media files.
* Android keeps WhatsApp's own number formatting (`+1 (202) 555-0190`); iOS would use U+2011
  non-breaking hyphens in numbers (no number appears as an author in the iOS export here).
* Mail #2 uses the format WhatsApp Desktop/Web puts on the clipboard when several messages are
  copied (`[9:41 PM, 10/20/2026] Marcus Bell: …`, minutes only, 4-digit year, time first), in the
  time zone of Marcus's laptop (Phoenix); mail #5 has lines copied straight out of the iOS
  `_chat.txt` (with U+202F before AM/PM).

### The mails in `mailbox/official.mbox`

All are from Marcus's personal address `marcus.bell.personal@mail.example.com`. The official
capture time is the `Date` header, or the first `Received` header when there is none (mail #5;
both of its Received stamps are 11/16 06:12 MST, so "first" and "earliest" agree).

| # | Message-ID | Date | delivered to | subject | what | messages covered |
| --- | --- | --- | --- | --- | --- | --- |
{mail_rows}

* Mail #4 reached only `portops-nightdesk@agency.example.gov` (a shared box, nobody's official
  account) and a contractor: it proves nothing, and {t[lb_nonofficial1]}/{t[lb_nonofficial2]} stay **overdue**.
* Mail #6's capture time is its own Date, **11/18/26 07:40 MST** — not the Date of the mail inside
  the `message/rfc822` part (10/29, sent to a personal address).
* Dana's and Luis's messages inside Marcus's mails are copies in *Marcus's* official account:
  they prove nothing for Dana.

## Expected § 2911 verdicts

As of **2026-11-23** (the same at any instant of that day in any zone), `window_days = 20`,
`scope = "sent"`. Deadline = end of the 20th calendar day after the day the message was sent,
**in the custodian's time zone** (Dana, Elena: Los Angeles; Marcus: Phoenix). "Days" below are
calendar days in that zone: *after N days* = capture date − sent date; *N days late* = capture
date − deadline date; *N days left* = deadline date − 2026-11-23.

Assumption: every non-system message is filed in a category with `record = true` (GRS 5.2
transitory records are records too). A schedule rule that files a message as non-record makes it
`exempt` instead.

Totals over all {total} messages of the four chats: {counts}.

The archive holds one message more, 262: Marcus's export shows LB-020 as "You deleted this
message." after mail #1 had captured its text, and that notice is an archived message of its own.
LB-020 carries the verdict; the notice is `exempt` ("deletion notice of message N"), so the
reports count exempt 82.

Messages sent by custodians ({n_rows}), in chat order. Keys are `PO` Port Ops Night Shift,
`LB` Liaison Bridge Crossing, `CG` Coordinación Garita, `LO` Luis Ortega (one-to-one); the same
keys are in `expected-verdicts.csv`. Times are as the exporting phone shows them.

| key | chat | sent (local, as exported) | UTC | author as exported | message | status | why |
| --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

Exempt messages by chat and reason (the custodian's message sent from her official number is also in the table above):

| chat | reason | count |
| --- | --- | --- |
{exempt_rows}

### Traps worth a test

* **Time zones.** Marcus's deadlines are in Phoenix although the night-shift group is exported on a
  Los Angeles phone: {t[po_marcus_tz]} (11/6/26 11:52 PM PST) was sent on **11/7** in Phoenix, deadline 11/27.
  {t[lb_late_tz]} (10/28/26 11:52:40 PM MST = 10/29 06:52Z) is **late** by the custodian's day (deadline
  11/17 in Phoenix, mail #6 on 11/18), but would look on time if the deadline were counted from the
  UTC date.
* **Day 20 exactly.** {t[lb_day20]} (sent 10/29) reaches the official mailbox on 11/18 07:40, the last
  day: **forwarded**, 20 days.
* **Missing Date.** {t[lb_nodate1]}, {t[lb_nodate2]} and {t[lb_nodate3]} are forwarded only by mail #5 (no Date header): with the
  Received time (11/16) they are forwarded; taking the import time or 11/23 instead would make
  {t[lb_nodate1]} (deadline 11/20) and {t[lb_nodate2]} (deadline 11/21) late.
* **Incomplete.** {t[lb_photo]} (photo, 10/14) is only ever in the official mailbox as `‎image omitted`
  (mails #3 and #6); the complete photo exists only in Marcus's device export, which is not an
  official copy.
* **Deleted after capture.** {t[lb_deleted_after_capture]}'s text is in mail #1 (export of 10/13); the later exports
  (mails #3, #6 and the device zip) show `‎You deleted this message.` at the same second. The
  archive keeps the text and records the deletion; the verdict stays **forwarded**.
* **Missing from later export.** {t[lb_deleted_for_me]} is in mail #1 only ("Delete for me" on 10/14): flag
  `missing_from_later_export`; verdict **forwarded**.
* **Deleted, never captured.** {t[po_deleted]} (Priya), {t[cg_deleted]} (Rocío), {t[lo_dana_deleted]} (Dana, a custodian —
  counted **overdue** here: no official copy of that record exists) and {t[lo_luis_deleted]} (Luis).
* **Membership.** Dana's agency number joins the night-shift group only: her messages in the
  other chats are never `copied`. {t[po_before_add]} (9:58 PM, before the notice) is overdue; {t[po_after_add]}
  (10:09 PM) is copied. {t[po_by_official]} is authored *by* the official number: exempt (not sent from a
  non-official account), and also evidence of membership.
"""


def main() -> None:
    for sub in ("drop", "mailbox"):
        if (HERE / sub).exists():
            shutil.rmtree(HERE / sub)

    write(PORT_OPS_TXT, render_android(PORT_OPS, android_en_header).encode("utf-8"))
    write(GARITA_TXT, render_android(GARITA, android_es_header).encode("utf-8"))
    luis_txt = render_android(LUIS_CHAT, android_en_header, with_media=True).encode("utf-8")
    luis_members = [(f"WhatsApp Chat with {LUIS_CHAT}.txt", luis_txt)]
    for e in CHATS[LUIS_CHAT]:
        if e.media:
            luis_members.append((e.media["file"], media_file(e.media["file"])))
    write(LUIS_ZIP, make_zip(luis_members, EXPORT_DANA))
    write(LIAISON_ZIP, ios_export_zip(EXPORT_DEVICE, True))
    write_mbox()
    write_config()
    verdicts = all_verdicts()
    write_csv(verdicts)
    write_readme(verdicts)


if __name__ == "__main__":
    main()
