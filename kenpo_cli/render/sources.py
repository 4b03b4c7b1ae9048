"""``kenpo sources`` and ``kenpo rules show``: the active pack, for people and scripts."""

from __future__ import annotations

from kenpo_cli.core.rulepack import VALUE_TYPES, RulePack
from kenpo_cli.i18n import Messages
from kenpo_cli.render.json import dumps


def sources_json(pack: RulePack, msgs: Messages) -> str:
    """Every source id with its kind, FAQ section and question (both languages)."""
    doc = {
        "schema_version": 1,
        "rules": {"id": pack.id, "version": pack.version},
        "sources": [
            {
                "id": s.id,
                "kind": s.kind,
                "section": s.section,
                "question": s.question,
                "section_en": s.section_en,
                "question_en": s.question_en,
                **({"url": s.url} if s.url else {}),
            }
            for s in pack.sources.values()
        ],
    }
    return dumps(doc) + "\n"


def sources_text(pack: RulePack, msgs: Messages) -> str:
    en = msgs.lang == "en"
    out: list[str] = []
    section = None
    for s in pack.sources.values():
        heading = f"{msgs.ui('source_kind_' + s.kind)}: {s.section_en if en else s.section}"
        if heading != section:
            out += ["", heading] if out else [heading]
            section = heading
        out.append(f"  {s.id}")
        out.append(f"      {s.question_en if en else s.question}")
    return "\n".join(out) + "\n"


def pack_text(pack: RulePack, msgs: Messages) -> str:
    """The pack's values, one per line, each with the source it rests on."""
    name = pack.name_en if msgs.lang == "en" else pack.name
    out = [f"{msgs.ui('rules')}: {name}", f"id: {pack.id}  version: {pack.version}", ""]
    for key in VALUE_TYPES:
        value = getattr(pack, key)
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        out.append(f"  {key} = {shown}    [{pack.source_of(key)}]")
    return "\n".join(out) + "\n"
