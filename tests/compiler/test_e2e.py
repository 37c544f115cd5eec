"""End to end: compile pipelines, then run the tests the compiler wrote, on Temporal's
time-skipping server, in a fresh ``pytest`` process (the way a user runs them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowkit.compiler import compile_expression, compile_file

from .conftest import SEED

BOUND_CODE = '''\
"""Code a pipeline binds to with --map and --cond."""

from typing import Any

from pydantic import BaseModel

from flowkit.function import function


class Found(BaseModel):
    text: str = ""
    done: bool = True


@function.defn()
async def find_sources(input: Any) -> Found:
    return Found(text="sources")


def should_publish(params: Any, results: Any) -> bool:
    return True
'''

YAML = """\
pipeline: NightlyOrders
description: Fetch, check and report the night's orders
input:
  day: str
  regions: list[str]
defaults:
  timeout: 1m
steps:
  fetch:
  refunds:
    retries: 2
  reconcile:
    needs: [fetch, refunds]
  report:
    needs: reconcile
continue_as_new:
  after_steps: 2
"""


def run_generated_tests(root: Path, *options: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore"]
    command += options
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
    assert "failed" not in done.stdout


@pytest.mark.slow
def test_seed_both_styles_yaml_and_bound_code_pass_their_generated_tests(tmp_path: Path) -> None:
    compile_expression(SEED, name="BlogFunctions", style="functions").write(tmp_path)
    compile_expression(SEED, name="BlogChildren", style="subworkflows").write(tmp_path)
    (tmp_path / "orders.yaml").write_text(YAML, encoding="utf-8")
    compile_file(tmp_path / "orders.yaml").write(tmp_path)
    (tmp_path / "bound_code.py").write_text(BOUND_CODE, encoding="utf-8")
    compile_expression(
        "DRAFT ⇄ RESEARCH → EDIT[retries=2, timeout=30s] ⊕ {TWEET, MAIL} →? PUBLISH",
        name="Bound",
        mapping={"RESEARCH": "bound_code.find_sources"},
        conditions={"PUBLISH": "bound_code.should_publish"},
    ).write(tmp_path)
    tests = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/test_*.py"))
    assert tests == [
        "blog_children/test_blog_children.py",
        "blog_functions/test_blog_functions.py",
        "bound/test_bound.py",
        "nightly_orders/test_nightly_orders.py",
    ]
    run_generated_tests(tmp_path)


NAMES = st.sampled_from(["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M"])


@st.composite
def pipelines(draw: st.DrawFn) -> str:
    """A random well-formed expression: steps, loops, conditions and fan-outs."""
    names = iter(draw(st.permutations(["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"])))

    def unit() -> str:
        if draw(st.booleans()) and draw(st.booleans()):
            first, second = next(names), next(names)
            limit = draw(st.sampled_from(["", "[max=1]", "[max=2]"]))
            return f"({first} <-> {second}){limit}" if limit else f"{first} ⇄ {second}"
        settings_ = draw(st.sampled_from(["", "[retries=2]", "[timeout=30s, heartbeat=5s]"]))
        return next(names) + settings_

    text = unit()
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["→", "->", "→?", "⊕"]))
        if kind == "⊕":
            text += " ⊕ {" + ", ".join(next(names) for _ in range(draw(st.integers(1, 2)))) + "}"
        else:
            text += f" {kind} {unit()}"
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pipelines(), st.sampled_from(["functions", "subworkflows"]))
def test_random_pipelines_compile_to_valid_python(text: str, style: str) -> None:
    files = compile_expression(text, name="RandomPipeline", style=style)
    for path, source in files.items():
        compile(source, path, "exec")  # syntax is valid
    assert "await self._stage(0," in files["random_pipeline/workflow.py"]


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("FLOWKIT_E2E_EXAMPLES", "4")),  # more: set the variable
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=pipelines(), style=st.sampled_from(["functions", "subworkflows"]))
def test_random_pipelines_pass_their_generated_tests(
    tmp_path_factory: pytest.TempPathFactory, text: str, style: str
) -> None:
    root = tmp_path_factory.mktemp("random")
    compile_expression(text, name="RandomPipeline", style=style).write(root)
    run_generated_tests(root)


@pytest.mark.slow
@pytest.mark.parametrize("style", ["functions", "subworkflows"])
def test_samples_with_step_kinds_pass_their_generated_tests(tmp_path: Path, style: str) -> None:
    samples = Path(__file__).resolve().parents[2] / "samples"
    for name in ("content_draft", "build_service", "trip_saga"):
        compile_file(samples / f"{name}.yaml", style=style).write(tmp_path)
    tests = sorted(p.name for p in tmp_path.glob("*/test_*.py"))
    assert tests == ["test_build_service.py", "test_content_draft.py", "test_trip_booking.py"]
    # After a run with form or approval steps, CPython 3.11.7 (gh-106905) fails a later
    # ast.parse, which the hypothesis plugin's lazy import at the summary would hit.
    run_generated_tests(tmp_path, "-p", "no:hypothesispytest")
