"""The command line: parse, gather facts, evaluate, render, exit.

This is the only module that reads the clock, the environment and the terminal,
and the only one that exits. Heavy imports (rich, questionary) happen only on the
paths that draw for a terminal or ask questions.
"""

import contextlib
import inspect
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from kenpo_cli.errors import ExitStatus, KenpoError, os_reason, shown_file
from kenpo_cli.i18n import (
    Lang,
    Messages,
    accepted_langs,
    env_lang,
    find_lang,
    lang_in_argv,
    languages,
)
from kenpo_cli.io.streams import say, silence_stdout

if TYPE_CHECKING:
    from kenpo_cli.core.facts import FactSpec

# ---- shared options -------------------------------------------------------------
# Their help texts are in the catalogues' [help] section (kenpo_cli/cli/helptext.py).

LangOpt = Annotated[str | None, typer.Option("--lang", metavar="|".join(languages()))]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", envvar="KENPO_RULES", metavar="FILE", readable=False)
]
IcsOpt = Annotated[Path | None, typer.Option("--ics", metavar="FILE")]
JsonOpt = Annotated[bool, typer.Option("--json")]
PlainOpt = Annotated[bool, typer.Option("--plain")]


def _lang(flag: str | None) -> Lang:
    """The language: ``--lang``, else ``KENPO_LANG``, else the locale (i18n.env_lang)."""
    from_env = _root_lang[0] if _root_lang else env_lang(os.environ)
    if flag is None:
        return from_env
    chosen = find_lang(flag)
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
    """:mod:`kenpo_cli.io.safeio` if this run loaded it: only commands that write files do,
    and the one-shot paths that do not are spared its import."""
    return sys.modules.get("kenpo_cli.io.safeio")


def _say_abandoned(msgs: Messages) -> None:
    record = _file_record()
    if record is not None and (abandoned := record.abandoned()):
        say(msgs.ui("nothing_written", files=", ".join(map(shown_file, abandoned))))


def _run(lang: Lang, body: Callable[[], int]) -> None:
    """Run a command body, turning expected failures into one line and an exit status.

    Input, files and the environment never end in exit 70: that is kept for bugs.
    """
    if (record := _file_record()) is not None:
        record.reset()  # a test process runs many commands
    from kenpo_cli.io.streams import stdout_is_a_disk, stdout_is_a_pty_master, stream_on_stdin

    try:
        if (on_stdin := stream_on_stdin()) is not None:  # `2>> in.csv < in.csv`
            raise KenpoError(on_stdin)
        if stdout_is_a_disk():  # `> /dev/sda`: rows would overwrite the disk
            raise KenpoError("stdout_pty" if stdout_is_a_pty_master() else "stdout_device")
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
        # The reader went away (`kenpo batch … | head`): stop quietly, unless a file
        # was left unwritten (the streams go on while one is open; this is the rest).
        silence_stdout()
        if (record := _file_record()) is not None and record.abandoned():
            _say_abandoned(Messages(lang))
            raise typer.Exit(ExitStatus.USAGE) from None
        raise typer.Exit(ExitStatus.OK) from None
    except typer.Exit:
        raise
    except OSError as exc:  # a device or the system failed us, not kenpo
        _fail(KenpoError("io_failed", reason=os_reason(exc)), lang)
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
        say(msgs.ui("internal_error_saved", files=", ".join(map(shown_file, saved))))
    else:
        say(msgs.ui("internal_error"))
    raise typer.Exit(ExitStatus.INTERNAL) from None


# Japan Standard Time (no summer time): the society's days are Japan's.
JAPAN = timezone(timedelta(hours=9), "JST")


def _today() -> date:
    """Today in Japan, whatever the machine's time zone: a deadline or an expiry falls
    on a Japanese day, and an office server kept in UTC is a day behind until 09:00."""
    return datetime.now(JAPAN).date()


