"""A one-line text prompt for the wizard, with its mistakes shown right under it.

questionary's text prompt shows a validation error in a one-line toolbar: at 60
columns a Japanese message is cut off ("…例:"). Here the error is a window of its own
under the input, wrapped to the terminal's width, and the example the question
expects is shown before any mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def ask_text(
    message: str,
    hint: str,
    validate: Callable[[str], str | None],
    default: str,
    back: Any,
    options: dict[str, Any],
    phrases: bool = False,
    draft: list[str] | None = None,
) -> Any:
    """The text typed (once ``validate`` finds no problem with it), or ``back`` when ← is
    pressed at the start of the line. Ctrl-C raises KeyboardInterrupt, Ctrl-D EOFError
    on an empty line (with text typed, it deletes the character under the cursor).

    ``message`` and ``hint`` are wrapped by words to the terminal's width each time the
    screen is drawn, so that a narrowed window shows them whole (``phrases``: break
    only at spaces). ``options``: prompt_toolkit's output, style, colour depth and
    erase_when_done. ``draft``: given, it gets the text typed when ← goes back (kept for
    when the question comes again).
    """
    from prompt_toolkit.application import Application
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.document import Document
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.key_binding.defaults import load_key_bindings
    from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, VSplit, Window
    from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl

    problem: list[str] = []
    buffer = Buffer(document=Document(default, len(default)), multiline=False)
    # A suggested answer (a file name) is replaced by the first key typed, not added to;
    # moving in it or deleting from it first edits it instead.
    pristine = [bool(default)]

    def touched(_: Buffer) -> None:
        pristine[0] = False

    buffer.on_cursor_position_changed += touched
    buffer.on_text_changed += touched

    def lines(style: str, text: Callable[[], str]) -> Window:
        control = FormattedTextControl(lambda: [(style, text())])
        return Window(control, wrap_lines=True, dont_extend_height=True)

    prompt = VSplit(
        [
            Window(FormattedTextControl([("class:qmark", "> ")]), width=2),
            Window(BufferControl(buffer=buffer), height=1),
        ]
    )
    layout = Layout(
        HSplit(
            [
                lines("class:question", lambda: "? " + _wrapped(message, phrases, 2)),
                lines("class:instruction", lambda: _wrapped(hint, phrases)),
                prompt,
                ConditionalContainer(
                    lines("class:error", lambda: _wrapped(problem[0], phrases) if problem else ""),
                    filter=Condition(lambda: bool(problem)),
                ),
            ]
        ),
        focused_element=buffer,
    )
    keys = KeyBindings()

    @keys.add("enter", eager=True)
    def _accept(event: Any) -> None:
        found = validate(buffer.text)
        problem[:] = [found] if found else []
        if not found:
            event.app.exit(result=buffer.text)

    @keys.add("<any>", filter=Condition(lambda: pristine[0]))
    def _replace(event: Any) -> None:
        pristine[0] = False
        if event.data.isprintable():  # a character typed (or text pasted)
            buffer.text = ""
            buffer.insert_text(event.data)
        else:  # Ctrl-U, an arrow, Backspace: as it would be without the suggestion
            event.key_processor.feed(event.key_sequence[0], first=True)

    @keys.add("left", eager=True, filter=Condition(lambda: buffer.cursor_position == 0))
    def _back(event: Any) -> None:
        if draft is not None:
            draft[:] = [buffer.text]
        event.app.exit(result=back)

    # Esc starts prompt_toolkit's Emacs commands: Esc 2026 then - would type 2026 dashes.
    # A member's Esc does nothing here (Alt+letter word moves go with it).
    @keys.add("escape", eager=True)
    def _nothing(event: Any) -> None:
        pass

    @keys.add("c-c", eager=True)
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt())

    @keys.add("c-d", eager=True)
    def _end(event: Any) -> None:
        if buffer.text:  # as in a shell: with text typed, Ctrl-D deletes a character
            buffer.delete(1)
            return
        event.app.exit(exception=EOFError())

    app: Application[Any] = Application(
        layout=layout,
        key_bindings=merge_key_bindings([load_key_bindings(), keys]),
        **options,
    )
    return app.run()


def _wrapped(text: str, phrases: bool = False, first: int = 0) -> str:
    """``text`` wrapped by words to the terminal's width, as it is now (``first``: the
    columns taken before its first line)."""
    from prompt_toolkit.application import get_app

    from kenpo_cli.render.text import wrap

    width = get_app().output.get_size().columns - 1
    lines = wrap(text, width, first=" " * first, phrases=phrases)
    return "\n".join([lines[0][first:], *lines[1:]])
