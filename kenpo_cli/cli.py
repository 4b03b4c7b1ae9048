"""The command line: parse, gather facts, evaluate, render, exit.

This is the only module that reads the clock, the environment and the terminal,
and the only one that exits. Heavy imports (rich, questionary) happen only on the
paths that draw for a terminal or ask questions.
"""

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from kenpo_cli import __version__
from kenpo_cli.errors import ExitStatus, KenpoError
from kenpo_cli.i18n import Lang, Messages
from kenpo_cli.langs import accepted_langs, lang_code
from kenpo_cli.streams import say, silence_stdout

_HELP = "Which health-insurance documents to carry, keep, return, dispose of, submit or renew."
rules_app = typer.Typer(
    help="Show the active rule pack.", no_args_is_help=True, rich_markup_mode=None
)


# ---- shared options -------------------------------------------------------------

LangOpt = Annotated[
    str | None,
    typer.Option("--lang", metavar="ja|en", help="Language (default: KENPO_LANG, else ja)."),
]
RulesOpt = Annotated[
    Path | None,
    typer.Option(
        "--rules", envvar="KENPO_RULES", help="Another society's rule pack (TOML).", dir_okay=False
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the JSON document only.")]
PlainOpt = Annotated[bool, typer.Option("--plain", help="No colour, no boxes.")]
_DATES = "2026-11-26, 20261126, 令和8年11月26日, R8.11.26"
DateOpt = Annotated[
    str | None, typer.Option(metavar="DATE", help=f"Day of the verdict (default today): {_DATES}.")
]


def _lang(flag: str | None) -> Lang:
    """The language: ``--lang``, else ``KENPO_LANG`` (junk there falls back to ja)."""
    from_env = lang_code(os.environ.get("KENPO_LANG")) or "ja"
    if flag is None:
        return from_env
    chosen = lang_code(flag)
    if chosen is None:
        _fail(
            KenpoError("bad_option", field="--lang", value=flag, accepted=accepted_langs()),
            from_env,
        )
    return chosen


def _debug() -> bool:
    """``KENPO_DEBUG`` set to 1, true or yes (not merely set: ``KENPO_DEBUG=0`` is off)."""
    return os.environ.get("KENPO_DEBUG", "").strip().lower() in ("1", "true", "yes")


def _fail(err: KenpoError, lang: Lang) -> NoReturn:
    msgs = Messages(lang)
    try:
        text = msgs("error", err.code, **err.params)
    except KeyError:
        text = str(err)
    say(f"{msgs.ui('error_prefix')} {text}")
    _say_abandoned(msgs)
    raise typer.Exit(err.exit_status)


def _file_record() -> Any:
    """:mod:`kenpo_cli.safeio` if this run loaded it: only commands that write files do,
    and the one-shot paths that do not are spared its import."""
    return sys.modules.get("kenpo_cli.safeio")


def _say_abandoned(msgs: Messages) -> None:
    record = _file_record()
    if record is not None and (abandoned := record.abandoned()):
        say(msgs.ui("nothing_written", files=", ".join(abandoned)))


def _run(lang: Lang, body: Callable[[], int]) -> None:
    """Run a command body, turning expected failures into one line and an exit status.

    Input, files and the environment never end in exit 70: that is kept for bugs.
    """
    if (record := _file_record()) is not None:
        record.reset()  # a test process runs many commands
    try:
        status = body()
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
    except KenpoError as err:
        _fail(err, lang)
    except KeyboardInterrupt:
        say(Messages(lang).ui("interrupted"))
        _say_abandoned(Messages(lang))
        raise typer.Exit(ExitStatus.INTERRUPTED) from None
    except EOFError:
        _fail(KenpoError("no_terminal_input"), lang)
    except BrokenPipeError:
        # The reader went away (`kenpo batch … | head`): stop quietly.
        silence_stdout()
        raise typer.Exit(ExitStatus.OK) from None
    except typer.Exit:
        raise
    except OSError as exc:  # a device or the system failed us, not kenpo
        _fail(KenpoError("io_failed", reason=exc.strerror or str(exc)), lang)
    except MemoryError:
        _fail(KenpoError("out_of_memory"), lang)
    except Exception:
        if _debug():
            raise
        _internal_error(lang)
    raise typer.Exit(status)


def _internal_error(lang: Lang) -> NoReturn:
    record = _file_record()
    saved = record.written() if record is not None else []
    msgs = Messages(lang)
    if saved:
        say(msgs.ui("internal_error_saved", files=", ".join(saved)))
    else:
        say(msgs.ui("internal_error"))
    raise typer.Exit(ExitStatus.INTERNAL) from None


def _today() -> date:
    return date.today()


def _pack(path: Path | None) -> Any:
    from kenpo_cli.core import rulepack

    return rulepack.builtin() if path is None else rulepack.load(path)


def _colour_terminal(plain: bool) -> bool:
    if plain or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _width() -> int:
    import shutil

    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kenpo {__version__}")
        raise typer.Exit()


def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """The options every kenpo command shares (only --version)."""


# ---- check ----------------------------------------------------------------------


def check(
    as_of: DateOpt = None,
    status: Annotated[
        str | None, typer.Option(metavar="enrolled|left", help="Still a member, or left (退職等).")
    ] = None,
    left_on: Annotated[str | None, typer.Option(metavar="DATE", help="資格喪失日.")] = None,
    joined_on: Annotated[str | None, typer.Option(metavar="DATE", help="資格取得日.")] = None,
    myna: Annotated[
        str | None,
        typer.Option(
            metavar="yes|no|unknown|lost", help="Has a マイナ保険証 (lost: the card is lost)."
        ),
    ] = None,
    cert_expiry: Annotated[
        str | None, typer.Option(metavar="DATE", help="Expiry of the card's certificate.")
    ] = None,
    kakuninsho: Annotated[
        str | None, typer.Option(metavar="none|held|lost", help="Has a 資格確認書.")
    ] = None,
    kakuninsho_expiry: Annotated[
        str | None, typer.Option(metavar="DATE", help="Expiry printed on the 資格確認書.")
    ] = None,
    oshirase: Annotated[
        str | None, typer.Option(metavar="none|held|lost", help="Has the 資格情報のお知らせ.")
    ] = None,
    old_card: Annotated[
        str | None, typer.Option(metavar="none|held", help="Still has the old insurance card.")
    ] = None,
    portal: Annotated[
        str | None,
        typer.Option(metavar="yes|no", help="Can show the マイナポータル screen on a phone."),
    ] = None,
    reader: Annotated[
        str | None, typer.Option(metavar="ok|none", help="The clinic's card reader works.")
    ] = None,
    name_changed: Annotated[
        str | None, typer.Option(metavar="yes|no", help="Name or another recorded detail changed.")
    ] = None,
    unreachable: Annotated[
        str | None,
        typer.Option(metavar="yes|no", help="Employer use: the leaver cannot be contacted."),
    ] = None,
    answers: Annotated[
        Path | None, typer.Option("--answers", help="Facts from a JSON or TOML file.")
    ] = None,
    save_answers: Annotated[
        Path | None, typer.Option("--save-answers", help="Save the facts used (mode 0600).")
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never ask questions.")] = False,
    json_out: JsonOpt = False,
    fmt: Annotated[
        str, typer.Option("--format", help="text, markdown or json.", metavar="FORMAT")
    ] = "text",
    lang: LangOpt = None,
    plain: PlainOpt = False,
    rules: RulesOpt = None,
) -> None:
    """Tell what to carry, keep, return, dispose of, submit and renew, and by when."""
    flags = {
        "as_of": as_of,
        "status": status,
        "left_on": left_on,
        "joined_on": joined_on,
        "myna": myna,
        "cert_expiry": cert_expiry,
        "kakuninsho": kakuninsho,
        "kakuninsho_expiry": kakuninsho_expiry,
        "oshirase": oshirase,
        "old_card": old_card,
        "portal": portal,
        "reader": reader,
        "name_changed": name_changed,
        "unreachable": unreachable,
    }
    chosen = _lang(lang)
    output = "json" if json_out else fmt

    def body() -> int:
        from kenpo_cli import checking

        if output not in ("text", "markdown", "json"):
            raise KenpoError(
                "bad_option", field="--format", value=output, accepted="text, markdown, json"
            )
        pack = _pack(rules)
        today = _today()
        gathered = checking.gather_all(flags, answers, today)
        interactive = not no_input and sys.stdin.isatty()
        if interactive:
            from kenpo_cli.wizard import ask_missing

            gathered = ask_missing(gathered, today, pack, Messages(chosen))
        elif not no_input:
            note = checking.defaults_note(gathered, Messages(chosen))
            if note:
                typer.echo(note, err=True)
        verdict = checking.verdict_for(gathered, today, pack)
        if save_answers is not None:
            checking.save(save_answers, gathered)
        text = checking.render(
            verdict, pack, Messages(chosen), output, rich=_colour_terminal(plain), width=_width()
        )
        sys.stdout.write(text)
        return ExitStatus.OK

    _run(chosen, body)


# ---- expiry ---------------------------------------------------------------------

_ITEMS = ("old_card", "kakuninsho", "oshirase", "myna")


def expiry(
    on: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Day asked about.")
    ] = None,
    cert_expiry: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    kakuninsho_expiry: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    left_on: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    check_item: Annotated[
        str | None,
        typer.Option("--check", metavar="ITEM", help="old_card, kakuninsho, oshirase or myna."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="With --check: print nothing.")] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    plain: PlainOpt = False,
    rules: RulesOpt = None,
) -> None:
    """Is each document valid on a day, and until when."""
    chosen = _lang(lang)

    def body() -> int:
        from kenpo_cli.core.facts import flag_name, parse_fact
        from kenpo_cli.core.validity import documents_on

        if check_item is not None and check_item not in _ITEMS:
            raise KenpoError(
                "bad_option", field="--check", value=check_item, accepted=", ".join(_ITEMS)
            )
        if check_item == "myna" and cert_expiry is None:
            raise KenpoError("check_needs_cert")
        today = _today()
        day = parse_fact("as_of", on or "today", today, label="--date")
        dates = {
            name: parse_fact(name, raw, today, label=flag_name(name)) if raw else None
            for name, raw in (
                ("cert_expiry", cert_expiry),
                ("kakuninsho_expiry", kakuninsho_expiry),
                ("left_on", left_on),
            )
        }
        docs = documents_on(day, _pack(rules), **dates)
        if not quiet:
            sys.stdout.write(_expiry_text(day, docs, chosen, json_out))
        if check_item is None:
            return ExitStatus.OK
        asked = next(d for d in docs if d.item.value == check_item)
        return ExitStatus.OK if asked.valid else ExitStatus.NOT_VALID

    _run(chosen, body)


def _expiry_text(day: date, docs: Any, lang: Lang, as_json: bool) -> str:
    if as_json:
        from kenpo_cli.render.json import dumps, expiry_dict

        return dumps(expiry_dict(day, docs)) + "\n"
    from kenpo_cli.render.text import expiry_plain

    return expiry_plain(docs, day.isoformat(), Messages(lang))


# ---- batch ----------------------------------------------------------------------


def batch(
    file: Annotated[
        str, typer.Argument(metavar="FILE|-", help="CSV with a header row; - for stdin.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.", metavar="FORMAT")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (mode 0600), not stdout.")
    ] = None,
    encoding: Annotated[str, typer.Option(help="auto, utf-8, utf-8-sig or cp932.")] = "auto",
    as_of: Annotated[
        str | None, typer.Option(metavar="DATE", help="Day for rows without an as_of column.")
    ] = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """One verdict per employee, from an HR office's CSV."""
    chosen = _lang(lang)

    def body() -> int:
        import kenpo_cli.batch as batch_mod

        return batch_mod.run(
            file,
            fmt=fmt,
            output=output,
            encoding=encoding,
            as_of=as_of,
            today=_today(),
            pack=_pack(rules),
            msgs=Messages(chosen),
        )

    _run(chosen, body)


# ---- sources and rules ----------------------------------------------------------


def sources(json_out: JsonOpt = False, lang: LangOpt = None, rules: RulesOpt = None) -> None:
    """List every source the verdicts cite, with its FAQ section and question."""
    chosen = _lang(lang)

    def body() -> int:
        from kenpo_cli.render.sources import sources_json, sources_text

        pack = _pack(rules)
        render = sources_json if json_out else sources_text
        sys.stdout.write(render(pack, Messages(chosen)))
        return ExitStatus.OK

    _run(chosen, body)


@rules_app.command("show")
def rules_show(
    toml: Annotated[bool, typer.Option("--toml", help="Print the pack as TOML.")] = False,
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Print the active rule pack (TOML with --toml, a start for another society's pack)."""
    chosen = _lang(lang)

    def body() -> int:
        from kenpo_cli.render.sources import pack_text

        pack = _pack(rules)
        sys.stdout.write(pack.text if toml else pack_text(pack, Messages(chosen)))
        return ExitStatus.OK

    _run(chosen, body)


COMMANDS: dict[str, Callable[..., None]] = {
    "check": check,
    "expiry": expiry,
    "batch": batch,
    "sources": sources,
}


def make_app(only: str | None = None) -> typer.Typer:
    """The kenpo command line; with ``only``, just that subcommand.

    Typer turns every registered command into a Click command on each run. Building
    only the one being run saves a few milliseconds on every one-shot call
    (benchmarks/oneshot.py); help and errors for the whole tool use all of them.
    """
    built = typer.Typer(
        name="kenpo",
        help=_HELP,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,  # a traceback with locals would leak personal facts
        rich_markup_mode=None,  # plain help and usage errors: no boxes for screen readers
    )
    built.callback()(root)
    for name, command in COMMANDS.items():
        if only in (None, name):
            built.command(name)(command)
    if only in (None, "rules"):
        built.add_typer(rules_app, name="rules")
    return built


app = make_app()


def _invoked(argv: list[str]) -> str | None:
    """The subcommand named on the command line, if it is one of kenpo's."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in (*COMMANDS, "rules") else None


def main() -> None:
    """Console entry point: safe streams, then the command, usage errors in one line."""
    from kenpo_cli import streams

    streams.prepare()
    argv = sys.argv[1:]
    try:
        status = make_app(_invoked(argv))(args=argv, standalone_mode=False)
        sys.stdout.flush()
    except KeyboardInterrupt:
        status = ExitStatus.INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        status = ExitStatus.OK
    except Exception as exc:
        status = _outside_commands(exc, argv)
    sys.exit(status if isinstance(status, int) else ExitStatus.OK)


def _outside_commands(exc: Exception, argv: list[str]) -> int:
    """What main says for an exception raised outside a command body (parsing, help)."""
    from typer._click import exceptions as click_errors

    from kenpo_cli import usage

    lang = usage.lang_of(argv)
    if isinstance(exc, click_errors.NoArgsIsHelpError):
        exc.show()  # `kenpo` alone prints the help, as Click does
        return exc.exit_code
    if isinstance(exc, click_errors.ClickException):
        invoked = _invoked(argv)
        say(usage.explain(exc, lang, f"kenpo {invoked}" if invoked else "kenpo"))
        return ExitStatus.USAGE
    if isinstance(exc, typer.Abort):
        say(Messages(lang).ui("interrupted"))
        return ExitStatus.INTERRUPTED
    if isinstance(exc, KenpoError):  # stdout failed while printing help, say
        say(
            f"{Messages(lang).ui('error_prefix')} {Messages(lang)('error', exc.code, **exc.params)}"
        )
        return exc.exit_status
    if _debug():
        raise exc
    say(Messages(lang).ui("internal_error"))
    return ExitStatus.INTERNAL
