"""The rules of ``flowkit check``: what each finds, and the deterministic alternative.

Workflow code is replayed: a worker re-runs it from the start against the run's history
and expects the same commands. Anything whose result differs between the first run and a
replay (the clock, random numbers, the file system, the network, the environment, thread
scheduling) makes a run nondeterministic. Each rule names one such source.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULES", "Rule", "rule_for"]


@dataclass(frozen=True)
class Rule:
    """A rule: its stable ``id`` (``FK101``), short ``name`` (``wall-clock``), what it
    finds, and the deterministic alternative a finding proposes by default."""

    id: str
    name: str
    summary: str
    alternative: str

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}"


_STEP = "a function step (@function.defn, called with workflow.step), which may do I/O"

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "FK101",
            "wall-clock",
            "reads or waits on the machine's clock, which differs on replay",
            "temporal_workflow.now() or temporal_workflow.time() (the run's clock); "
            "await workflow.sleep(...) to wait",
        ),
        Rule(
            "FK102",
            "randomness",
            "draws random values, which differ on replay",
            "temporal_workflow.random() (seeded per run) or temporal_workflow.uuid4() "
            "(flowkit.workflow.uuid)",
        ),
        Rule(
            "FK103",
            "threads",
            "starts threads or processes, whose scheduling differs on replay",
            f"asyncio tasks (asyncio.gather, asyncio.create_task) for concurrency; {_STEP}",
        ),
        Rule(
            "FK104",
            "io",
            "does I/O (files, network, subprocesses), whose result differs on replay",
            _STEP,
        ),
        Rule(
            "FK105",
            "environment",
            "reads the process environment, which differs between workers",
            "pass the value in the run's input, or read it in a function step",
        ),
        Rule(
            "FK106",
            "asyncio",
            "uses an asyncio call that is not deterministic in a workflow",
            "temporal_workflow.wait() / temporal_workflow.as_completed()",
        ),
        Rule(
            "FK107",
            "sandbox-import",
            "imports a third-party module into a workflow module: the sandbox re-imports "
            "it for every run",
            "import it inside `with import_functions():` (temporalio's "
            "workflow.unsafe.imports_passed_through()), or only in function modules",
        ),
        Rule(
            "FK108",
            "mutable-global",
            "changes module state from workflow code: it is not part of the run's history",
            "keep the state on the workflow instance (self.…)",
        ),
    )
}

_BY_NAME = {r.name: r for r in RULES.values()}


def rule_for(key: str) -> Rule | None:
    """The rule with this id (``FK101``, any case) or name (``wall-clock``), if any."""
    return RULES.get(key.strip().upper()) or _BY_NAME.get(key.strip().lower())
