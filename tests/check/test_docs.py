"""Every rule in docs/check.md has a bad and a good example; the bad one is found (with
that rule, and no other), the good one checks clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowkit.check import RULES, check_source

DOC = Path(__file__).resolve().parents[2] / "docs" / "check.md"
_SECTION = re.compile(r"^### (FK\d{3}) ([a-z-]+)$", re.MULTILINE)
_BLOCK = re.compile(r"^(Bad|Good):\n\n```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _examples() -> dict[str, dict[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    heads = list(_SECTION.finditer(text))
    out: dict[str, dict[str, str]] = {}
    for head, following in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : following.start() if following else len(text)]
        assert RULES[head.group(1)].name == head.group(2), head.group(0)
        out[head.group(1)] = dict(_BLOCK.findall(body))
    return out


EXAMPLES = _examples()


def test_every_rule_is_documented_with_both_examples() -> None:
    assert sorted(EXAMPLES) == sorted(RULES)
    assert all(set(e) == {"Bad", "Good"} for e in EXAMPLES.values())


@pytest.mark.parametrize("rule", sorted(EXAMPLES))
def test_bad_example_is_found_and_good_is_clean(rule: str) -> None:
    bad = check_source(EXAMPLES[rule]["Bad"], f"{rule}-bad.py")
    assert {f.rule for f in bad} == {rule}, [str(f) for f in bad]
    good = check_source(EXAMPLES[rule]["Good"], f"{rule}-good.py")
    assert good == [], [str(f) for f in good]
