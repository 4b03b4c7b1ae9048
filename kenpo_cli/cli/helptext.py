"""``--help`` in the chosen language: every word of it comes from the catalogues.

kenpo's own words (what a command does, what each option means) are the ``[help]``
section of each catalogue (``[fact_help]`` for the facts), keyed by command and
option: ``check`` and ``check_more`` describe ``kenpo check``, ``check_answers`` its
``--answers``, ``opt_lang`` the ``--lang`` every command shares.

Click's and Typer's own words are translated where each is written, by the one
hook each offers:

- Typer writes its headings and the ``[default: …]``, ``[env var: …]`` and
  ``[required]`` notes through gettext (``typer.core._``). We point that ``_`` at
  :func:`_gettext`, which translates those message ids in the language of the
  command being helped and leaves every other text alone, as gettext does.
- The Click that Typer bundles writes "Usage: " and "Show this message and exit."
  as plain English, with no gettext: the command classes below pass the usage
  prefix that ``write_usage`` accepts, and give the help option its help text.

Why not only a custom ``HelpFormatter``: it sees Typer's notes already joined into
the option's help ("…  [default: text]"), so it could only translate them by
picking English back out of finished text. Why not a gettext catalogue (.mo):
gettext picks its language from LANGUAGE/LC_ALL, not from ``--lang`` or
``KENPO_LANG``, and its files would be a second place for text.

The formatter still matters for one thing: Click wraps by counting characters and
breaks only at spaces, so Japanese help (two columns a character, no spaces) ran
past the screen's edge. :class:`_Formatter` wraps by display width instead.

None of this runs unless help or a usage line is written: a one-shot call only
pays for building the command classes.
"""

from __future__ import annotations

import copy
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any, get_args, get_origin

from typer import Exit, echo
from typer import core as typer_core
from typer._click import Context, HelpFormatter, Parameter
from typer._click.globals import get_current_context
from typer.core import TyperCommand, TyperGroup
from typer.models import ParameterInfo

from kenpo_cli.i18n import Messages, languages

# Typer's gettext message ids (typer/core.py) and the [help] keys that translate them.
_TYPER_MSGIDS = {
    "Options": "options",
    "Arguments": "arguments",
    "Commands": "commands",
    "default: {default}": "default",
    "env var: {var}": "env_var",
    "required": "required",
}
# The options Typer adds itself (shell completion), and their [help] keys.
_TYPER_OPTIONS = {
    "install_completion": "install_completion",
    "show_completion": "show_completion",
}


def _gettext(message: str) -> str:
    """Typer's ``_()``: its message in the language of the command being helped."""
    ctx = get_current_context(silent=True)
    msgs = getattr(ctx.command, "msgs", None) if ctx is not None else None
    key = _TYPER_MSGIDS.get(message)
    if not isinstance(msgs, Messages) or key is None:
        return message
    template: str = msgs.section("help")[key]  # the caller fills in {default} or {var}
    return template


def install() -> None:
    """Let Typer's gettext calls reach the catalogues (see the module's docstring)."""
    typer_core._ = _gettext  # type: ignore[attr-defined]


# ---- layout by display width --------------------------------------------------


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    from kenpo_cli.render.text import wrap

    ctx = get_current_context(silent=True)
    msgs = getattr(ctx.command, "msgs", None) if ctx is not None else None
    phrases = isinstance(msgs, Messages) and msgs.phrases  # やさしい日本語: break at spaces
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = wrap(paragraph, width, indent=indent, phrases=phrases)
        lines.extend(wrapped if paragraph.strip() else [""])
    return lines


def _columns(text: str) -> int:
    from kenpo_cli.render.text import display_width

    return display_width(text)


# Fewer columns than this beside the options, and the help goes below them instead.
_NARROW = 30


