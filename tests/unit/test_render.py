"""What members read: the plain verdict pinned by snapshots in both languages, and its layout."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.i18n import Lang, Messages, languages
from kenpo_cli.render import text, view
from tests.helpers import judge, matches_snapshot

# The situations of issue 3, as a member would describe them.
SITUATIONS = {
    "myna-holder": dict(as_of="2026-11-26", myna="yes", cert_expiry="2030-03-31", oshirase="held"),
    "kakuninsho-holder": dict(as_of="2026-11-26", myna="no", kakuninsho="held", old_card="held"),
    "lost-kakuninsho": dict(as_of="2026-11-26", myna="no", kakuninsho="lost"),
    "leaver": dict(
        as_of="2026-11-26", left_on="2026-11-16", myna="yes", kakuninsho="held", oshirase="held"
    ),
    "cert-expired-last-month": dict(
        as_of="2026-11-26", myna="yes", cert_expiry="2026-10-15", oshirase="held"
    ),
    "clinic-without-reader": dict(as_of="2026-11-26", myna="yes", oshirase="held", reader="none"),
}


def render_plain(name: str, lang: Lang) -> str:
    verdict = judge(**SITUATIONS[name])
    return text.verdict_plain(view.build(verdict, rulepack.builtin(), Messages(lang)))


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("name", SITUATIONS)
def test_plain_verdict_snapshot(name: str, lang: Lang, update_snapshots: bool) -> None:
    matches_snapshot(f"plain-{name}.{lang}.txt", render_plain(name, lang), update_snapshots)


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("name", SITUATIONS)
def test_plain_verdict_fits_80_columns_without_colour_or_boxes(name: str, lang: Lang) -> None:
    out = render_plain(name, lang)
    assert max(text.display_width(line) for line in out.splitlines()) <= 80
    assert "\x1b[" not in out
    assert not set(out) & set("─│╭╮╰╯┌┐└┘")


def test_markdown_checklist_has_a_box_per_step(update_snapshots: bool) -> None:
    verdict = judge(**SITUATIONS["leaver"])
    md = text.verdict_markdown(view.build(verdict, rulepack.builtin(), Messages("ja")), "チェック")
    assert md.count("- [ ] ") == len(verdict.actions)
    matches_snapshot("markdown-leaver.ja.md", md, update_snapshots)


def test_rich_verdict_draws_the_same_steps_in_colour() -> None:
    verdict = judge(**SITUATIONS["cert-expired-last-month"])
    shown = view.build(verdict, rulepack.builtin(), Messages("en"))
    out = text.verdict_rich(shown, width=80)
    assert "\x1b[" in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    for step in shown.steps:
        assert step.title in plain
    assert shown.reception and shown.reception.options[0].shown in plain
    assert "2027-01-31" in plain


def test_wrap_keeps_wide_characters_within_the_width() -> None:
    line = "資格確認書" * 30
    wrapped = text.wrap(line, 40, indent="  ")
    assert all(text.display_width(w) <= 40 for w in wrapped)
    assert "".join(w.strip() for w in wrapped) == line


def test_timeline_marks_today_after_a_same_day_event() -> None:
    verdict = judge(as_of="2026-11-16", left_on="2026-11-16", kakuninsho="held")
    events = view.timeline(verdict, Messages("en"))
    days = [(e.day.isoformat(), e.is_today) for e in events]
    assert days.index(("2026-11-16", False)) < days.index(("2026-11-16", True))


def test_a_deadline_due_today_is_listed_after_today_as_still_ahead() -> None:
    # Left on 2026-12-16: the employer's return deadline is 12-21; asked on that day.
    verdict = judge(as_of="2026-12-21", left_on="2026-12-16", myna="no", kakuninsho="held")
    events = view.timeline(verdict, Messages("en"))
    today = next(i for i, e in enumerate(events) if e.is_today)
    due = [i for i, e in enumerate(events) if e.day == date(2026, 12, 21) and e.due]
    assert due and all(i > today for i in due)
    ended = [i for i, e in enumerate(events) if e.day == date(2026, 12, 16)]
    assert ended and all(i < today for i in ended)


def test_wrap_keeps_brackets_with_their_words() -> None:
    sentence = "マイナ保険証の利用登録を行いました、「資格確認書」はどうしたらいいですか？"
    for width in range(10, 60):
        for line in text.wrap(sentence, width):
            assert line[-1] not in "「（", line
            assert line.strip()[0] not in "」）。、？", line


# ---- issue 9: order and words --------------------------------------------------------


def build(lang: str = "en", **facts: str) -> view.VerdictView:
    return view.build(judge(**facts), rulepack.builtin(), Messages(lang))


def test_reception_shows_minimal_sets_and_the_fallback_once() -> None:
    one = build(as_of="2026-11-26", myna="yes", oshirase="held", portal="yes")
    assert one.reception is not None
    assert one.reception.title == Messages("en").ui("present_one")
    assert len(one.reception.options) == 1 and "マイナ保険証" in one.reception.options[0].shown
    fallback = one.reception.options[0].fallback
    assert "お知らせ" in fallback and "マイナポータル" in fallback
    two = build(as_of="2026-11-26", myna="yes", kakuninsho="held", oshirase="held")
    assert two.reception is not None and len(two.reception.options) == 2
    assert two.reception.title == Messages("en").ui("present_any")
    card, paper = two.reception.options  # the fallback belongs to the card, not the paper
    assert "お知らせ" in card.fallback and paper.fallback == ""
    no_reader = build(as_of="2026-11-26", myna="yes", oshirase="held", reader="none")
    assert no_reader.reception is not None
    assert no_reader.reception.options[0].fallback == ""
    assert "お知らせ" in no_reader.reception.options[0].shown


def test_the_headline_names_the_most_urgent_deadline() -> None:
    v = build(as_of="2026-11-26", myna="yes", cert_expiry="2026-10-15", oshirase="held")
    assert "2027-01-31" in v.urgent and "Renew" in v.urgent
    assert build(as_of="2026-11-26", myna="yes").urgent == ""
    assert v.urgent.startswith("Next deadline")


def test_a_step_that_only_starts_on_a_day_is_no_deadline_in_the_headline() -> None:
    # Before the transition's end: the old card is thrown away *from* 2025-12-02. Nothing
    # is due by a day, so the headline names no "next deadline" (a start day is not one).
    v = build(as_of="2025-11-20", myna="yes", old_card="held")
    assert v.urgent == ""


def test_a_deadline_long_past_is_said_to_be_overdue_not_next() -> None:
    due = build(as_of="2027-01-31", myna="yes", cert_expiry="2026-10-15")  # its last day
    assert due.urgent.startswith("Next deadline")
    late = build(as_of="2027-02-01", myna="yes", cert_expiry="2026-10-15")  # the day after
    assert late.urgent.startswith("Overdue, do it now") and "2027-01-31" in late.urgent


def test_days_are_counted_in_words_a_person_uses() -> None:
    def when(asked: str) -> str:
        built = build(as_of=asked, myna="yes", cert_expiry="2026-12-31")
        return next(s for s in built.steps if s.title.startswith("Renew")).when

    assert "1 day left" in when("2026-12-30")
    assert "due today" in when("2026-12-31")
    assert "1 day overdue" in when("2027-04-01")
    assert "2 days overdue" in when("2027-04-02")
    start = build(as_of="2026-11-30", left_on="2026-12-01", myna="yes", oshirase="held")
    throwing_away = next(s for s in start.steps if s.title.startswith("Throw away"))
    assert "tomorrow" in throwing_away.when


def test_the_timeline_shows_what_is_ahead_and_only_the_last_thing_behind() -> None:
    later = build(as_of="2030-06-01", myna="yes", cert_expiry="2030-01-15")
    days = [e.day for e in later.timeline]
    assert date(2025, 12, 1) not in days  # the transition, long behind
    assert [d for d in days if d < date(2030, 6, 1)] == [date(2030, 4, 30)]  # grace end only
    joiner = build(as_of="2026-11-18", myna="yes", joined_on="2026-11-18")
    assert date(2026, 11, 23) in [e.day for e in joiner.timeline]  # about when it is ready
    leaver = build(as_of="2026-11-26", left_on="2026-12-16", kakuninsho="held")
    # The member hands it in by the 退職日 (12-15), as the step says: not on the employer's
    # deadline (12-21, 5 days from 12-16), which the member read as their own.
    labels = " ".join(e.label for e in leaver.timeline if e.day == date(2026, 12, 15))
    assert "Give back" in labels and "退職日" in labels
    assert not any(e.day == date(2026, 12, 21) for e in leaver.timeline)
    # The employer's verdict (a leaver who cannot be reached) keeps the employer's day.
    office = build(as_of="2026-11-26", left_on="2026-12-16", kakuninsho="held", unreachable="yes")
    assert any(e.day == date(2026, 12, 21) for e in office.timeline)


def test_a_national_rule_is_labelled_as_one_once() -> None:
    pack = rulepack.builtin()
    label = view.source_label("national-old-card-return", pack, Messages("ja"))
    assert label.count("国の制度") == 1
    label = view.source_label("national-old-card-return", pack, Messages("en"))
    assert label.removesuffix("[national-old-card-return]").lower().count("national") == 1


def test_english_does_not_reverse_the_faqs_even_if_you_have_one() -> None:
    v = build(as_of="2026-11-26", myna="yes", kakuninsho="held")
    keep = next(s for s in v.steps if s.title.startswith("Keep: 資格確認書"))
    assert "because you now have" not in keep.reason and "Even with" in keep.reason


def test_japanese_speaks_of_leaving_in_the_past_once_it_has_happened() -> None:
    ahead = build("ja", as_of="2026-11-26", left_on="2026-12-16", kakuninsho="held")
    past = build("ja", as_of="2026-12-26", left_on="2026-12-16", kakuninsho="held")
    before = next(s.reason for s in ahead.steps if "返却" in s.title)
    after = next(s.reason for s in past.steps if "返却" in s.title)
    assert "退職日" in before and "以前の勤務先" in after


# ---- where lines break -------------------------------------------------------------------


@pytest.mark.parametrize("width", range(20, 81))
def test_a_japanese_name_in_an_english_sentence_is_never_cut(width: int) -> None:
    said = "Give back: 資格情報のお知らせ (eligibility notice) through your employer."
    lines = text.wrap(said, width, phrases=Messages("en").phrases)
    assert any("資格情報のお知らせ" in line for line in lines), lines


@pytest.mark.parametrize("width", range(20, 81))
def test_a_japanese_line_never_starts_with_a_long_vowel_mark(width: int) -> None:
    said = "マイナ保険証（健康保険証として利用登録したマイナンバーカード）を持っていますか？"
    lines = text.wrap(said, width)
    assert not any(line.startswith("ー") for line in lines), lines


def test_an_easy_phrase_wider_than_a_line_breaks_before_its_reading() -> None:
    reading = "〈しかくかくにんしょめっしつ・かいしゅうふのうとどけ〉"
    said = f"この 資格確認書滅失・回収不能届{reading}を 出して ください"
    lines = text.wrap(said, 60, phrases=Messages("easy").phrases)
    assert "資格確認書滅失・回収不能届" in lines[0] and lines[1].startswith("〈"), lines


@pytest.mark.parametrize("lang", languages())
def test_a_leaver_is_told_to_hand_the_card_in_by_the_retirement_day(lang: Lang) -> None:
    """The return's ``by`` is the employer's deadline for the 資格喪失届 (CONTRACT); the
    member hands the card in by the 退職日, which the deadline line says first, with the
    days left until then. Once that day is past, the employer's deadline is what is left."""
    msgs, pack = Messages(lang), rulepack.builtin()
    before = judge("2026-12-07", left_on="2026-12-21", myna="no", kakuninsho="held", dependants="0")
    shown = view.build(before, pack, msgs)
    assert msgs.date(date(2026, 12, 20)) in shown.urgent, shown.urgent  # the 退職日
    if lang != "easy":  # (easy says one day only; its reason says the employer's 5 days)
        assert msgs.day(date(2026, 12, 25)) in shown.urgent  # the employer's, after it
    # days left to the 退職日 (a Sunday: the Friday before is named too, 12-18)
    counts = re.sub(r"\d{4}[-年]\d{1,2}[-月]\d{1,2}", "", shown.urgent)
    assert "13" in counts and "18" not in counts
    after = judge("2026-12-22", left_on="2026-12-21", myna="no", kakuninsho="held", dependants="0")
    late = view.build(after, pack, msgs)
    assert msgs.date(date(2026, 12, 25)) in late.urgent and "2026-12-20" not in late.urgent


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize(
    ("as_of", "expiry", "visit"),
    [
        ("2026-12-07", "2026-09-01", date(2026, 12, 28)),  # by Thu 12-31: closed 12/29-1/3
        ("2027-01-10", "2027-01-31", date(2027, 1, 29)),  # by Sun 1-31: Fri 1-29
        ("2026-10-20", "2026-08-15", None),  # by Mon 11-30: open
        ("2026-12-29", "2026-09-01", None),  # 12-28 is behind: nothing to say of it
    ],
)
def test_a_renewal_due_on_a_day_the_office_is_closed_names_the_last_day_it_is_open(
    lang: Lang, as_of: str, expiry: str, visit: date | None
) -> None:
    """The certificate is renewed at the municipal office, in person: by its deadline's
    day itself when that is a Sunday or 12/31 is no help (the deadline stays the step's
    ``by``, as CONTRACT says; the screen adds the last open day before it)."""
    msgs = Messages(lang)
    v = judge(as_of, myna="yes", cert_expiry=expiry, oshirase="held")
    shown = view.build(v, rulepack.builtin(), msgs)
    assert v.most_urgent is not None and v.most_urgent.action.value == "renew"
    note = msgs.ui("when_office_closed", when="", visit="\0").split("\0")[0].strip()
    urgent = re.sub("〈[^〉]*〉", "", shown.urgent)  # (easy's readings of hard words)
    if visit is None:
        assert note not in urgent, urgent
    else:
        assert note in urgent and msgs.day(visit) in urgent, urgent