def _calendar_order(
    path: Path | None, id_column: str | None = None, everything: bool = False
) -> Any:
    """What ``--ics`` asks for, stamped with the time now (None without --ics)."""
    if path is None:
        if id_column is not None:
            raise KenpoError("id_column_without_ics")
        if everything:
            raise KenpoError("ics_all_without_ics")
        return None
    from kenpo_cli.io.calendar_file import CalendarOrder

    return CalendarOrder(path, datetime.now(UTC).replace(microsecond=0), id_column, everything)


def _pack(path: Path | None) -> Any:
    from kenpo_cli.core import rulepack

    return rulepack.builtin() if path is None else rulepack.load(path)


def _colour(plain: bool) -> bool:
    """Whether the person wants colour (``--plain``, ``NO_COLOR`` and ``TERM=dumb`` say no)."""
    return not (plain or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb")


def _colour_terminal(plain: bool) -> bool:
    return _colour(plain) and sys.stdout.isatty()


def _ambiguous_wide(output: Any) -> bool:
    """Whether the terminal draws ─ • — two columns wide (only asked when drawing for it)."""
    from kenpo_cli.render.formats import OutputFormat

    if output is OutputFormat.JSON or not sys.stdout.isatty():
        return False
    from kenpo_cli.cli.terminal import ambiguous_is_wide

    return ambiguous_is_wide()


def _print(text: str, data: bool = False) -> None:
    """Write ``text`` to standard output. Text follows the console's encoding; data (JSON,
    TOML) is UTF-8 whatever the console (RFC 8259): a cp932 console or a redirect on
    Windows would otherwise store it in cp932, or lose characters as "?"."""
    if not data:
        sys.stdout.write(text)
        return
    from kenpo_cli.io.safeio import stdout_text
    from kenpo_cli.privacy import stream_safe

    out, own = stdout_text()
    try:
        out.write(stream_safe(text))  # the same last check as the terminal streams
        out.flush()
    finally:
        if own:
            with contextlib.suppress(Exception):
                out.close()  # not the descriptor: standard output stays open


def _width() -> int:
    import shutil

    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


def _rows() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).lines


def _tell(text: str) -> None:
    """A note for the person at the terminal (stderr), wrapped by words to its width."""
    from kenpo_cli.render.text import wrap

    typer.echo("\n".join(wrap(text, _width() - 1)), err=True)


def _version(value: bool) -> None:
    if value:
        from kenpo_cli import version

        typer.echo(f"kenpo {version()}")
        raise typer.Exit()


_root_lang: list[Lang] = []  # `kenpo --lang en check`: the language the root was given


def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
    lang: LangOpt = None,
) -> None:
    """The options every kenpo command shares: --version, and --lang for every command
    after it (a command's own --lang wins)."""
    if lang is not None:
        _root_lang[:] = [_lang(lang)]


# ---- check ----------------------------------------------------------------------


