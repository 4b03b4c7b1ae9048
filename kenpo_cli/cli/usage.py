"""Click's usage errors as one line in the user's language, masked.

Click prints a usage error as three English lines (usage, hint, error). kenpo
says it in one line, in the language chosen on the command line (``--lang``) or
by ``KENPO_LANG`` or the locale, naming what was wrong and where help is:

    kenpo: エラー: 不明なオプション --foo（kenpo check --help で一覧）

The exception's attributes say what happened; the few messages Click builds from
text alone (extra arguments, unknown command) are recognised by their shape, and
anything else is shown with Click's own words.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from typer._click import exceptions as click_errors

from kenpo_cli.i18n import Lang, Messages, env_lang, lang_in_argv
from kenpo_cli.privacy import echoed

_EXTRA = re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)", re.S)
_NO_COMMAND = re.compile(
    r"No such command (?P<q>['\"])(?P<name>.*?)(?P=q)\.(?:\s*Did you mean '(?P<similar>[^']*)'\?)?",
    re.S,
)
_NEEDS_VALUE = re.compile(r"Option '(?P<name>.*)' requires .*", re.S)
_NO_VALUE = re.compile(r"Option '(?P<name>.*)' does not take a value\.", re.S)


def lang_of(argv: Sequence[str]) -> Lang:
    """The language of a usage error: ``--lang`` on the command line, else ``KENPO_LANG``,
    else the locale."""
    return lang_in_argv(argv) or env_lang(os.environ)


def _param_name(exc: click_errors.BadParameter) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    if exc.param is None:
        return "?"
    if exc.param.param_type_name == "argument":
        return exc.param.metavar or str(exc.param.name).upper()
    opts = getattr(exc.param, "opts", None) or [exc.param.name]
    return str(opts[0])


def explain(exc: click_errors.ClickException, lang: Lang, command: str = "kenpo") -> str:
    """The one line kenpo prints for ``exc`` (prefix included).

    ``command`` names the command for the help hint when Click does not know it.
    """
    msgs = Messages(lang)
    ctx = getattr(exc, "ctx", None)
    key, params = _key_and_params(exc, ctx.command_path if ctx is not None else command)
    shown = {k: echoed(v) for k, v in params.items()}
    return f"{msgs.ui('error_prefix')} {msgs('error', key, **shown)}"


def _unrepr(name: str, quote: str = "'") -> str:
    """A name as typed, from Click's ``repr`` of it: 1234\\n5678 (a line break escaped)
    is masked as the マイナンバー it may hold only once its breaks are breaks again
    (echoed escapes them after masking)."""
    import ast

    try:
        typed = ast.literal_eval(f"{quote}{name}{quote}")
    except (ValueError, SyntaxError):
        return name
    return typed if isinstance(typed, str) else name


def _key_and_params(exc: click_errors.ClickException, command: str) -> tuple[str, dict[str, str]]:
    if not isinstance(exc, click_errors.UsageError):
        return "usage_other", {"detail": exc.format_message(), "command": command}
    message = exc.message
    if isinstance(exc, click_errors.NoSuchOption):
        similar = ", ".join(sorted(exc.possibilities or ()))
        key = "usage_no_such_option_similar" if similar else "usage_no_such_option"
        return key, {"option": exc.option_name, "command": command, "similar": similar}
    if isinstance(exc, click_errors.MissingParameter):
        return "usage_missing", {"name": _param_name(exc), "command": command}
    if isinstance(exc, click_errors.BadParameter):
        detail = message
        return "usage_bad_value", {"name": _param_name(exc), "detail": detail, "command": command}
    if m := _NEEDS_VALUE.fullmatch(message):
        return "usage_needs_value", {"option": m["name"], "command": command}
    if m := _NO_VALUE.fullmatch(message):
        return "usage_takes_no_value", {"option": m["name"], "command": command}
    if m := _EXTRA.fullmatch(message):
        return "usage_extra_argument", {"args": m["args"], "command": command}
    if m := _NO_COMMAND.fullmatch(message):
        name = _unrepr(m["name"], m["q"])
        if m["similar"]:  # Click's guess at what was meant: kenpo chek → check
            params = {"name": name, "similar": m["similar"], "command": command}
            return "usage_no_such_command_similar", params
        return "usage_no_such_command", {"name": name, "command": command}
    if message == "Missing command.":
        return "usage_missing_command", {"command": command}
    return "usage_other", {"detail": message, "command": command}
