"""iCalendar (RFC 5545) files: one per expedition, and the personal feed of confirmed trips.

Trip days are all-day events; programme items carry the destination's local time zone
(TZID) and the calendar embeds the matching VTIMEZONE components.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from expeditions.models import Expedition

PRODID = "-//Medef numerique//Learning expeditions//FR"


def _uid(kind: str, pk: int) -> str:
    host = settings.PORTAL_BASE_URL.split("://")[-1].split("/")[0].split(":")[0] or "portal.localhost"
    return f"{kind}-{pk}@{host}"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _add_expedition(cal: Calendar, expedition: Expedition, stamp: datetime) -> None:
    trip = Event()
    trip.add("uid", _uid("expedition", expedition.pk))
    trip.add("dtstamp", stamp)
    trip.add("summary", expedition.title)
    trip.add("dtstart", expedition.starts_on)
    trip.add("dtend", expedition.ends_on + timedelta(days=1))  # DTEND of an all-day event is exclusive
    trip.add("location", f"{expedition.city}, {expedition.destination.country}")
    if expedition.summary:
        trip.add("description", expedition.summary)
    trip.add("url", settings.PORTAL_BASE_URL + expedition.get_absolute_url())
    if expedition.status == Expedition.Status.CANCELLED:
        trip.add("status", "CANCELLED")
    cal.add_component(trip)
    tz = expedition.tz
    for item in expedition.programme_items.all():
        if item.start_time is None:
            continue
        start = datetime.combine(item.day, item.start_time, tzinfo=tz)
        end = datetime.combine(item.day, item.end_time, tzinfo=tz) if item.end_time else start + timedelta(hours=1)
        event = Event()
        event.add("uid", _uid("programme-item", item.pk))
        event.add("dtstamp", stamp)
        event.add("summary", f"{item.title} — {item.host_organisation}" if item.host_organisation else item.title)
        event.add("dtstart", start)
        event.add("dtend", max(end, start))
        event.add("location", expedition.city)
        cal.add_component(event)


def calendar_bytes(expeditions: Iterable[Expedition], *, name: str) -> bytes:
    cal = _calendar(name)
    stamp = timezone.now()
    for expedition in expeditions:
        _add_expedition(cal, expedition, stamp)
    cal.add_missing_timezones()
    return cal.to_ical()
