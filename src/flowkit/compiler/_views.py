"""The views the templates read: plain records of names and values, made by
:mod:`flowkit.compiler._context` (and, for built-in step kinds, ``_context_kinds``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Context", "KindsView", "NodeView", "StageView", "StepView", "Style"]

Style = Literal["functions", "subworkflows"]


@dataclass
class StepView:
    """One step as the templates need it."""

    name: str
    ident: str
    input_cls: str
    output_cls: str
    fn: str  # the function (activity) the step or its child calls
    child_cls: str
    deps: list[tuple[str, str]]  # (field name, output class) of the steps it depends on
    loop_role: Literal["", "first", "second"] = ""
    feedback_cls: str = ""
    retry: str = "DEFAULT_RETRY"
    timeout: str = "DEFAULT_STEP_TIMEOUT"
    heartbeat: str = "DEFAULT_HEARTBEAT"
    attempts: str = "DEFAULT_RETRY.maximum_attempts"
    timeout_set: bool = False
    uses: str | None = None  # dotted path when bound to existing code
    uses_module: str = ""
    kind: str = "function"
    child: bool = False  # called with child_execute (style subworkflows, or kind workflow)
    body: list[str] = field(default_factory=list)  # a built-in kind's lines (see _render_kinds)
    after: list[str] = field(default_factory=list)  # lines after its result is kept (saga)
    method: str = ""  # the workflow method that runs it
    expect: list[int] = field(default_factory=list)  # an api_call's accepted statuses


@dataclass
class NodeView:
    """A step or loop inside a stage."""

    method: str
    steps: list[StepView]
    guarded: bool
    condition: str
    limit_const: str = ""
    switch: str = ""  # the params field a generated condition reads
    optional: bool = False  # guarded by user code: tests cannot say whether it runs
    expression: str = ""  # the constant holding a when: expression
    guard: str = ""  # the `if not when(...):` line(s) testing it (see _context_kinds)


@dataclass
class StageView:
    """One stage of ``run``: its position and its nodes (several run concurrently)."""

    position: int
    method: str
    nodes: list[NodeView]


@dataclass
class Context:
    """Everything the templates use."""

    name: str
    package: str
    style: Style
    header: str
    expression: str
    description: str
    suffix_in: str
    suffix_out: str
    steps: list[StepView]
    stages: list[StageView]
    inputs: list[tuple[str, str, str]]  # name, type, default
    switches: list[str]
    loops: list[tuple[str, int]]  # constant name, limit
    user_imports: list[tuple[str, str, str]]  # module, attribute, alias
    max_steps_per_run: str
    uses_any: bool = False
    uses_gather: bool = False
    uses_replace: bool = False
    uses_timedelta: bool = False
    optional: list[str] = field(default_factory=list)
    kinds: KindsView | None = None  # built-in step kinds, sagas, DAGs (see _context_kinds)


@dataclass
class KindsView:
    """What built-in step kinds add to the workflow module."""

    steps_names: list[str] = field(default_factory=list)  # imported from flowkit.steps
    constants: list[str] = field(default_factory=list)
    human: bool = False
    saga: bool = False
    ended: bool = False
    context: bool = False
    variables: bool = False
    error: bool = False
    workflow_info: bool = False
    builtins: list[str] = field(default_factory=list)  # ai_generate, api_call
    model_names: list[str] = field(default_factory=list)  # models.py imports these
    dag: list[str] = field(default_factory=list)  # DagStep(...) of each step
    dag_args: list[str] = field(default_factory=list)
    handlers: list[StepView] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (Python name, step name)
