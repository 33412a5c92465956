"""iCalendar (RFC 5545) files for course runs: "add to calendar" without any third-party service.

A run has dates and a free-text schedule such as "每周二 9:30–11:00" or "Tuesdays 9:30-11:00". When the
schedule names a time range the event carries local times with a VTIMEZONE (and a weekly rule when it
names a weekday); otherwise it is an all-day event spanning the run.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

TIME_RANGE = re.compile(r"(\d{1,2})[:：.](\d{2})\s*(?:-|–|—|~|～|至|到|to)\s*(\d{1,2})[:：.](\d{2})")
WEEKDAYS = [
    # (iCalendar code, patterns)
    ("MO", r"周一|星期一|週一|禮拜一|礼拜一|\bmon(day)?s?\b"),
    ("TU", r"周二|星期二|週二|禮拜二|礼拜二|\btue(s|sday)?s?\b"),
    ("WE", r"周三|星期三|週三|禮拜三|礼拜三|\bwed(nesday)?s?\b"),
    ("TH", r"周四|星期四|週四|禮拜四|礼拜四|\bthu(rs|rsday)?s?\b"),
    ("FR", r"周五|星期五|週五|禮拜五|礼拜五|\bfri(day)?s?\b"),
    ("SA", r"周六|星期六|週六|禮拜六|礼拜六|\bsat(urday)?s?\b"),
    ("SU", r"周日|星期日|星期天|週日|禮拜天|礼拜天|\bsun(day)?s?\b"),
]


@dataclass(frozen=True)
class Session:
    start: datetime.time
    end: datetime.time
    weekdays: tuple[str, ...]


def parse_schedule(text: str) -> Session | None:
    """The weekly time slot a schedule describes, or None when it names no time range."""
    match = TIME_RANGE.search(text or "")
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (0 <= h1 < 24 and 0 <= h2 < 24 and m1 < 60 and m2 < 60):
        return None
    start, end = datetime.time(h1, m1), datetime.time(h2, m2)
    if end <= start:
        return None
    lowered = text.lower()
    days = tuple(code for code, pattern in WEEKDAYS if re.search(pattern, lowered))
    return Session(start, end, days)


def escape_text(value: str) -> str:
    return (
        (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with one space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def first_session_date(start: datetime.date, weekdays: tuple[str, ...]) -> datetime.date:
    if not weekdays:
        return start
    wanted = {[code for code, _p in WEEKDAYS].index(day) for day in weekdays}
    day = start
    while day.weekday() not in wanted:
        day += datetime.timedelta(days=1)
    return day


def vtimezone(tz_name: str, on: datetime.date) -> list[str]:
    """A one-rule VTIMEZONE with the zone's offset on the event date (enough for zones without DST shifts)."""
    zone = zoneinfo.ZoneInfo(tz_name)
    offset = datetime.datetime.combine(on, datetime.time(12), tzinfo=zone).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    text = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    abbreviation = datetime.datetime.combine(on, datetime.time(12), tzinfo=zone).tzname() or text
    return [
        "BEGIN:VTIMEZONE", f"TZID:{tz_name}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{text}", f"TZOFFSETTO:{text}", f"TZNAME:{abbreviation}", "END:STANDARD", "END:VTIMEZONE",
    ]


def run_calendar(run, course_url: str, host: str, now: datetime.datetime | None = None) -> str:
    """The .ics text for one course run."""
    now = now or timezone.now()
    course = run.course
    tz_name = settings.TIME_ZONE
    session = parse_schedule(run.schedule)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Learning City//Course catalogue//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    if session:
        lines += vtimezone(tz_name, run.start_date)
    lines += [
        "BEGIN:VEVENT",
        f"UID:course-run-{run.pk}@{host}",
        f"DTSTAMP:{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{escape_text(course.title)}",
    ]
    if session:
        day = first_session_date(run.start_date, session.weekdays)
        lines.append(f"DTSTART;TZID={tz_name}:{datetime.datetime.combine(day, session.start):%Y%m%dT%H%M%S}")
        lines.append(f"DTEND;TZID={tz_name}:{datetime.datetime.combine(day, session.end):%Y%m%dT%H%M%S}")
        if session.weekdays:
            last = datetime.datetime.combine(run.end_date, datetime.time(23, 59, 59), tzinfo=zoneinfo.ZoneInfo(tz_name))
            until = last.astimezone(datetime.UTC)
            lines.append(f"RRULE:FREQ=WEEKLY;BYDAY={','.join(session.weekdays)};UNTIL={until:%Y%m%dT%H%M%SZ}")
    else:
        lines.append(f"DTSTART;VALUE=DATE:{run.start_date:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{run.end_date + datetime.timedelta(days=1):%Y%m%d}")
    description = "\n".join(part for part in (run.schedule, course.summary, course_url) if part)
    lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append(f"URL:{course_url}")
    if run.venue_id:
        lines.append(f"LOCATION:{escape_text(f'{run.venue.name}, {run.venue.address}')}")
        if run.venue.has_location:
            lines.append(f"GEO:{float(run.venue.latitude):.6f};{float(run.venue.longitude):.6f}")
    elif run.online_url:
        lines.append(f"LOCATION:{escape_text(run.online_url)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
