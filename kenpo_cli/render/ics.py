"""A verdict's dated steps as iCalendar (RFC 5545) events, for ``--ics``.

Every step with a ``by`` or ``from`` day becomes an all-day event with an alarm.
icalendar renders each content line (TEXT escaping, folding at 75 octets, CRLF);
this module only chooses the properties and puts the pieces in order. A calendar is
produced as a stream: :meth:`EventMaker.header`, the events one at a time, then
:data:`FOOTER`, so a batch of a million rows never holds a calendar in memory.

Most of an event depends on the step alone, not on whose it is: that part is
rendered once per step and reused, and only the lines naming the row (SUMMARY, UID,
the alarm's text) are rendered per row (a whole event costs ~0.4 ms in icalendar,
those three lines a third of that).

Imported only when ``--ics`` is given: icalendar takes longer to import than a whole
one-shot call (benchmarks/oneshot.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from icalendar import Alarm, Calendar, Component, Event, Parameters, vText
from icalendar.parser import Contentline

from kenpo_cli import __version__
from kenpo_cli.core.model import Action, ActionKind, Audience
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.i18n import Glosser, Messages
from kenpo_cli.privacy import masked
from kenpo_cli.render.view import source_label, step_title

# A week's notice before a deadline, and the day before, at 9:00 (an alarm is relative to
# the all-day event's start, 00:00 on its day: a deadline within the week still has one
# ahead); a step that starts on a day is announced at 9:00.
ALARM_DAYS = 7
_NINE = timedelta(hours=9)
DEADLINE_TRIGGER = -timedelta(days=ALARM_DAYS) + _NINE
START_TRIGGER = _NINE
# Steps that need more than a week: a renewal at the municipal office (an appointment,
# an afternoon off) is announced two weeks and two days before its deadline; a return
# through the employer on leaving, two weeks and two days before the last day of
# employment (the day before the 資格喪失日 the step starts on), and on the day itself.
OFFICE_VISIT_DAYS = (14, 2)
LAST_DAY_DAYS = (14, 2)


class _Alarm(NamedTuple):
    """One alarm of a step: its trigger, and what its text says (a message of the
    [calendar] section, filled with ``days``)."""

    trigger: timedelta
    key: str
    days: int = 0


def alarms(step: Action) -> tuple[_Alarm, ...]:
    """The alarms of a dated step, earliest first."""
    if step.action is ActionKind.RETURN and step.from_ is not None and step.day is not None:
        # On leaving: before the last day at work (the day before the 資格喪失日 it
        # starts on), and that morning, when the card can still be handed over.
        return _leaving(step.day, step.from_ - timedelta(days=1))
    if step.by is not None and step.action is ActionKind.RENEW:
        return _office_visit(step.by)
    if step.by is not None:
        days = (ALARM_DAYS, 1)
        return tuple(_Alarm(-timedelta(days=d) + _NINE, "alarm_deadline", d) for d in days)
    if step.action is ActionKind.RETURN and step.day is not None:
        return _leaving(step.day, step.day - timedelta(days=1))  # on leaving, as above
    return (_Alarm(START_TRIGGER, "alarm_start"),)


def _office_visit(by: date) -> tuple[_Alarm, ...]:
    """A renewal at the municipal office: two weeks and two days before its deadline,
    each on the office's last open day by then (12/29 gives way to 12/28: the office is
    closed from then to 1/3, and a deadline of 12/31 can no longer be met)."""
    from kenpo_cli.core.open_days import closed, open_on_or_before

    found = []
    for d in OFFICE_VISIT_DAYS:
        day = by - timedelta(days=d)
        day = open_on_or_before(day) if closed(day) else day
        found.append(
            _Alarm(-timedelta(days=(by - day).days) + _NINE, "alarm_deadline", (by - day).days)
        )
    return tuple(found)


def _leaving(event: date, last: date) -> tuple[_Alarm, ...]:
    """The alarms of a return on leaving, for an event on ``event``: before the last day
    of employment (``last``, the 退職日) and that morning; a day the workplace is closed
    (a Sunday, 12/31 in the New Year closure) gives way to the working day before it,
    when the card can still be handed over."""
    from kenpo_cli.core.open_days import closed, open_on_or_before

    def at(day: date) -> timedelta:
        return -timedelta(days=(event - day).days) + _NINE

    work = open_on_or_before(last) if closed(last) else last
    found = []
    for d in LAST_DAY_DAYS:
        day = last - timedelta(days=d)
        day = open_on_or_before(day) if closed(day) else day
        if day < work:
            found.append(_Alarm(at(day), "alarm_last_day", (last - day).days))
    key = "alarm_last_day_today" if work == last else "alarm_last_workday"
    return (*found, _Alarm(at(work), key))


def _one(alarm: _Alarm) -> str:
    """An alarm's message key: its own, or its "1 day" form (1 day left, not 1 days)."""
    return "alarm_deadline_one" if alarm.key == "alarm_deadline" and alarm.days == 1 else alarm.key


