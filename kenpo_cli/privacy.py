"""Keeping a マイナンバー out of everything kenpo prints.

kenpo never asks for one, but people paste whatever is at hand: a value with the
shape of a マイナンバー (12 digits, perhaps in groups of four, full-width too) is
masked wherever it would be echoed — batch output, and error messages.
"""

from __future__ import annotations

import re

MASK = "************"
_SHAPE = r"\d{4}[\s\-－]?\d{4}[\s\-－]?\d{4}"
MY_NUMBER = re.compile(rf"\s*{_SHAPE}\s*")
MY_NUMBER_ANYWHERE = re.compile(_SHAPE)


def looks_like_my_number(text: str) -> bool:
    """Whether ``text`` as a whole has the shape of a マイナンバー."""
    return MY_NUMBER.fullmatch(text) is not None


def masked(text: str) -> str:
    """``text`` with every マイナンバー-shaped run of digits replaced by asterisks."""
    return MY_NUMBER_ANYWHERE.sub(MASK, text)
