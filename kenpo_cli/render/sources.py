"""``kenpo sources`` and ``kenpo rules show``: the active pack, for people and scripts."""

from __future__ import annotations

from typing import Any

from kenpo_cli.core.rulepack import RulePack, Source, value_types
from kenpo_cli.i18n import Messages
from kenpo_cli.render.json import dumps


def sources_json(pack: RulePack, msgs: Messages) -> str:
    """Every source id with its kind, and its FAQ section and question: in the FAQ's own
    words (``section``, ``question``) and in every language the pack has (``texts``)."""
    doc = {
        "schema_version": 1,
        "rules": {"id": pack.id, "version": pack.version},
        "sources": [_source_dict(s) for s in pack.sources.values()],
    }
    return dumps(doc) + "\n"


def _source_dict(s: Source) -> dict[str, Any]:
    texts = {
        lang: {"section": s.section.get(lang, s.section["ja"]), "question": question}
        for lang, question in s.question.items()
    }
    out: dict[str, Any] = {
        "id": s.id,
        "kind": s.kind,
        "section": s.section["ja"],
        "question": s.question["ja"],
        "texts": texts,
    }
    # kenpo 0.1 gave the English as separate keys; scripts may still read them.
    if "en" in texts:
        out |= {"section_en": texts["en"]["section"], "question_en": texts["en"]["question"]}
    if s.url:
        out["url"] = s.url
    if s.date:
        out["date"] = s.date  # a national rule's date (of the law's text or the notice)
    return out


def sources_text(pack: RulePack, msgs: Messages, width: int = 80) -> str:
    """Every source id under its section heading, with its question and, where the pack
    has one, its answer, in the chosen language (wrapped to ``width``)."""
    from kenpo_cli.render.text import wrap

    out: list[str] = []
    section = None
    gloss = msgs.glosser()  # one screen: each hard word read out the first time
    for s in pack.sources.values():
        heading = f"{msgs.ui('source_kind_' + s.kind)}: {msgs.text(s.section)}"
        if heading != section:
            out += ["", heading] if out else [heading]
            section = heading
        out.append(f"  {s.id}")
        out += wrap(gloss(msgs.text(s.question)), width - 1, " " * 6, " " * 6, msgs.phrases)
        if s.date or s.url:  # where to read a national rule, and of when
            from datetime import date

            when = [msgs.date(date.fromisoformat(s.date))] if s.date else []
            out.append(" " * 6 + " · ".join([*when, *([s.url] if s.url else [])]))
        if s.answer:
            said = msgs.ui("source_answer", answer=gloss(msgs.text(s.answer)))
            out += wrap(said, width - 1, " " * 8, " " * 6, msgs.phrases)
    return "\n".join(out) + "\n"


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def pack_text(pack: RulePack, msgs: Messages) -> str:
    """The pack's values, one per line, each with the source it rests on."""
    out = [
        f"{msgs.ui('rules')}: {msgs.text(pack.name)}",
        f"id: {pack.id}  version: {pack.version}",
        "",
    ]
    for key in value_types():
        if key in pack.series:  # a dated series: each value and the day it is in force from
            out.append(f"  {key}:")
            for entry in pack.series[key]:
                since = msgs.ui("from", date=entry.start.isoformat())
                # (value first: "2024-12-02: 2027-11-30" has the digits of a マイナンバー,
                # which every output masks)
                out.append(f"    {_shown(entry.value)}  ({since})    [{entry.source}]")
            continue
        out.append(f"  {key} = {_shown(getattr(pack, key))}    [{pack.source_of(key)}]")
    if pack.contact is not None:
        from kenpo_cli.render.view import contact_line

        out += ["", contact_line(pack, msgs)]
    return "\n".join(out) + "\n"
