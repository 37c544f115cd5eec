"""The pipeline as a graph: execution stages for code generation, Mermaid and DOT for people.

A *node* is a step, or a loop seen as one unit. Stages are the longest-path levels of the
node graph: a stage runs once everything before it has finished, and the nodes of one
stage run concurrently (a fan-out group, or independent ``needs:`` steps).
"""

from __future__ import annotations

from dataclasses import dataclass

from flowkit.compiler.ir import EdgeKind, Loop, Pipeline, Step

__all__ = ["Node", "stages", "to_dot", "to_mermaid"]


@dataclass(frozen=True)
class Node:
    """A step or a loop, and whether a condition guards it."""

    steps: tuple[Step, ...]
    loop: Loop | None = None
    guarded: bool = False

    @property
    def entry(self) -> Step:
        """The step that runs first (the one a condition is named after)."""
        return self.steps[0]

    @property
    def ident(self) -> str:
        """A Python name for the node: ``plan``, ``ideate_research``."""
        return "_".join(s.ident for s in self.steps)


def _nodes(p: Pipeline) -> tuple[list[Node], dict[str, int]]:
    conditional = {e.target for e in p.edges if e.kind is EdgeKind.CONDITIONAL}
    index: dict[str, int] = {}
    nodes: list[Node] = []
    loops = {loop.first: loop for loop in p.loops}
    in_loop = {name for loop in p.loops for name in loop.steps}
    handlers = p.handlers  # they run only when called for, never in a stage of their own
    for step in p.steps:
        if step.name in index or step.name in handlers:
            continue
        if step.name in loops:
            loop = loops[step.name]
            steps = tuple(p.step(name) for name in loop.steps)
            guarded = step.name in conditional or step.when is not None
            for name in loop.steps:
                index[name] = len(nodes)
            nodes.append(Node(steps=steps, loop=loop, guarded=guarded))
        elif step.name not in in_loop:
            guarded = step.name in conditional or step.when is not None
            index[step.name] = len(nodes)
            nodes.append(Node(steps=(step,), guarded=guarded))
    return nodes, index


def stages(p: Pipeline) -> list[list[Node]]:
    """The nodes grouped into stages, in order (``p`` must be valid)."""
    nodes, index = _nodes(p)
    before: dict[int, set[int]] = {i: set() for i in range(len(nodes))}
    for edge in p.edges:
        if edge.source not in index or edge.target not in index:
            continue
        a, b = index[edge.source], index[edge.target]
        if a != b:
            before[b].add(a)
    level = _levels(before)
    out: list[list[Node]] = []
    for i, node in enumerate(nodes):
        d = level[i]
        while len(out) <= d:
            out.append([])
        out[d].append(node)
    return out


def _levels(before: dict[int, set[int]]) -> dict[int, int]:
    """Each node's longest-path depth, without recursion (a chain may be 10,000 long).

    A node is seen twice on the stack: first its unfinished predecessors are pushed, then,
    once they all have a level, it gets its own. An edge back to a node still on the stack
    (a circle, which validation reports) is ignored rather than followed forever.
    """
    level: dict[int, int] = {}
    started: set[int] = set()
    for root in before:
        stack = [root]
        while stack:
            node = stack[-1]
            if node in level:
                stack.pop()
            elif node not in started:
                started.add(node)
                stack += [j for j in before[node] if j not in level and j not in started]
            else:
                level[node] = 1 + max((level.get(j, -1) for j in before[node]), default=-1)
                stack.pop()
    return level


def _label(step: Step) -> str:
    return step.name if step.kind == "function" else f"{step.name}: {step.kind}"


def _handler_edges(p: Pipeline) -> list[tuple[str, str, str]]:
    """(step, handler, label) for ``compensate:`` and ``on_reject:``."""
    handlers = p.handlers
    out = [(s.name, s.compensate, "undo") for s in p.steps if s.compensate in handlers]
    rejects = [(s.name, str(s.option("on_reject")), "rejected") for s in p.steps]
    return [(a, str(b), why) for a, b, why in out + rejects if b in handlers]


def to_mermaid(p: Pipeline) -> str:
    """A Mermaid flowchart of the pipeline (paste it into Markdown)."""
    lines = ["flowchart LR"]
    for step in {s.name: s for s in p.steps}.values():
        lines.append(f"    {step.name}[{_label(step)}]")
    arrows = {
        EdgeKind.SEQUENCE: "-->",
        EdgeKind.NEED: "-->",
        EdgeKind.FAN_OUT: "-->",
        EdgeKind.CONDITIONAL: "-.->|if|",
        EdgeKind.LOOP: "<-->",
    }
    loops = {name: loop for loop in reversed(p.loops) for name in loop.steps}
    for edge in p.edges:
        arrow = arrows[edge.kind]
        if edge.kind is EdgeKind.LOOP and edge.source in loops:
            arrow = f"<-->|max {loops[edge.source].setting('max')}|"
        lines.append(f"    {edge.source} {arrow} {edge.target}")
    for source, target, why in _handler_edges(p):
        lines.append(f"    {source} -.->|{why}| {target}")
    return "\n".join(lines) + "\n"


def to_dot(p: Pipeline) -> str:
    """A Graphviz DOT digraph of the pipeline."""
    lines = [f'digraph "{p.name}" {{', "    rankdir=LR;", "    node [shape=box];"]
    for name in p.step_names:
        label = _label(p.step(name))
        lines.append(f'    "{name}";' if label == name else f'    "{name}" [label="{label}"];')
    for edge in p.edges:
        attrs = {
            EdgeKind.CONDITIONAL: ' [style=dashed, label="if"]',
            EdgeKind.LOOP: ' [dir=both, label="loop"]',
            EdgeKind.FAN_OUT: ' [label="fan-out"]',
        }.get(edge.kind, "")
        lines.append(f'    "{edge.source}" -> "{edge.target}"{attrs};')
    for source, target, why in _handler_edges(p):
        lines.append(f'    "{source}" -> "{target}" [style=dotted, label="{why}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
