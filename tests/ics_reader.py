"""A small, strict iCalendar (RFC 5545) reader of our own, to check kenpo's calendars
independently of icalendar, the library that writes them.

It refuses what a calendar application may choke on: a line end other than CRLF, a
physical line over 75 octets or cut inside a UTF-8 character, a TEXT value with an
unescaped comma or semicolon or an unknown backslash escape, and unbalanced
BEGIN/END.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_OCTETS = 75  # RFC 5545 3.1, not counting the CRLF
# The TEXT escapes of RFC 5545 3.3.11 and what they stand for.
_ESCAPES = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}
# Properties whose value is one TEXT (CATEGORIES is a list of TEXT, split on ",").
TEXT = {"SUMMARY", "DESCRIPTION", "NAME", "X-WR-CALNAME", "UID", "PRODID"}


class IcsError(AssertionError):
    """The file breaks a rule of RFC 5545."""


@dataclass
class Prop:
    name: str
    params: dict[str, str]
    raw: str  # the value as written, escapes and all

    @property
    def text(self) -> str:
        return unescape(self.raw)


@dataclass
class Component:
    name: str
    props: list[Prop] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> Prop:
        found = [p for p in self.props if p.name == name]
        if len(found) != 1:
            raise IcsError(f"{self.name} has {len(found)} {name} properties, not one")
        return found[0]

    def has(self, name: str) -> bool:
        return any(p.name == name for p in self.props)

    def all(self, name: str) -> list[Component]:
        return [c for c in self.children if c.name == name]


def physical_lines(data: bytes) -> list[bytes]:
    """The lines of the file as written: CRLF ends every one, and nothing else ends one."""
    if not data.endswith(b"\r\n"):
        raise IcsError("the file does not end with CRLF")
    lines = data[:-2].split(b"\r\n")
    for number, line in enumerate(lines, 1):
        if b"\r" in line or b"\n" in line:
            raise IcsError(f"line {number}: a bare CR or LF")
        if len(line) > MAX_OCTETS:
            raise IcsError(f"line {number}: {len(line)} octets, more than {MAX_OCTETS}")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IcsError(f"line {number}: not UTF-8 on its own (cut in a character)") from exc
    return lines


def unfold(data: bytes) -> list[str]:
    """The content lines: a physical line starting with a space or tab continues the last."""
    logical: list[bytes] = []
    for number, line in enumerate(physical_lines(data), 1):
        if line[:1] in (b" ", b"\t"):
            if not logical:
                raise IcsError(f"line {number}: a continuation with nothing before it")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def split_line(line: str) -> Prop:
    """NAME;PARAM=VALUE;…:VALUE (parameter values may be quoted)."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:i], line[i + 1 :]
            break
    else:
        raise IcsError(f"no ':' in {line!r}")
    name, *params = head.split(";")
    if not name or not all(c.isalnum() or c == "-" for c in name):
        raise IcsError(f"bad property name {name!r}")
    pairs = {}
    for param in params:
        key, sep, val = param.partition("=")
        if not sep:
            raise IcsError(f"bad parameter {param!r} in {line!r}")
        pairs[key.upper()] = val.strip('"')
    return Prop(name.upper(), pairs, value)


def unescape(raw: str) -> str:
    """A TEXT value's text; an unescaped ',' or ';' or an unknown escape is an error."""
    out: list[str] = []
    chars = iter(raw)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            if nxt not in _ESCAPES:
                raise IcsError(f"unknown escape \\{nxt} in {raw!r}")
            out.append(_ESCAPES[nxt])
        elif char in ",;":
            raise IcsError(f"unescaped {char!r} in TEXT {raw!r}")
        else:
            out.append(char)
    return "".join(out)


def parse(data: bytes) -> Component:
    """The VCALENDAR in ``data``, with its components nested."""
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(data):
        prop = split_line(line)
        if prop.name == "BEGIN":
            comp = Component(prop.raw)
            if stack:
                stack[-1].children.append(comp)
            elif root is not None:
                raise IcsError("a second top-level component")
            else:
                root = comp
            stack.append(comp)
        elif prop.name == "END":
            if not stack or stack[-1].name != prop.raw:
                raise IcsError(f"END:{prop.raw} does not close what is open")
            stack.pop()
        elif not stack:
            raise IcsError(f"{prop.name} outside any component")
        else:
            if prop.name in TEXT:
                prop.text  # noqa: B018 (raises on a bad escape)
            stack[-1].props.append(prop)
    if stack or root is None or root.name != "VCALENDAR":
        raise IcsError("the file is not one complete VCALENDAR")
    return root
