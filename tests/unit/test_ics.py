"""``--ics``: a verdict's dated steps as calendar events a phone calendar accepts.

Every calendar is read back twice: with icalendar, and with tests/ics_reader.py, a
strict reader of our own that does not trust the library that wrote the file.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest

from kenpo_cli.core.model import Action, ActionKind, Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.i18n import Messages, languages
from kenpo_cli.privacy import MY_NUMBER_SHAPE
from kenpo_cli.render.ics import DEADLINE_TRIGGER, FOOTER, START_TRIGGER, EventMaker
from tests import ics_reader
from tests.helpers import judge

# Any twelve digits, valid check digit or not: none may reach a calendar.
MY_NUMBER_ANYWHERE = re.compile(MY_NUMBER_SHAPE)

STAMP = datetime(2026, 11, 26, 8, 30, tzinfo=UTC)


def leaver(as_of: str = "2026-11-26") -> Verdict:
    """Leaving on 2026-12-16 with a 資格確認書, a certificate to renew by 2027-04-30."""
    return judge(
        as_of,
        left_on="2026-12-16",
        myna="yes",
        cert_expiry="2027-01-10",
        kakuninsho="held",
        old_card="held",
    )


def calendar(
    v: Verdict, pack: RulePack, lang: str = "ja", who: str = "", stamp: datetime = STAMP
) -> bytes:
    maker = EventMaker(pack, Messages(lang), stamp)
    return maker.header() + maker.events(v.actions, who) + FOOTER


def dated(v: Verdict) -> list[Action]:
    return [a for a in v.actions if a.day is not None]


def both(data: bytes) -> tuple[ics_reader.Component, Any]:
    """The calendar as our reader and as icalendar read it."""
    return ics_reader.parse(data), icalendar.Calendar.from_ical(data)


def events(data: bytes) -> list[ics_reader.Component]:
    return ics_reader.parse(data).all("VEVENT")


def test_every_dated_step_is_one_all_day_event(pack: RulePack) -> None:
    v = leaver()
    ours, theirs = both(calendar(v, pack))
    steps = dated(v)
    # the return (from the leaving day, by the employer's deadline), the dispose from the
    # leaving day, the renewal by its deadline, 任意継続 and 国民健康保険 by theirs
    assert len(steps) == 5
    assert len(ours.all("VEVENT")) == len(theirs.events) == len(steps)
    for step, mine, lib in zip(steps, ours.all("VEVENT"), theirs.events, strict=True):
        assert step.day is not None
        start = mine.get("DTSTART")
        assert start.params == {"VALUE": "DATE"}  # a day, no TZID, no time
        assert start.raw == step.day.strftime("%Y%m%d")
        assert mine.get("DTEND").raw == (step.day + timedelta(days=1)).strftime("%Y%m%d")
        assert type(lib.decoded("dtstart")) is date and lib.decoded("dtstart") == step.day
        assert lib.decoded("dtend") == step.day + timedelta(days=1)
        assert mine.get("TRANSP").raw == "TRANSPARENT"  # a reminder does not make you busy
        assert mine.get("DTSTAMP").raw == "20261126T083000Z"


def test_steps_without_a_day_give_no_event(pack: RulePack) -> None:
    # Leaving on a day not yet known: the steps wait for it, and a calendar cannot.
    v = judge("2026-11-26", status="leaving", myna="no", kakuninsho="held")
    assert any(a.on == "leaving" for a in v.actions)
    assert events(calendar(v, pack)) == []
    ics_reader.parse(calendar(v, pack))  # still a valid, empty calendar


def test_summary_says_the_step_in_japanese_and_english(pack: RulePack) -> None:
    ja = [e.get("SUMMARY").text for e in events(calendar(leaver(), pack, "ja"))]
    en = [e.get("SUMMARY").text for e in events(calendar(leaver(), pack, "en"))]
    assert "資格確認書を返却する" in ja
    assert "マイナンバーカードの電子証明書を更新する" in ja
    assert "Give back: 資格確認書 (eligibility certificate)" in en
    assert "Renew: My Number card certificate (電子証明書)" in en


@pytest.mark.parametrize("lang", languages())
def test_each_language_names_the_item_and_its_calendar(pack: RulePack, lang: str) -> None:
    msgs = Messages(lang)
    data = calendar(leaver(), pack, lang)
    ours, theirs = both(data)
    assert ours.get("X-WR-CALNAME").text == msgs("calendar", "name")
    assert str(theirs["X-WR-CALNAME"]) == msgs("calendar", "name")
    for step, event in zip(dated(leaver()), ours.all("VEVENT"), strict=True):
        summary = re.sub("〈[^〉]*〉", "", event.get("SUMMARY").text)  # (easy's readings)
        assert msgs.item(step.item.value) in summary
        assert event.get("CATEGORIES").text == msgs("calendar", "category")


def test_description_gives_the_reason_the_day_and_the_sources(pack: RulePack) -> None:
    v = leaver()
    msgs = Messages("en")
    lib_events = icalendar.Calendar.from_ical(calendar(v, pack, "en")).events
    for step, lib in zip(dated(v), lib_events, strict=True):
        text = str(lib["DESCRIPTION"])
        assert msgs.reasons(step.reasons) in text
        assert step.day is not None and step.day.isoformat() in text
        for source in step.sources:
            assert f"[{source}]" in text
            assert msgs.text(pack.sources[source].question) in text


def test_alarms_a_week_and_a_day_before_a_deadline_and_on_the_day_of_a_start(
    pack: RulePack,
) -> None:
    v = leaver()
    ours, theirs = both(calendar(v, pack))
    deadlines = 0
    for step, mine, lib in zip(dated(v), ours.all("VEVENT"), theirs.events, strict=True):
        for alarm in mine.all("VALARM"):
            assert alarm.get("ACTION").raw == "DISPLAY"
            assert alarm.get("DESCRIPTION").text  # DISPLAY alarms must say something
        if step.action in (ActionKind.RENEW, ActionKind.RETURN):
            continue  # earlier alarms too (below)
        alarms = mine.all("VALARM")
        triggers = [a.decoded("trigger") for a in lib.walk("VALARM")]
        if step.by is not None:
            # 9:00 seven days before the day (the trigger counts from 00:00 on the day),
            # and 9:00 the day before: a deadline within the week still has one ahead.
            deadlines += 1
            assert [a.get("TRIGGER").raw for a in alarms] == ["-P6DT15H", "-PT15H"]
            assert triggers == [DEADLINE_TRIGGER, timedelta(days=-1, hours=9)]
            assert timedelta(days=-7, hours=9) == DEADLINE_TRIGGER
        else:
            assert [a.get("TRIGGER").raw for a in alarms] == ["PT9H"]
            assert triggers == [START_TRIGGER] == [timedelta(hours=9)]
    assert deadlines, "the leaver has deadlines (国民健康保険, 任意継続)"
    said = calendar(v, pack, "en").decode().replace("\r\n ", "")
    assert "1 day left" in said and "1 days" not in said


def test_a_renewal_at_the_office_is_announced_two_weeks_and_two_days_before(
    pack: RulePack,
) -> None:
    v = leaver()
    ours, theirs = both(calendar(v, pack, "en"))
    steps = list(zip(dated(v), ours.all("VEVENT"), theirs.events, strict=True))
    [(_step, mine, lib)] = [s for s in steps if s[0].action is ActionKind.RENEW]
    triggers = [a.decoded("trigger") for a in lib.walk("VALARM")]
    # Due on Sunday 2027-01-10: two weeks before is Sunday 12-27, when the municipal office
    # is closed, so that alarm rings on its last open day before, Friday 12-25.
    assert _step.by == date(2027, 1, 10)
    assert triggers == [timedelta(days=-16, hours=9), timedelta(days=-2, hours=9)]
    said = [a.get("DESCRIPTION").text for a in mine.all("VALARM")]
    assert said[0].startswith("16 days left") and said[1].startswith("2 days left")


def test_a_leavers_return_is_announced_before_the_last_day_at_work(pack: RulePack) -> None:
    v = leaver()  # the 資格喪失日 is 2026-12-16: the last day of employment, 12-15
    ours, theirs = both(calendar(v, pack, "en"))
    steps = list(zip(dated(v), ours.all("VEVENT"), theirs.events, strict=True))
    [(step, mine, lib)] = [s for s in steps if s[0].action is ActionKind.RETURN]
    assert step.from_ == date(2026, 12, 16)
    assert step.by == date(2026, 12, 21)  # the event's day: the employer's deadline
    triggers = [a.decoded("trigger") for a in lib.walk("VALARM")]
    # 9:00 on 12-01 (14 days before 12-15) and on the Friday 12-11 (two days before is a
    # Sunday), and on 12-15 itself: the last day the card can be handed over in person
    # (not 12-16, when they have gone)
    assert triggers == [
        timedelta(days=-20, hours=9),
        timedelta(days=-10, hours=9),
        timedelta(days=-6, hours=9),
    ]
    said = [a.get("DESCRIPTION").text for a in mine.all("VALARM")]
    assert "14 days" in said[0] and "2026-12-15" in said[0] and "4 days" in said[1]
    assert "Today is the last day" in said[2] and "2026-12-15" in said[2]


def test_a_return_on_a_retirement_day_the_workplace_is_closed_is_announced_before_it(
    pack: RulePack,
) -> None:
    # 退職日 2026-12-31, in the New Year closure: the alarms fell on 12-29 and 12-31,
    # days off; the last working day is Monday 12-28 (HR review).
    v = judge("2026-12-07", retired_on="2026-12-31", myna="no", kakuninsho="held", dependants="0")
    ours, theirs = both(calendar(v, pack, "en"))
    steps = list(zip(dated(v), ours.all("VEVENT"), theirs.events, strict=True))
    [(_, mine, lib)] = [s for s in steps if s[0].action is ActionKind.RETURN]
    start = lib.decoded("dtstart")
    days = [start + a.decoded("trigger") for a in lib.walk("VALARM")]
    assert [d.isoformat() for d in days] == ["2026-12-17", "2026-12-28"]  # (at 9:00)
    said = [a.get("DESCRIPTION").text for a in mine.all("VALARM")]
    assert "14 days" in said[0] and "day off" in said[1] and "2026-12-31" in said[1]


def test_uids_stay_the_same_from_run_to_run(pack: RulePack) -> None:
    first = events(calendar(leaver(), pack, stamp=STAMP))
    # A later run, on another day, in another language: the same steps on the same days.
    again = events(calendar(leaver("2026-12-01"), pack, "en", stamp=STAMP + timedelta(days=5)))
    uids = [e.get("UID").text for e in first]
    assert uids == [e.get("UID").text for e in again]
    assert len(set(uids)) == len(uids)
    assert all(u.endswith("@kenpo") for u in uids)


def test_a_step_on_another_day_is_another_event(pack: RulePack) -> None:
    now = events(calendar(leaver(), pack))
    other = judge(
        "2026-11-26",
        left_on="2026-12-17",
        myna="yes",
        cert_expiry="2027-01-10",
        kakuninsho="held",
        old_card="held",
    )
    later = events(calendar(other, pack))

    def uid_of(found: list[Any], word: str) -> str:
        return str(next(e.get("UID").text for e in found if word in e.get("SUMMARY").text))

    assert uid_of(now, "返却") != uid_of(later, "返却")  # left on another day
    assert uid_of(now, "電子証明書") == uid_of(later, "電子証明書")  # the same renewal


def test_batch_rows_get_their_own_uids_and_titles(pack: RulePack) -> None:
    v = leaver()
    one = events(calendar(v, pack, who="E0004"))
    two = events(calendar(v, pack, who="E0005"))
    assert "E0004: 資格確認書を返却する" in [e.get("SUMMARY").text for e in one]
    assert one[0].get("UID").text != two[0].get("UID").text
    assert [e.get("UID").text for e in one] == [
        e.get("UID").text for e in events(calendar(v, pack, who="E0004"))
    ]
    for alarm in one[0].all("VALARM"):
        assert "E0004" in alarm.get("DESCRIPTION").text  # the alarm says whose step it is


TRICKY = 'E1,2;3\\4 "q"\nnext'


def test_commas_semicolons_backslashes_and_newlines_are_escaped(pack: RulePack) -> None:
    data = calendar(leaver(), pack, who=TRICKY)
    raw = events(data)[0].get("SUMMARY").raw
    assert raw.startswith(r'E1\,2\;3\\4 "q"\nnext: ')
    ours, theirs = both(data)
    assert ours.all("VEVENT")[0].get("SUMMARY").text.startswith(TRICKY + ": ")
    assert str(theirs.events[0]["SUMMARY"]).startswith(TRICKY + ": ")
    english = calendar(leaver(), pack, "en")  # "It stops working on your 資格喪失日, but …"
    assert r"\, but it has not expired" in english.decode()
    ics_reader.parse(english)


def test_long_lines_fold_at_75_octets_between_characters(pack: RulePack) -> None:
    data = calendar(leaver(), pack, who="髙橋" * 40)
    lines = ics_reader.physical_lines(data)  # each ≤ 75 octets and whole UTF-8 characters
    assert max(len(line) for line in lines) <= 75
    folded = [line for line in lines if line.startswith(b" ")]
    assert len(folded) > 5 and any("髙" in line.decode() for line in folded)
    summaries = [e.get("SUMMARY").text for e in ics_reader.parse(data).all("VEVENT")]
    assert "髙橋" * 40 + ": 資格確認書を返却する" in summaries


def test_every_line_ends_with_crlf(pack: RulePack) -> None:
    data = calendar(leaver(), pack, who="a\r\nb")
    assert data.count(b"\n") == data.count(b"\r\n") and data.count(b"\r") == data.count(b"\n")
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert data.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")


# マイナンバー shapes with a valid check digit (a wrong one makes an employee number).
MY_NUMBERS = ["123456789018", "ID 1234-5678-9018 (1)", "１２３４５６７８９０１８"]


@pytest.mark.parametrize("who", MY_NUMBERS)
def test_no_my_number_reaches_the_calendar(pack: RulePack, who: str) -> None:
    data = calendar(leaver(), pack, who=who)
    unfolded = "\n".join(ics_reader.unfold(data))
    assert not MY_NUMBER_ANYWHERE.search(unfolded)
    assert not MY_NUMBER_ANYWHERE.search(data.decode())
    texts = [p.text for e in ics_reader.parse(data).all("VEVENT") for p in e.props]
    assert not any(MY_NUMBER_ANYWHERE.search(t) for t in texts)


def test_uids_have_no_digits_to_look_like_a_my_number(pack: RulePack) -> None:
    for who in ("", *(f"E{n:04d}" for n in range(300))):
        for event in events(calendar(leaver(), pack, who=who)):
            token = event.get("UID").text.removesuffix("@kenpo")
            assert len(token) == 32 and token.isalpha()
