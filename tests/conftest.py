from __future__ import annotations

import pytest

from kenpo_cli.core import rulepack


@pytest.fixture
def pack() -> rulepack.RulePack:
    return rulepack.builtin()
