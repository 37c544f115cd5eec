"""The SDK's types hold under ``mypy --strict``: correct calls pass, wrong ones fail.

``typing_cases/accepted.py`` must check clean; ``typing_cases/rejected.py`` must fail on
exactly the lines marked ``# rejected``. One mypy run checks both.
"""

from __future__ import annotations

import importlib
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from flowkit._sdk._definition import definition_of

CASES = Path(__file__).parent / "typing_cases"
ROOT = CASES.parents[2]
# file:line: error: message  [code]
ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<message>.*)$")


def _marked_lines(path: Path) -> set[int]:
    """The lines whose comment starts with ``# rejected``."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return {
        token.start[0]
        for token in tokens
        if token.type == tokenize.COMMENT and token.string.startswith("# rejected")
    }


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[int, list[str]]]:
    """mypy --strict over both case modules: {file name: {line: [messages]}}."""
    config = tmp_path_factory.mktemp("mypy") / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\n", encoding="utf-8")
    command = [
        sys.executable, "-m", "mypy", "--config-file", str(config),
        # A cache of its own: the project's cache was built with other options.
        "--cache-dir", str(ROOT / ".mypy_cache" / "typing-cases"),
        "--no-error-summary", "--hide-error-context", "--no-pretty",
        str(CASES / "accepted.py"), str(CASES / "rejected.py"),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), f"mypy crashed:\n{done.stdout}{done.stderr}"
    errors: dict[str, dict[int, list[str]]] = {"accepted.py": {}, "rejected.py": {}}
    for line in done.stdout.splitlines():
        if found := ERROR.match(line):
            by_line = errors.setdefault(Path(found["file"]).name, {})
            by_line.setdefault(int(found["line"]), []).append(found["message"])
    return errors


@pytest.mark.slow  # a cold mypy cache takes ~15 s (temporalio is large)
def test_correct_calls_and_decorators_pass_mypy_strict(mypy_errors):
    accepted = mypy_errors["accepted.py"]
    assert not accepted, "\n".join(f"accepted.py:{n}: {m}" for n, m in sorted(accepted.items()))


@pytest.mark.slow
def test_wrong_inputs_results_and_decorations_fail_mypy_strict(mypy_errors):
    rejected = mypy_errors["rejected.py"]
    marked = _marked_lines(CASES / "rejected.py")
    assert len(marked) >= 15
    missed = sorted(marked - set(rejected))
    unexpected = {n: m for n, m in sorted(rejected.items()) if n not in marked}
    assert not missed, f"mypy accepted these lines of rejected.py: {missed}"
    assert not unexpected, f"mypy rejected lines not marked `# rejected`: {unexpected}"


def test_the_accepted_module_also_defines_at_run_time():
    """Every decorator form the typing cases use works when the module is imported."""
    module = importlib.import_module("tests.sdk.typing_cases.accepted")
    kinds = {
        name: (found.kind, found.name)
        for name in ("review", "fetch_topic", "word_count", "Publish", "Nightly", "Editor")
        if (found := definition_of(getattr(module, name))) is not None
    }
    assert kinds == {
        "review": ("function", "review"),
        "fetch_topic": ("function", "fetch_topic"),
        "word_count": ("function", "count_words"),
        "Publish": ("workflow", "Publish"),
        "Nightly": ("workflow", "Nightly"),
        "Editor": ("agent", "Editor"),
    }
