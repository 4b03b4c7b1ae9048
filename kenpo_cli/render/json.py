"""The JSON documents of the contract (``kenpo check --json``, ``kenpo expiry --json``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from kenpo_cli.core.model import Action, Audience, Item, Notice, Verdict
from kenpo_cli.core.validity import DocumentStatus
from kenpo_cli.i18n import Messages

SCHEMA_VERSION = 3


def action_dict(
    a: Action, msgs: Messages, audience: Audience = Audience.MEMBER, late: bool = False
) -> dict[str, Any]:
    """One step as the contract shows it: ``by``, ``from`` and ``on`` only when set, and
    ``overdue`` when ``late`` (the verdict's :meth:`~Verdict.overdue`: CONTRACT.md)."""
    out: dict[str, Any] = {"action": a.action.value, "item": a.item.value}
    if a.by is not None:
        out["by"] = a.by.isoformat()
        if late:
            out["overdue"] = True
    if a.from_ is not None:
        out["from"] = a.from_.isoformat()
    if a.on is not None:
        out["on"] = a.on
    out["reason"] = msgs.standalone(msgs.reasons(a.reasons, audience))
    out["sources"] = list(a.sources)
    return out


def _present(present: tuple[tuple[Item, ...], ...]) -> list[list[str]]:
    return [[i.value for i in option] for option in present]


def warning_list(
    warnings: tuple[Notice, ...], audience: Audience, msgs: Messages
) -> list[dict[str, str]]:
    """The ``warnings`` member: each notice's code and its message, said to ``audience``."""
    return [
        {
            "code": w.code,
            "message": msgs.standalone(msgs.voiced("warning", w.code, audience, w.params)),
        }
        for w in warnings
    ]


def _coverage(can_see_doctor: bool | None, unknown_because: tuple[str, ...]) -> dict[str, Any]:
    """``can_see_doctor``, and when it is not known, the facts it hangs on."""
    if can_see_doctor is None:
        return {"can_see_doctor": None, "unknown_because": list(unknown_because)}
    return {"can_see_doctor": can_see_doctor}


# The members few verdicts differ in, as JSON text: a batch renders thousands of verdicts.
@lru_cache(maxsize=64)
def _coverage_text(can_see_doctor: bool | None, unknown_because: tuple[str, ...]) -> str:
    return json.dumps(_coverage(can_see_doctor, unknown_because))[1:-1]


@lru_cache(maxsize=64)
def _present_text(present: tuple[tuple[Item, ...], ...]) -> str:
    return json.dumps(_present(present))


def verdict_body(v: Verdict, msgs: Messages) -> dict[str, Any]:
    """The verdict's outcome: ``can_see_doctor``, ``present``, ``actions`` and ``warnings``."""
    return {
        **_coverage(v.can_see_doctor, v.unknown_because),
        "present": _present(v.present),
        "actions": [action_dict(a, msgs, v.audience, v.overdue(a)) for a in v.actions],
        "warnings": warning_list(v.warnings, v.audience, msgs),
    }


def verdict_body_parts(
    v: Verdict,
    step_text: Callable[[Action, Audience, bool], str],
    warnings_text: Callable[[tuple[Notice, ...], Audience], str],
) -> tuple[str, ...]:
    """:func:`verdict_body` as compact JSON members (no braces), in pieces to be joined.

    ``step_text`` gives each step's JSON text (given whether it is overdue),
    ``warnings_text`` the warnings' (a list).
    Batch caches both and keeps the pieces, not their join: verdicts that differ in one
    date then share the text of the rest.
    """
    coverage = _coverage_text(v.can_see_doctor, v.unknown_because)
    parts = [f'{coverage}, "present": {_present_text(v.present)}, "actions": [']
    for n, step in enumerate(v.actions):
        text = step_text(step, v.audience, v.overdue(step))
        parts += [", ", text] if n else [text]
    parts.append(f'], "warnings": {warnings_text(v.warnings, v.audience)}')
    return tuple(parts)


def verdict_dict(v: Verdict, msgs: Messages) -> dict[str, Any]:
    """The whole ``kenpo check --json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "rules": {"id": v.rules_id, "version": v.rules_version},
        "as_of": v.as_of.isoformat(),
        "facts": v.facts.as_dict(),
        **verdict_body(v, msgs),
        # As batch rows say it: which facts were not given, and so took their default.
        "assumed": list(v.assumed),
    }


def document_dict(d: DocumentStatus) -> dict[str, Any]:
    out: dict[str, Any] = {
        "item": d.item.value,
        "valid": d.valid,
        "valid_until": d.valid_until.isoformat() if d.valid_until else None,
    }
    if d.unknown_because:
        out["unknown_because"] = list(d.unknown_because)
    if d.days_left is not None:
        out["days_left"] = d.days_left
    if d.cert_expiry is not None:
        out["cert_expiry"] = d.cert_expiry.isoformat()
        out["in_grace"] = bool(d.in_grace)
    return out


def expiry_dict(
    day: date, docs: tuple[DocumentStatus, ...], dependants: int | None = None
) -> dict[str, Any]:
    """The whole ``kenpo expiry --json`` document (``dependants`` only when given: their
    documents end with the member's)."""
    out = {
        "schema_version": SCHEMA_VERSION,
        "date": day.isoformat(),
        "documents": [document_dict(d) for d in docs],
    }
    if dependants is not None:
        out["dependants"] = dependants
    return out


def dumps(doc: Any) -> str:
    """JSON as kenpo prints it: UTF-8 text (no \\u escapes), keys in contract order."""
    return json.dumps(doc, ensure_ascii=False, indent=2)
