"""check_dag reports every problem of a set of steps before anything runs."""

from __future__ import annotations

import pytest

from flowkit.steps import DagError, DagStep, check_dag


def test_check_dag_reports_every_problem():
    async def noop(_):
        return None

    with pytest.raises(DagError) as caught:
        check_dag([DagStep("a", noop, ("x",)), DagStep("a", noop), DagStep("b", noop, ("y",))])
    message = str(caught.value)
    assert "step 'a' is defined twice" in message
    assert "step 'a' needs 'x', which is not a step" in message
    assert "step 'b' needs 'y'" in message
    with pytest.raises(DagError, match="cycle among: a, b"):
        check_dag([DagStep("a", noop, ("b",)), DagStep("b", noop, ("a",)), DagStep("c", noop)])
    assert check_dag([DagStep("b", noop, ("a",)), DagStep("a", noop)]) == ["a", "b"]