@pytest.mark.parametrize("lang", languages())
def test_a_renewal_with_no_open_day_left_before_it_names_the_day_the_office_opens(
    lang: Lang,
) -> None:
    """On 12/29 the office is closed until 1/4, past the certificate's last day (12/31):
    "go by 12/28" is behind, so the screen names the day it opens again."""
    msgs = Messages(lang)
    v = judge("2026-12-29", myna="yes", cert_expiry="2026-09-15", oshirase="held")
    urgent = re.sub("〈[^〉]*〉", "", view.build(v, rulepack.builtin(), msgs).urgent)
    assert msgs.day(date(2027, 1, 4)) in urgent and msgs.day(date(2026, 12, 28)) not in urgent


@pytest.mark.parametrize("lang", languages())
def test_a_lost_my_number_card_s_call_is_the_line_under_the_headline(lang: Lang) -> None:
    """Leaving in four days with dated steps ahead: the call that stops the card is still
    what the member reads first (it has no day: it is now)."""
    msgs = Messages(lang)
    v = judge("2026-12-07", myna="lost", kakuninsho="none", retired_on="2026-12-10")
    shown = view.build(v, rulepack.builtin(), msgs)
    call = msgs.ui("urgent_call", step="\0").split("\0")[0]
    assert shown.urgent.startswith(call), shown.urgent
    # (and no 資格確認書 to apply for: it would stop working on the 資格喪失日, in days)
    assert "kakuninsho_application" not in [a.item.value for a in v.actions]
    staying = judge("2026-12-07", myna="lost", kakuninsho="none")
    assert "kakuninsho_application" in [a.item.value for a in staying.actions]