FOOTER = b"END:VCALENDAR\r\n"
# A UID is a hash written with letters only: hexadecimal digits would, now and then,
# form a run of twelve that reads as a マイナンバー.
_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def uid(rules_id: str, step: Action, who: str = "") -> str:
    """The event's UID: the same step on the same day (for the same row) keeps it, so a
    calendar that imports the file again updates the event instead of adding another.

    ``who`` is the row's name in a batch (already masked), "" for one member; nothing
    else personal goes in.
    """
    if step.day is None:  # a duty owed now, with no day of its own: the same every month
        when, days = "now", [""]
    else:
        when, days = ("by" if step.by is not None else "from"), [step.day.isoformat()]
        if step.by is not None and step.from_ is not None:
            days.append(step.from_.isoformat())  # one deadline for two leaving days: two events
    key = "\x1f".join((rules_id, step.action, step.item, when, *days, who))
    return hashlib.sha256(key.encode()).hexdigest()[:32].translate(_LETTERS) + "@kenpo"


def _occurrence(who: str, occurrence: int) -> str:
    return who if occurrence == 1 else f"{who}\x1f{occurrence}"


class _Fixed(NamedTuple):
    """What an event is made of whoever's step it is: rendered once per step."""

    summary: str
    properties: bytes  # DTSTART … TRANSP, folded
    alarms: tuple[tuple[bytes, _Alarm], ...]  # each alarm's ACTION and TRIGGER, folded


