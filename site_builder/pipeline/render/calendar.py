"""The development talk as an iCalendar file (RFC 5545), made with the `icalendar` library.

In: the talk's date, time, length and place, the school's name and stable ids. Out: the .ics
text, carried inside the sealed child bundle (`samtal.ics`), so the host never sees it; the app
offers it as a file to add to the phone's calendar. Deterministic (DTSTAMP from the talk), so an
unchanged talk seals to the same bundle.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

SCHOOL_TZ = ZoneInfo("Europe/Stockholm")


def talk_ics(
    *, day: date, time: str, minutes: int, place: str, school: str | None, uid: str
) -> str:
    hour, minute = (int(part) for part in time.split(":"))
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=SCHOOL_TZ)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime(day.year, day.month, day.day, tzinfo=UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", f"Utvecklingssamtal{f' – {school}' if school else ''}")
    event.add("location", place)
    calendar = Calendar()
    calendar.add("prodid", "-//Familjeportalen//site-builder//SV")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return str(calendar.to_ical().decode("utf-8"))