def check(
    *,
    answers: Annotated[
        Path | None, typer.Option("--answers", metavar="FILE", readable=False)
    ] = None,
    save_answers: Annotated[Path | None, typer.Option("--save-answers", metavar="FILE")] = None,
    ics: IcsOpt = None,
    no_input: Annotated[bool, typer.Option("--no-input")] = False,
    json_out: JsonOpt = False,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT")] = "text",
    lang: LangOpt = None,
    plain: PlainOpt = False,
    sources: Annotated[bool, typer.Option("--sources")] = False,
    rules: RulesOpt = None,
    **facts: str | None,
) -> None:
    """Tell what to carry, keep, return, dispose of, submit and renew, and by when."""
    chosen = _lang(lang)

    def body() -> int:
        from kenpo_cli.cli import checking
        from kenpo_cli.render.formats import (
            CHECK_FORMATS,
            OutputFormat,
            Screen,
            parse_format,
            render_verdict,
        )

        output = parse_format(fmt, CHECK_FORMATS, json_flag=json_out)
        calendar = _calendar_order(ics)
        if calendar is not None:
            from kenpo_cli.io.calendar_file import refuse_same_file

            others = {"--answers": answers, "--save-answers": save_answers}
            refuse_same_file(calendar.path, others=others)
        pack = _pack(rules)
        today = _today()
        msgs = Messages(chosen)
        gathered = checking.gather_all(facts, answers, today)
        save_to = save_answers
        if not no_input and sys.stdin.isatty():
            from kenpo_cli.cli.wizard import QuitWizard, ask_missing

            try:
                asked = ask_missing(
                    gathered, today, pack, msgs, colour=_colour(plain), offer_save=not save_to
                )
            except (QuitWizard, KeyboardInterrupt):  # Ctrl-D or Ctrl-C: one message
                _tell(msgs.ui("wizard_quit"))
                return ExitStatus.INTERRUPTED
            gathered, save_to = asked.gathered, save_to or asked.save_to
        elif not no_input and (note := checking.defaults_note(gathered, msgs)):
            typer.echo(note, err=True)
        verdict = checking.verdict_for(gathered, today, pack)
        # --save-answers is written before anything else; a file named in the wizard
        # after the verdict is shown, so that a failure there does not hide the verdict.
        asked_where = save_to is not None and save_answers is None
        if save_to is not None and not asked_where:
            checking.save(save_to, gathered)
        if calendar is not None:
            from kenpo_cli.io.calendar_file import save_verdict

            save_verdict(calendar, verdict, pack, msgs)
        screen = Screen(
            pack,
            msgs,
            rich=_colour_terminal(plain),
            width=_width(),
            sources=sources,
            wide=_ambiguous_wide(output),
            compact=sys.stdout.isatty(),
            rows=_rows() if sys.stdout.isatty() else 0,
        )
        if asked_where and save_to is not None:  # a reader of stdout going away must not cost it
            from kenpo_cli.io import safeio

            safeio.promise(save_to)
        _print(render_verdict(verdict, output, screen), data=output is OutputFormat.JSON)
        if save_to is not None and not no_input:
            sys.stdout.flush()
            if asked_where:
                checking.save(save_to, gathered)
            _tell(msgs.ui("answers_saved", file=shown_file(save_to)))
        return ExitStatus.OK

    _run(chosen, body)


def _fact_options(
    signature: inspect.Signature, completing: bool = False, named: set[str] | None = None
) -> inspect.Signature:
    """``signature`` with one option per fact in place of its ``**facts``: the flags come
    from the one description of the facts (core/facts.py), their help from the catalogues'
    [fact_help] (helptext.with_help). When ``completing``, the shell can also complete
    each closed choice's values (``--myna <Tab>``). With ``named``, only the facts named
    on the command line get their option (see :func:`_fresh`)."""

    from kenpo_cli.core.facts import FACTS

    def values(spec: "FactSpec") -> Callable[[str], list[str]] | None:
        codes = [m.value for m in spec.values] if spec.values and completing else None
        if codes is None:
            return None
        return lambda incomplete: [c for c in codes if c.startswith(incomplete)]

    def option(spec: "FactSpec") -> inspect.Parameter:
        info = typer.Option(spec.flag, metavar=spec.metavar, autocompletion=values(spec))
        return inspect.Parameter(
            spec.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[str | None, info],
        )

    own = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    facts = [s for s in FACTS if named is None or s.flag in named]
    return signature.replace(parameters=[*(option(spec) for spec in facts), *own])


def _fresh(command: Callable[..., None], named: set[str] | None, completing: bool) -> Any:
    """A new function that runs ``command``, with the options this build gives it: the
    facts' options for check, and with ``named``, only the options the command line
    names (Typer turns each option into a Click option on every run; the others keep
    their defaults). The command itself is never changed."""
    import functools

    @functools.wraps(command)
    def run(**given: Any) -> None:
        command(**given)

    signature = inspect.signature(command)
    if command is check:
        signature = _fact_options(signature, completing, named)
    if named is not None:
        kept = [p for p in signature.parameters.values() if _named(p, named)]
        signature = signature.replace(parameters=kept)
    run.__signature__ = signature  # type: ignore[attr-defined]
    return run


