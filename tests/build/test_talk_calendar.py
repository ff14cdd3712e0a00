"""The talk's .ics (render/calendar.py): a valid VEVENT at the school's local time, deterministic,
and carried only inside the sealed child bundle."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from site_builder.pipeline.render.calendar import talk_ics


def test_the_talk_is_one_event_at_local_time_with_its_length_and_place() -> None:
    talk = {
        "day": date(2026, 12, 31),
        "time": "10:30",
        "minutes": 45,
        "place": "Ekskolan, klassrum 8C",
        "school": "Ekskolan",
        "uid": "t-1@familjeportalen",
    }
    text = talk_ics(**talk)
    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime(2026, 12, 31, 10, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert event.decoded("dtend") - start == timedelta(minutes=45)
    assert str(event["location"]) == "Ekskolan, klassrum 8C"
    assert str(event["summary"]) == "Utvecklingssamtal – Ekskolan"
    assert calendar.walk("VTIMEZONE")  # the phone's calendar needs no zone database
    again = talk_ics(**talk)
    assert again == text  # an unchanged talk seals to the same bundle
