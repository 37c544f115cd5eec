"""flowkit's surface against restack_ai 0.0.121's, read from the committed manifest.

Every module, name and parameter Restack offers must be in flowkit (through
``flowkit.port.MODULES``/``NAMES``) under the same name and kind, or be listed with its
reason in ``flowkit.port.DIFFERENCES``, which docs/sdk.md shows. The manifest is written
by ``python tools/restack_manifest.py``; nothing is downloaded here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from flowkit.port import DIFFERENCES, differences_table
from tests.restack_compat.parity import compare, find_differences, load_manifest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "sdk.md"
TABLE = re.compile(
    r"(<!-- restack-differences:start -->\n)(.*?)(<!-- restack-differences:end -->)", re.S
)


@pytest.fixture(scope="module")
def found() -> dict[str, str]:
    return find_differences(load_manifest())


def test_the_manifest_is_restack_0_0_121() -> None:
    manifest = load_manifest()
    assert (manifest["package"], manifest["version"]) == ("restack_ai", "0.0.121")
    assert {"restack_ai.agent", "restack_ai.restack", "restack_ai.security"} <= set(
        manifest["modules"]
    )


def test_every_difference_is_listed_with_its_reason(found: dict[str, str]) -> None:
    listed = {s for d in DIFFERENCES if d.checked for s in d.subjects}
    unlisted = {s: why for s, why in found.items() if s not in listed}
    assert unlisted == {}, "list these in flowkit.port.DIFFERENCES, or fix them"


def test_no_listed_difference_is_stale(found: dict[str, str]) -> None:
    stale = sorted({s for d in DIFFERENCES if d.checked for s in d.subjects} - set(found))
    assert stale == [], "flowkit matches Restack there now: remove them from DIFFERENCES"


def test_behaviour_differences_name_what_restack_has() -> None:
    manifest = load_manifest()["modules"]
    for difference in DIFFERENCES:
        assert difference.reason.strip()
        for subject in difference.subjects:
            head = subject.split("(")[0]
            assert any(head == m or head.startswith(f"{m}.") for m in manifest), (
                f"{subject}: no such Restack module"
            )


def test_docs_show_the_differences_table() -> None:
    text = DOCS.read_text(encoding="utf-8")
    match = TABLE.search(text)
    assert match, "docs/sdk.md has no restack-differences markers"
    if os.environ.get("FLOWKIT_REGEN_DOCS") == "1":
        DOCS.write_text(TABLE.sub(rf"\g<1>{differences_table()}\g<3>", text), encoding="utf-8")
        return
    assert match.group(2) == differences_table(), (
        "docs/sdk.md's table is not DIFFERENCES: FLOWKIT_REGEN_DOCS=1 "
        ".venv/bin/pytest tests/restack_compat/test_parity.py"
    )


def test_the_check_sees_a_renamed_and_a_missing_parameter() -> None:
    import inspect

    def ours(workflow_id: str, *, run_id: str | None = None) -> None: ...

    restack = {
        "params": [
            {"name": "agent_id", "kind": "POSITIONAL_OR_KEYWORD"},
            {"name": "run_id", "kind": "POSITIONAL_OR_KEYWORD", "default": "None"},
        ]
    }
    found = compare("f", restack, inspect.signature(ours))
    assert found == {
        "f(agent_id)": "positional parameter 1 is not agent_id",
        "f(run_id)": "positional parameter 2 is not run_id",
        "f(workflow_id)": "required by flowkit, unknown to Restack",
    }