class EventMaker:
    """Calendar text for the dated steps of verdicts, in one language, for one run."""

    STEPS = 1024  # distinct steps whose fixed part is kept

    def __init__(self, pack: RulePack, msgs: Messages, stamp: datetime) -> None:
        self.pack, self.msgs, self.stamp = pack, msgs, stamp
        self._fixed = lru_cache(maxsize=self.STEPS)(self._render_fixed)

    def header(self, name_key: str = "name") -> bytes:
        """``BEGIN:VCALENDAR`` and the calendar's properties; ``name_key`` picks its name."""
        cal = Calendar()
        cal.add("prodid", f"-//kenpo//kenpo {__version__}//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        name = vText(self.msgs("calendar", name_key))
        cal.add("name", name)  # RFC 7986
        cal.add("x-wr-calname", name)  # what Apple and Google calendars read
        return _begin("VCALENDAR") + _properties(cal)

    def events(
        self,
        steps: Iterable[Action],
        who: str = "",
        audience: Audience = Audience.MEMBER,
        occurrence: int = 1,
    ) -> bytes:
        """The events of ``steps`` that have a day; ``who`` names a batch row ("" for one
        member): it leads the SUMMARY and goes into the UID. ``audience``: who reads the
        reasons (an employer, for an unreachable leaver). ``occurrence``: which row of
        that name this is (two people under one id are two events, not one)."""
        return b"".join(
            self.event(step, who, audience, occurrence) for step in steps if step.day is not None
        )

    def event(
        self,
        step: Action,
        who: str = "",
        audience: Audience = Audience.MEMBER,
        occurrence: int = 1,
        today: tuple[date, str] | None = None,
    ) -> bytes:
        """One all-day ``VEVENT`` (with its ``VALARM``) for a dated step. ``today``: the
        office calendar's day for a step due already (its deadline past, or owed now with
        none) and the mark its title gets (``overdue``, ``now``): on the run's day, with
        an alarm that morning, rather than in the past where its alarm has gone."""
        fixed = self._fixed(step, audience, today)
        summary = fixed.summary
        if who:
            summary = masked(self.msgs("calendar", "row_summary", id=who, summary=summary))
        day = today[0] if today is not None else step.day
        assert day is not None
        # (A return before leaving is announced before the last day at work.)
        last = step.from_ if today is None and step.from_ is not None else day
        last_day = self.msgs.date(last - timedelta(days=1))
        told = [
            self.msgs("calendar", _one(a), days=str(a.days), summary=summary, day=last_day)
            for _lines, a in fixed.alarms
        ]
        return b"".join(
            (
                _begin("VEVENT"),
                # The first row of a name keeps the UID next month's file updates; a
                # repeat gets its own, so a calendar keeps both people's events.
                _text_line("UID", uid(self.pack.id, step, _occurrence(who, occurrence))),
                _text_line("SUMMARY", summary),
                fixed.properties,
                *(
                    _begin("VALARM") + lines + _text_line("DESCRIPTION", text) + _end("VALARM")
                    for (lines, _alarm), text in zip(fixed.alarms, told, strict=True)
                ),
                _end("VEVENT"),
            )
        )

    def _render_fixed(
        self, step: Action, audience: Audience, today: tuple[date, str] | None = None
    ) -> _Fixed:
        day = today[0] if today is not None else step.day
        assert day is not None
        msgs = self.msgs
        gloss = msgs.glosser()  # an event is read alone: its title first, then the rest
        summary = masked(gloss(step_title(step, msgs)))
        if today is not None:
            mark = "summary_overdue" if today[1] == "overdue" else "summary_now"
            summary = msgs("calendar", mark, summary=summary)
        event = Event()
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))  # the end is exclusive
        event.add("dtstamp", self.stamp)
        event.add("description", masked(self._description(step, audience, gloss)))
        event.add("categories", [msgs("calendar", "category")])
        # A reminder, not an appointment: the day stays free in free/busy views.
        event.add("transp", "TRANSPARENT")
        rendered = []
        for wanted in alarms(step) if today is None else (_Alarm(START_TRIGGER, "alarm_start"),):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", wanted.trigger)
            rendered.append((_properties(alarm), wanted))
        return _Fixed(summary, _properties(event), tuple(rendered))

    def _description(self, step: Action, audience: Audience, gloss: Glosser) -> str:
        msgs = self.msgs
        when = [msgs.ui("by", date=msgs.date(step.by))] if step.by else []
        if step.from_ is not None:
            when.append(msgs.ui("from", date=msgs.date(step.from_)))
        sources = "\n".join(source_label(s, self.pack, msgs) for s in step.sources)
        return msgs(
            "calendar",
            "description",
            when=gloss(msgs.ui("list_sep").join(when)),
            reason=gloss(msgs.reasons(step.reasons, audience)),
            sources=sources,
        )


def _begin(name: str) -> bytes:
    return f"BEGIN:{name}\r\n".encode()


def _end(name: str) -> bytes:
    return f"END:{name}\r\n".encode()


def _text_line(name: str, text: str) -> bytes:
    """One TEXT property as icalendar renders it (escaped, folded), a tenth of the cost of
    rendering a component that holds it."""
    line: bytes = Contentline.from_parts(name, Parameters(), vText(text)).to_ical()
    return line + b"\r\n"


def _properties(component: Component) -> bytes:
    """A component's property lines as icalendar renders them, without BEGIN and END."""
    lines = [line for line in component.content_lines() if line][1:-1]
    return b"".join(line.to_ical() + b"\r\n" for line in lines)