def _named(p: inspect.Parameter, named: set[str]) -> bool:
    """Whether a command's parameter is built: an argument, an option with an environment
    variable, or an option named in ``named``."""
    from typer.models import ArgumentInfo, OptionInfo

    info = next(
        (
            m
            for m in getattr(p.annotation, "__metadata__", ())
            if isinstance(m, OptionInfo | ArgumentInfo)
        ),
        None,
    )
    if not isinstance(info, OptionInfo) or info.envvar:
        return True  # an argument, or an option the environment may give (KENPO_RULES)
    first = [info.default] if isinstance(info.default, str) else []
    flags = first + list(info.param_decls or ()) or ["--" + p.name.replace("_", "-")]
    return not named.isdisjoint(flags)


def _options_named(argv: list[str]) -> set[str]:
    """The option names on a command line (``--as-of=…`` as ``--as-of``, ``-oFILE`` as ``-o``)."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    names = set()
    for word in words:
        if word.startswith("--"):
            names.add(word.split("=", 1)[0])
        elif word.startswith("-") and len(word) > 1:
            names.add(word[:2])
    return names


# ---- expiry ---------------------------------------------------------------------

_ITEMS = ("old_card", "kakuninsho", "oshirase", "myna")


def expiry(
    on: Annotated[str | None, typer.Option("--date", metavar="DATE")] = None,
    cert_expiry: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    kakuninsho_expiry: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    left_on: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    dependants: Annotated[str | None, typer.Option(metavar="N")] = None,
    check_item: Annotated[str | None, typer.Option("--check", metavar="ITEM")] = None,
    quiet: Annotated[bool, typer.Option("--quiet")] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    plain: PlainOpt = False,
    rules: RulesOpt = None,
) -> None:
    """Is each document valid on a day, and until when."""
    chosen = _lang(lang)

    def body() -> int:
        from kenpo_cli.core.facts import check_as_of, flag_name, parse_fact
        from kenpo_cli.core.validity import DocumentDates, documents_on

        if check_item is not None and check_item not in _ITEMS:
            raise KenpoError(
                "bad_option", field="--check", value=check_item, accepted=", ".join(_ITEMS)
            )
        if check_item == "myna" and cert_expiry is None:
            raise KenpoError("check_needs_cert")
        for flag, raw in (
            ("--date", on),
            ("--cert-expiry", cert_expiry),
            ("--kakuninsho-expiry", kakuninsho_expiry),
            ("--left-on", left_on),
        ):  # "$DAY" with an unset variable must not quietly become today, or no date
            if raw is not None and not raw.strip():
                raise KenpoError("empty_value", field=flag, example="2026-11-26")
        today = _today()
        pack = _pack(rules)
        day = check_as_of(parse_fact("as_of", on or "today", today, label="--date"), pack, "--date")
        dates = DocumentDates(
            **{
                name: parse_fact(name, raw, today, label=flag_name(name)) if raw else None
                for name, raw in (
                    ("cert_expiry", cert_expiry),
                    ("kakuninsho_expiry", kakuninsho_expiry),
                    ("left_on", left_on),
                )
            }
        )
        docs = documents_on(day, pack.on(day), dates)
        if dependants is not None and not dependants.strip():
            raise KenpoError("empty_value", field="--dependants", example="2")
        count = parse_fact("dependants", dependants, today, "--dependants") if dependants else None
        asked = next((d for d in docs if d.item.value == check_item), None)
        if asked is not None and asked.valid is None:  # a renewed 資格確認書: its date tells
            raise KenpoError("check_needs_kakuninsho_expiry")
        if not quiet:
            _print(_expiry_text(day, docs, chosen, json_out, count), data=json_out)
        if asked is None:
            return ExitStatus.OK
        return ExitStatus.OK if asked.valid else ExitStatus.NOT_VALID

    _run(chosen, body)


def _expiry_text(
    day: date, docs: Any, lang: Lang, as_json: bool, dependants: int | None = None
) -> str:
    if as_json:
        from kenpo_cli.render.json import dumps, expiry_dict

        return dumps(expiry_dict(day, docs, dependants)) + "\n"
    from kenpo_cli.render.text import expiry_plain

    return expiry_plain(docs, day.isoformat(), Messages(lang), _width(), dependants)


# ---- batch ----------------------------------------------------------------------


def batch(
    file: Annotated[str, typer.Argument(metavar="FILE|-")],
    fmt: Annotated[str | None, typer.Option("--format", metavar="FORMAT")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE")] = None,
    encoding: Annotated[str, typer.Option(metavar="ENCODING")] = "auto",
    as_of: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    ics: IcsOpt = None,
    id_column: Annotated[str | None, typer.Option("--id-column", metavar="COL")] = None,
    column_map: Annotated[list[str] | None, typer.Option("--map", metavar="COLUMN=FACT")] = None,
    only: Annotated[list[str] | None, typer.Option("--only", metavar="ACTION[:ITEM],…")] = None,
    profile: Annotated[str | None, typer.Option("--profile", metavar="FILE")] = None,
    sheet: Annotated[list[str] | None, typer.Option("--sheet", metavar="NAME")] = None,
    header_row: Annotated[str | None, typer.Option("--header-row", metavar="N")] = None,
    group_by: Annotated[str | None, typer.Option("--group-by", metavar="COL")] = None,
    ics_all: Annotated[bool, typer.Option("--ics-all")] = False,
    codes: Annotated[bool, typer.Option("--codes")] = False,
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """One verdict per employee, from an HR office's CSV."""
    chosen = _lang(lang)

    def body() -> int:
        import kenpo_cli.batch.command as batch_mod

        return batch_mod.run(
            file,
            fmt=fmt,
            output=output,
            encoding=encoding,
            as_of=as_of,
            today=_today(),
            pack=_pack(rules),
            msgs=Messages(chosen),
            ics=_calendar_order(ics, id_column, ics_all),
            column_map=column_map or (),
            only=only or (),
            progress=sys.stderr if sys.stderr.isatty() else None,
            profile=profile,
            sheet=_one_sheet(sheet),
            header_row=header_row,
            group_by=group_by,
            codes=codes,
        )

    _run(chosen, body)