@pytest.mark.parametrize("lang", languages())
def test_the_recap_does_not_repeat_the_lost_cards_call(lang: str) -> None:
    # The call is the urgent line under the headline: a recap "First:" said it again.
    verdict = judge(as_of="2026-12-07", myna="lost", oshirase="held")
    shown = view.build(verdict, rulepack.builtin(), Messages(lang))
    call = view.step_title(verdict.actions[0], Messages(lang))
    assert call in shown.urgent
    assert not any(call in line for line in shown.recap)


def test_a_leavers_timeline_has_no_expiry_of_a_card_void_from_the_leaving_day() -> None:
    # The card stops working on the 資格喪失日 and goes back: its printed expiry read as
    # "valid until then". A member who stays sees it, as ever.
    leaver = build(as_of="2026-12-07", retired_on="2026-12-31", myna="no", kakuninsho="held")
    assert date(2027, 11, 30) not in [e.day for e in leaver.timeline]
    staying = build(as_of="2026-12-07", myna="no", kakuninsho="held")
    assert date(2027, 11, 30) in [e.day for e in staying.timeline]


@pytest.mark.parametrize(
    ("asked", "retired", "visit"),
    [
        ("2026-12-01", "2026-12-06", "Fri 2026-12-04"),  # a Sunday: the Friday before
        ("2026-12-20", "2026-12-31", "Mon 2026-12-28"),  # the New Year closure
        ("2026-12-01", "2026-12-04", None),  # a Friday: that day
        ("2026-12-05", "2026-12-06", None),  # asked on the Saturday: no day left before it
    ],
)
def test_a_card_handed_in_by_a_retirement_day_the_office_is_closed_names_the_day_before(
    asked: str, retired: str, visit: str | None
) -> None:
    # A 退職日 on a Sunday read "by your 退職日, Sun 2026-12-06": the member missed the
    # hand-over and the employer its 5-day filing (健保 clerk review).
    built = build(as_of=asked, retired_on=retired, myna="no", kakuninsho="held")
    when = next(s for s in built.steps if s.title.startswith("Give back")).when
    assert retired in when
    if visit is None:
        assert "closed" not in when, when
    else:
        assert f"closed that day, by {visit}" in when, when