class _Formatter(HelpFormatter):
    """Click's help layout, wrapped by display width (a kanji takes two columns)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        lead = f"{prefix or ''}{prog} "
        indent = " " * min(_columns(lead), 20)
        lines = _wrap(args, self.width, indent)
        first = lines[0][len(indent) :] if lines else ""
        self.write("\n".join([lead + first, *lines[1:]]) + "\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = inspect.cleandoc(text).split("\n\n")
        self.write("\n\n".join("\n".join(_wrap(p, self.width, indent)) for p in paragraphs))
        self.write("\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((_columns(first) for first, _ in rows), default=0), col_max)
        start = self.current_indent + first_col + col_spacing
        if self.width - start < _NARROW:  # too narrow beside the options: help goes below
            first_col, start = 0, self.current_indent + 4
        hanging = " " * start
        for first, second in rows:
            head = " " * self.current_indent + first
            if not second:
                self.write(head + "\n")
                continue
            lines = _wrap(second, max(self.width, start + 10), hanging)
            if _columns(first) <= first_col:
                lines[0] = head.ljust(start - _columns(first) + len(first)) + lines[0][start:]
            else:
                lines.insert(0, head)
            self.write("\n".join(lines) + "\n")


class _Context(Context):
    formatter_class = _Formatter


# ---- commands that speak the catalogue's language -----------------------------


def _completion_installer(msgs: Messages) -> Callable[[Context, Parameter, Any], Any]:
    """Typer's ``--install-completion``, saying what it did in ``msgs``' language."""

    def install_completion(ctx: Context, param: Parameter, value: Any) -> Any:
        if not value or ctx.resilient_parsing:
            return value
        from typer._completion_shared import install as install_for

        from kenpo_cli.errors import KenpoError, os_reason, shown_file

        named = value if isinstance(value, str) else _shell_named(sys.argv[1:])
        if named is None and not os.getenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"):
            from typer._completion_shared import _get_shell_name

            named = _get_shell_name()
        _check_completion_home(named, ctx.find_root().info_name or "kenpo")
        try:
            shell, path = install_for(shell=named)
        except OSError as exc:  # ~/.bashrc a folder, no pwsh, a read-only home
            raise KenpoError("completion_failed", reason=os_reason(exc)) from None
        except Exit:  # a shell Typer cannot complete (it has said so in English)
            raise KenpoError("completion_shell", value=named or "?", accepted=_SHELLS) from None
        echo(msgs("help", "completion_installed", shell=shell, path=shown_file(path)))
        echo(msgs("help", "completion_restart"))
        raise Exit(0)

    return install_completion


_SHELLS = "bash, zsh, fish, powershell, pwsh"

# The files Typer's installer writes for each shell, under the home folder: a start-up
# file it appends a line to, and the completion script.
_COMPLETION_FILES = {
    "bash": (".bashrc", ".bash_completions/{prog}.sh"),
    "zsh": (".zshrc", ".zfunc/_{prog}"),
    "fish": (".config/fish/completions/{prog}.fish",),
}


def _check_completion_home(shell: str | None, prog: str) -> None:
    """Refuse to install completion into a home folder that does not exist (Typer would
    create it, and every folder above it) or through a symbolic link (Typer would
    append to, or replace, whatever file the link points to)."""
    from pathlib import Path

    from kenpo_cli.errors import KenpoError

    home = os.path.expanduser("~")
    if not os.path.isdir(home):
        raise KenpoError("completion_no_home", file=home)
    for name in _COMPLETION_FILES.get(shell or "", ()):
        path = Path(home, name.format(prog=prog))
        if path.is_symlink():
            raise KenpoError("completion_symlink", file=str(path))


def _shell_named(argv: list[str]) -> str | None:
    """The shell after ``--install-completion`` (``--install-completion powershell``, the
    form Typer's help shows), else None: the one the environment runs."""
    from kenpo_cli.errors import KenpoError

    if "--install-completion" not in argv:
        return None
    after = argv[argv.index("--install-completion") + 1 :]
    if not after or after[0].startswith("-"):
        return None
    if after[0] not in _SHELLS.split(", "):
        raise KenpoError("completion_shell", value=after[0], accepted=_SHELLS)
    return after[0]


class _Localised:
    """What Click's own English becomes in a kenpo command (a mixin for Typer's classes)."""

    msgs: Messages
    context_class: type[Context] = _Context

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = self.msgs("help", "help_option")
        return option

    def get_params(self, ctx: Context) -> list[Parameter]:
        params: list[Parameter] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in _TYPER_OPTIONS:
                param.help = self.msgs("help", _TYPER_OPTIONS[param.name])  # type: ignore[attr-defined]
            if param.name == "install_completion":
                param.callback = _completion_installer(self.msgs)
        return params

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        prefix = self.msgs("help", "usage") + " "
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)


def command_classes(msgs: Messages) -> tuple[type[TyperCommand], type[TyperGroup]]:
    """Typer's command and group classes, speaking ``msgs``' language in help and usage."""

    class Command(_Localised, TyperCommand):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.options_metavar = msgs("help", "options_metavar")

    class Group(_Localised, TyperGroup):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.options_metavar = msgs("help", "options_metavar")
            self.subcommand_metavar = msgs("help", "subcommand_metavar")

    Command.msgs = Group.msgs = msgs
    return Command, Group


def about(msgs: Messages, name: str) -> tuple[str, str]:
    """``help`` and ``short_help`` of the command ``name`` (``rules_show`` for ``rules show``).

    The short help is the whole summary: Click would otherwise cut it to fit a line.
    """
    summary = msgs("help", name)
    more = f"{name}_more"
    return (f"{summary}\n\n{msgs('help', more)}" if msgs.has("help", more) else summary), summary


def option_help(msgs: Messages, command: str, param: str) -> str:
    """The help of option ``param`` of ``command``: its own, else the one every command
    shares, else the fact's (``--myna`` of ``check``); empty if the catalogue has none
    (tests/unit/test_help.py names what is missing)."""
    for section, key in (("help", f"{command}_{param}"), ("help", f"opt_{param}")):
        if msgs.has(section, key):
            return msgs(section, key, langs=", ".join(languages()))
    return msgs("fact_help", param) if msgs.has("fact_help", param) else ""


def _option_name(param: str, info: ParameterInfo) -> str:
    """What the catalogues call an option: its long flag (``--save-answers`` is
    ``save_answers``), else the parameter's name (an argument, or a flag named after it)."""
    # In Annotated[..., typer.Option("--json")], Typer keeps the first flag as the default.
    decls = [info.default, *(getattr(info, "param_decls", None) or ())]
    flag = next((d for d in decls if isinstance(d, str) and d.startswith("--")), None)
    return flag.removeprefix("--").replace("-", "_") if flag else param


def with_help(command: Callable[..., None], name: str, msgs: Messages) -> None:
    """Give each option and argument of ``command`` its help from ``msgs``."""

    def helped(p: inspect.Parameter) -> inspect.Parameter:
        if get_origin(p.annotation) is not Annotated:
            return p
        kind, *extras = get_args(p.annotation)
        infos = [copy.copy(e) if isinstance(e, ParameterInfo) else e for e in extras]
        for info in infos:
            if isinstance(info, ParameterInfo):
                info.help = option_help(msgs, name, _option_name(p.name, info))
        return p.replace(annotation=Annotated[(kind, *infos)])

    signature = inspect.signature(command)
    command.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[helped(p) for p in signature.parameters.values()]
    )