def _one_sheet(given: list[str] | None) -> str | None:
    """The one sheet --sheet names: given twice with two names (在籍者, 退職者), the run
    would read only the last, without a word; it is refused, with how to read both."""
    names = list(dict.fromkeys(given or ()))
    if len(names) > 1:
        raise KenpoError("batch_sheet_twice", sheets=", ".join(names), first=names[0])
    return names[0] if names else None


# ---- sources and rules ----------------------------------------------------------


def sources(json_out: JsonOpt = False, lang: LangOpt = None, rules: RulesOpt = None) -> None:
    """List every source the verdicts cite, with its FAQ section and question."""
    chosen = _lang(lang)

    def body() -> int:
        from kenpo_cli.render.sources import sources_json, sources_text

        pack = _pack(rules)
        if json_out:
            _print(sources_json(pack, Messages(chosen)), data=True)
        else:
            _print(sources_text(pack, Messages(chosen), _width()))
        return ExitStatus.OK

    _run(chosen, body)


def rules_show(
    toml: Annotated[bool, typer.Option("--toml")] = False,
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Print the active rule pack (TOML with --toml, a start for another society's pack)."""
    chosen = _lang(lang)

    def body() -> int:
        from kenpo_cli.render.sources import pack_text

        pack = _pack(rules)
        _print(pack.text if toml else pack_text(pack, Messages(chosen)), data=toml)
        return ExitStatus.OK

    _run(chosen, body)


COMMANDS: dict[str, Callable[..., None]] = {
    "check": check,
    "expiry": expiry,
    "batch": batch,
    "sources": sources,
}


def make_app(
    only: str | None = None,
    lang: Lang | None = None,
    helping: bool = True,
    named: set[str] | None = None,
) -> typer.Typer:
    """The kenpo command line; with ``only``, just that subcommand; its help in ``lang``
    (default: ``KENPO_LANG``, else the locale).

    Typer turns every registered command into a Click command on each run. Building
    only the one being run saves a few milliseconds on every one-shot call
    (benchmarks/oneshot.py); help and errors for the whole tool use all of them. Shell
    completion (``--install-completion``, and the requests of an installed completion,
    which run ``kenpo`` with no subcommand) lives on the whole tool only, so that its
    imports never weigh on a one-shot call. Help texts are set only when ``helping``
    (a run that shows no help does not look them up); with ``named``, a command has only
    the options named on the command line (:func:`_fresh`).
    """
    msgs = Messages(lang or env_lang(os.environ))
    words = _HelpWords(msgs) if helping else None
    built = typer.Typer(
        name="kenpo",
        add_completion=only is None,
        no_args_is_help=True,
        pretty_exceptions_enable=False,  # a traceback with locals would leak personal facts
        rich_markup_mode=None,  # plain help and usage errors: no boxes for screen readers
        **(words.about("kenpo", group=True) if words else {}),
    )
    completing = only is None

    def built_from(command: Callable[..., None], name: str) -> Any:
        fresh = _fresh(command, named, completing)
        return words.helped(fresh, name) if words else fresh

    built.callback()(built_from(root, "kenpo"))
    for name, command in COMMANDS.items():
        if only in (None, name):
            built.command(name, **(words.about(name) if words else {}))(built_from(command, name))
    if only in (None, "rules"):
        rules_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
        show = built_from(rules_show, "rules_show")
        rules_app.command("show", **(words.about("rules_show") if words else {}))(show)
        built.add_typer(
            rules_app, name="rules", **(words.about("rules", group=True) if words else {})
        )
    return built


def __getattr__(name: str) -> Any:
    """``kenpo_cli.cli.app.app``, the whole tool, built when asked for (tests use it) rather
    than on every run, which builds only what the command line names (:func:`main`)."""
    if name == "app":
        return make_app()
    raise AttributeError(name)


class _HelpWords:
    """Help texts and localised command classes (kenpo_cli/cli/helptext.py), for a run that
    may show help; other runs do without them (make_app)."""

    def __init__(self, msgs: Messages) -> None:
        from kenpo_cli.cli import helptext

        self.helptext, self.msgs = helptext, msgs
        helptext.install()
        self.command_cls, self.group_cls = helptext.command_classes(msgs)

    def about(self, name: str, group: bool = False) -> dict[str, Any]:
        long, short = self.helptext.about(self.msgs, name)
        cls = self.group_cls if group else self.command_cls
        return {"cls": cls, "help": long, "short_help": short}

    def helped(self, command: Callable[..., None], name: str) -> Callable[..., None]:
        self.helptext.with_help(command, name, self.msgs)
        return command


def _invoked(argv: list[str]) -> str | None:
    """The subcommand named on the command line, if it is one of kenpo's."""
    words = [w for i, w in enumerate(argv) if i == 0 or argv[i - 1] != "--lang"]
    first = next((arg for arg in words if not arg.startswith("-")), None)
    return first if first in (*COMMANDS, "rules") else None


def _shows_help(argv: list[str], invoked: str | None) -> bool:
    """Whether this run may show help: asked for, or a command line that names no command
    (``kenpo``, ``kenpo rules``, a shell's completion request)."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    return "--help" in words or invoked in (None, "rules")


def main() -> None:
    """Console entry point: safe streams, then the command, usage errors in one line."""
    from kenpo_cli.io import streams

    streams.prepare()
    _root_lang.clear()  # each run starts from KENPO_LANG (tests run several in one process)
    argv = sys.argv[1:]
    try:
        _check_completion_request()
        if "--show-completion" in argv or "--install-completion" in argv:
            _shell_from_environment_too()
        _check_output_values(argv)
        status = _parse_and_run(argv)
        sys.stdout.flush()
    except KeyboardInterrupt:
        status = ExitStatus.INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        status = ExitStatus.OK
    except Exception as exc:
        status = _outside_commands(exc, argv)
    sys.exit(status if isinstance(status, int) else ExitStatus.OK)


_COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _shell_from_environment_too() -> None:
    """Let Typer's shell detection fall back to ``$SHELL``: it looks for a shell among
    kenpo's parent processes, and a kenpo started by cron, a launcher or a job whose
    shell has gone has none, though ``SHELL=/bin/bash`` says which one the user runs."""
    import typer._completion_shared as shared
    import typer.completion as completion

    detect = shared._get_shell_name

    def detected_or_named() -> str | None:
        found = detect()
        if found is None:
            named = os.path.basename(os.environ.get("SHELL", "")).lower()
            found = named if named in _COMPLETION_SHELLS else None
        return found

    shared._get_shell_name = detected_or_named
    completion._get_shell_name = detected_or_named  # type: ignore[attr-defined]  # by name there


def _check_completion_request() -> None:
    """A shell's completion request (``_KENPO_COMPLETE=complete_bash``) that names no
    instruction or shell kenpo knows is the environment's mistake: exit 2, not Click's 1."""
    request = os.environ.get("_KENPO_COMPLETE")
    if request is None:
        return
    instruction, _, shell = request.partition("_")
    if instruction not in ("source", "complete") or shell not in _COMPLETION_SHELLS:
        raise KenpoError("completion_instruction", value=request)


# The options that name an output file, each with an example of a good value.
_OUTPUT_OPTIONS = {
    "-o": "out.jsonl",
    "--output": "out.jsonl",
    "--ics": "kenpo.ics",
    "--save-answers": "kenpo.toml",
}


def _check_output_values(argv: list[str]) -> None:
    """Refuse an output named by an empty value (``-o ""``, an unset shell variable: it
    would become ``.``, "a folder") or by a name ending in ``/`` (``-o out.csv/`` names a
    folder, but Click's path would drop the slash and write ``out.csv``)."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    for i, word in enumerate(words):
        flag, equals, value = word.partition("=")
        if not equals:
            if word.startswith("-o") and len(word) > 2 and not word.startswith("--"):
                flag, value = "-o", word[2:]
            elif word in _OUTPUT_OPTIONS and i + 1 < len(words):
                value = words[i + 1]
            else:
                continue
        if flag not in _OUTPUT_OPTIONS:
            continue
        if not value:
            raise KenpoError("empty_value", field=flag, example=_OUTPUT_OPTIONS[flag])
        if value != "/" and value.endswith(("/", os.sep)):
            raise KenpoError("output_trailing_slash", file=value, example=_OUTPUT_OPTIONS[flag])


def _parse_and_run(argv: list[str]) -> Any:
    """Build what the command line needs and run it.

    A run that shows no help builds only the options it names; if Click then finds
    the command line wrong, it is parsed again with every option, so that the error
    (and its "did you mean") is the one the whole command gives.
    """
    from typer._click.exceptions import ClickException

    invoked, lang = _invoked(argv), lang_in_argv(argv)
    helping = _shows_help(argv, invoked)
    named = None if helping else _options_named(argv)
    try:
        return make_app(invoked, lang, helping, named)(args=argv, standalone_mode=False)
    except ClickException:
        if named is None:
            raise
    return make_app(invoked, lang, helping)(args=argv, standalone_mode=False)


def _outside_commands(exc: Exception, argv: list[str]) -> int:
    """What main says for an exception raised outside a command body (parsing, help)."""
    from typer._click import exceptions as click_errors

    from kenpo_cli.cli import usage

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
    if "_KENPO_COMPLETE" in os.environ and isinstance(exc, LookupError | ValueError | OSError):
        # A shell's completion request without COMP_WORDS, or with COMP_CWORD=abc: the
        # environment is wrong, not kenpo (the completion script sets both).
        text = Messages(lang)("error", "completion_env", reason=type(exc).__name__)
        say(f"{Messages(lang).ui('error_prefix')} {text}")
        return ExitStatus.USAGE
    if _debug():
        raise exc
    say(Messages(lang).ui("internal_error"))
    return ExitStatus.INTERNAL
