"""What built-in step kinds, ``when:`` expressions, sagas and ``run_dag`` DAGs add to the
template context (see ``_context``): imports, constants, method bodies, flags."""

from __future__ import annotations

from flowkit._emit import py_string
from flowkit.compiler._render_kinds import B, call_lines, kind_code, py_literal
from flowkit.compiler._views import KindsView, StageView, StepView
from flowkit.compiler.ir import EdgeKind, Pipeline, is_dotted

__all__ = ["kinds_view", "uses_kinds"]

_ACTIVITIES = ("function", "workflow", "ai_generate", "api_call")


def uses_kinds(p: Pipeline) -> bool:
    """True when the pipeline needs more than the stage template of plain steps."""
    return p.run_as_dag or any(
        s.kind != "function" or s.compensate or (s.when and not is_dotted(s.when)) for s in p.steps
    )


def kinds_view(
    p: Pipeline,
    views: dict[str, StepView],
    stages: list[StageView],
    user_imports: list[tuple[str, str, str]],
) -> KindsView | None:
    """Fill in the step views of built-in kinds and say what the module needs, or ``None``
    when the pipeline uses none of them (its code stays exactly as before)."""
    if not uses_kinds(p):
        return None
    k = KindsView()
    names: set[str] = set()
    for view in views.values():
        view.method = f"_step_{view.ident}"
    for stage in stages:
        for node in stage.nodes:
            if node.expression:
                entry = p.step(node.steps[0].name)
                when = entry.when or ""
                k.constants.append(
                    f"{node.expression} = {py_literal(when, 0, 3 + len(node.expression))}"
                )
                # step= names the step in the error when the expression fails at run time.
                args = [node.expression, "self._context()", f"step={py_string(entry.name)}"]
                node.guard = call_lines("if not ", "when", args, 8, ":")
                names.add("when")
                k.context = True
    handlers = p.handlers
    for step in p.steps:
        view = views[step.name]
        if step.kind not in ("function", "workflow"):
            if step.kind in ("ai_generate", "api_call") and view.heartbeat == "DEFAULT_HEARTBEAT":
                view.heartbeat = view.timeout  # the built-ins do not heartbeat: bound them by time
            policy = [
                ("retry_policy", view.retry),
                ("start_to_close_timeout", view.timeout),
                ("heartbeat_timeout", view.heartbeat),
            ]
            on_reject = step.option("on_reject")
            handler = views[on_reject].method if on_reject in views else ""
            code = kind_code(step, policy=policy, handler_method=handler)
            view.body = code.body
            view.expect = list(step.option("expect_status") or [])
            k.constants += code.constants
            names |= code.names
            k.error = k.error or code.uses_error
            k.context = k.context or step.kind in ("conditional", "wait_until", *_ACTIVITIES[2:])
            k.variables = k.variables or bool(step.option("variables"))
            k.ended = k.ended or bool(on_reject)
            if step.kind in ("ai_generate", "api_call") and step.kind not in k.builtins:
                k.builtins.append(step.kind)
        if step.kind == "workflow" and not view.child:
            view.child = True
        k.workflow_info = k.workflow_info or step.kind == "workflow"
        if step.compensate and step.compensate in views:
            undo = views[step.compensate]
            undo.deps = list(dict.fromkeys([*undo.deps, (view.ident, view.output_cls)]))
            view.after.append(f"{B}self._saga.add(self.{undo.method}, name={py_string(undo.name)})")
            k.saga = True
    k.human = any(s.kind in ("form", "approval") for s in p.steps)
    if k.human:
        names.add("HumanSteps")
    if k.saga:
        names.add("Saga")
    if p.run_as_dag:
        names |= {"DagStep", "run_dag"}
        needed: dict[str, list[str]] = {}
        for edge in p.edges:
            if edge.kind is EdgeKind.NEED:
                needed.setdefault(edge.target, []).append(edge.source)
        for name in p.step_names:
            if name in handlers:
                continue
            needs = needed.get(name, [])
            needs_text = ", ".join(py_string(n) for n in needs)
            literal = f"({needs_text},)" if len(needs) == 1 else f"({needs_text})"
            parts = [py_string(name), f"lambda _: self.{views[name].method}()"]
            parts += [f"needs={literal}"] if needs else []
            flat = f"DagStep({', '.join(parts)}),"
            if 16 + len(flat) > 100:
                flat = "DagStep(\n" + "".join(f"{' ' * 20}{a},\n" for a in parts) + " " * 16 + "),"
            k.dag.append(flat)
        if p.max_parallel is not None:
            k.dag_args.append(f"max_parallel={p.max_parallel}")
        if p.fail_fast is not None:
            k.dag_args.append(f"fail_fast={p.fail_fast}")
    k.handlers = [views[n] for n in p.step_names if n in handlers]
    k.renamed = [(views[n].ident, n) for n in p.step_names if views[n].ident != n]
    k.steps_names = sorted(names, key=lambda n: (not n[:1].isupper(), n.lower()))
    models = {views[s.name].output_cls for s in p.steps}
    k.model_names = sorted(models & {"ApprovalResult", "GenerateResult", "ApiResponse"})
    del user_imports  # bound code is imported as before
    return k
