"""What the templates see: Python names, policy expressions and stages, worked out once.

Templates only lay text out; every decision about names and values is made here so it
can be tested without reading generated code.
"""

from __future__ import annotations

from flowkit._emit import py_duration
from flowkit.compiler._context_kinds import kinds_view
from flowkit.compiler._graph import Node, stages
from flowkit.compiler._render_kinds import OUTPUTS
from flowkit.compiler._views import Context, NodeView, StageView, StepView, Style
from flowkit.compiler._yaml import INPUT_TYPES
from flowkit.compiler.ir import Pipeline, Setting, Step, identifier, is_dotted
from flowkit.policy import parse_duration

__all__ = ["build_context"]


def _effective(step: Step, defaults: tuple[Setting, ...], key: str) -> str | None:
    own = step.setting(key)
    if own is not None:
        return own
    return next((s.value for s in defaults if s.key == key), None)


def _step_view(
    p: Pipeline,
    step: Step,
    style: Style,
    ctx_flags: dict[str, bool],
    sources: list[str],
) -> StepView:
    suffix_in, suffix_out = ("In", "Out") if style == "subworkflows" else ("Input", "Output")
    deps = []
    for name in sources:
        source = p.step(name)
        deps.append((source.ident, _output_cls(source, suffix_out)))
    view = StepView(
        name=step.name,
        ident=step.ident,
        input_cls=step.cls + suffix_in,
        output_cls=_output_cls(step, suffix_out),
        fn=step.ident,
        child_cls=step.cls + "Workflow",
        deps=list(dict.fromkeys(deps)),
        kind=step.kind,
        child=style == "subworkflows" or step.kind == "workflow",
    )
    if step.uses:
        module, _, attr = step.uses.rpartition(".")
        view.uses, view.uses_module = step.uses, module
        view.fn = view.child_cls = attr
        ctx_flags["any"] = True
    if step.kind == "form":
        ctx_flags["any"] = True
    retries = _effective(step, p.defaults, "retries")
    if retries is not None:
        view.retry = f"replace(DEFAULT_RETRY, maximum_attempts={int(retries)})"
        view.attempts = str(int(retries))
        ctx_flags["replace"] = True
    timeout = _effective(step, p.defaults, "timeout")
    if timeout is not None:
        view.timeout = py_duration(parse_duration(timeout))
        view.timeout_set = True
        ctx_flags["timedelta"] = True
    heartbeat = _effective(step, p.defaults, "heartbeat")
    if heartbeat is not None:
        view.heartbeat = py_duration(parse_duration(heartbeat))
        ctx_flags["timedelta"] = True
    return view


def _output_cls(step: Step, suffix: str) -> str:
    if step.kind in OUTPUTS:
        return OUTPUTS[step.kind]
    return "Any" if step.uses else step.cls + suffix


def build_context(p: Pipeline, *, style: Style, header: str) -> Context:
    """Work out every name and value the templates print (``p`` must be valid)."""
    flags: dict[str, bool] = {}
    sources: dict[str, list[str]] = {}  # the steps each step follows, in edge order
    for edge in p.edges:
        sources.setdefault(edge.target, []).append(edge.source)
    views = {s.name: _step_view(p, s, style, flags, sources.get(s.name, [])) for s in p.steps}
    stage_views: list[StageView] = []
    switches: list[str] = []
    user_imports: list[tuple[str, str, str]] = []
    loops: list[tuple[str, int]] = []
    optional: list[str] = []
    for position, stage in enumerate(stages(p)):
        nodes = [_node_view(n, views, switches, user_imports, loops, optional) for n in stage]
        method = nodes[0].method if len(nodes) == 1 else f"_stage_{position}"
        flags["gather"] = flags.get("gather", False) or len(nodes) > 1
        stage_views.append(StageView(position=position, method=method, nodes=nodes))
    for view in views.values():
        if view.uses:
            alias = view.fn
            user_imports.append((view.uses_module, view.fn, alias))
    suffix_in, suffix_out = ("In", "Out") if style == "subworkflows" else ("Input", "Output")
    kinds = kinds_view(p, views, stage_views, user_imports)
    if kinds is not None and kinds.dag:
        nodes = [n for stage in stage_views for n in stage.nodes]
        stage_views = [StageView(position=0, method="_dag", nodes=nodes)]
        flags["gather"] = False

    inputs = [(f.name, f.type, INPUT_TYPES.get(f.type, '""')) for f in p.inputs]
    if not p.inputs and p.implicit_subject:
        inputs = [("subject", "str", '""')]
    return Context(
        name=p.name,
        package=identifier(p.name),
        style=style,
        header=header,
        expression=p.expression or " → ".join(p.step_names),
        description=p.description,
        suffix_in=suffix_in,
        suffix_out=suffix_out,
        steps=[views[name] for name in p.step_names],
        stages=stage_views,
        inputs=inputs,
        switches=switches,
        loops=loops,
        user_imports=sorted(set(user_imports)),
        max_steps_per_run=str(p.max_steps_per_run),
        uses_any=flags.get("any", False),
        uses_gather=flags.get("gather", False),
        uses_replace=flags.get("replace", False),
        uses_timedelta=flags.get("timedelta", False),
        optional=optional,
        kinds=kinds,
    )


def _node_view(
    node: Node,
    views: dict[str, StepView],
    switches: list[str],
    user_imports: list[tuple[str, str, str]],
    loops: list[tuple[str, int]],
    optional: list[str],
) -> NodeView:
    steps = [views[s.name] for s in node.steps]
    condition = f"when_{node.entry.ident}"
    switch = ""
    user_guarded = bool(node.guarded and node.entry.when)
    expression = ""
    if node.entry.when and not is_dotted(node.entry.when):
        expression = f"WHEN_{node.entry.ident.upper()}"
        optional.extend(s.name for s in node.steps)
    elif user_guarded and node.entry.when:
        module, _, attr = node.entry.when.rpartition(".")
        user_imports.append((module, attr, condition))
        optional.extend(s.name for s in node.steps)
    elif node.guarded:
        switch = f"run_{node.entry.ident}"
        switches.append(switch)
    if node.loop is not None:
        steps[0].loop_role, steps[1].loop_role = "first", "second"
        steps[0].feedback_cls = steps[1].output_cls
        const = "LOOP_MAX_" + node.ident.upper()
        loops.append((const, int(node.loop.setting("max") or 3)))
        method = f"_loop_{node.ident}"
        return NodeView(
            method, steps, node.guarded, condition, const, switch, user_guarded, expression
        )
    method = f"_step_{node.ident}"
    return NodeView(method, steps, node.guarded, condition, "", switch, user_guarded, expression)
