"""``flowkit g pipeline``: compile an operator expression into the app, and register it.

The compiler (:func:`flowkit.compiler.compile_expression`) returns a package
``<name>/`` and a test ``test_<name>.py``; here they move to
``src/<app>/pipelines/<name>/`` and ``tests/pipelines/``, the test's imports follow, the
header names the ``flowkit g`` command, and every workflow and function is registered.
"""

from __future__ import annotations

import ast
import shlex
from collections.abc import Mapping
from pathlib import Path

from flowkit._emit import FileSet, header
from flowkit.errors import GenerateError
from flowkit.scaffold._names import parse_name
from flowkit.scaffold._options import Options, Plan, find_app
from flowkit.scaffold._registry import Registration

__all__ = ["pipeline_registrations", "plan_pipeline", "planned_pipeline_files"]


def _command(
    name: str,
    operators: str,
    style: str,
    options: Options,
    mapping: Mapping[str, str],
    conditions: Mapping[str, str],
) -> str:
    parts = [
        "flowkit",
        "g",
        "pipeline",
        name,
        "--operators",
        shlex.quote(" ".join(operators.split())),
        "--style",
        style,
    ]
    parts += [f"--map {k}:{v}" for k, v in sorted(mapping.items())]
    parts += [f"--cond {k}:{v}" for k, v in sorted(conditions.items())]
    return " ".join(parts + options.flags())


def _rehead(text: str, new_header: str) -> str:
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines) and lines[index].startswith("#"):
        index += 1
    return new_header + "".join(lines[index:])


def pipeline_registrations(
    files: Mapping[str, str], package: str, prefix: str
) -> list[Registration]:
    """The workflows and functions defined in the package's modules, for ``service.py``.

    Args:
        files: relative path → text (only ``<prefix>…py`` files are read).
        package: the dotted package the files live in, e.g. ``demo.pipelines.blog``.
        prefix: the relative folder of the package, e.g. ``src/demo/pipelines/blog/``.
    """
    regs: list[Registration] = []
    for relpath in sorted(files):
        if not relpath.startswith(prefix) or not relpath.endswith(".py"):
            continue
        stem = relpath[len(prefix) : -3].replace("/", ".")
        if stem == "__init__":
            continue
        module = f"{package}.{stem}"
        for node in ast.parse(files[relpath]).body:
            for decorator in getattr(node, "decorator_list", []):
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if not (isinstance(target, ast.Attribute) and target.attr == "defn"):
                    continue
                owner = getattr(target.value, "id", "")
                if isinstance(node, ast.ClassDef) and owner in ("workflow", "agent"):
                    regs.append(Registration(f"{owner}s", module, node.name))  # type: ignore[arg-type]
                elif (
                    isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and owner == "function"
                ):
                    regs.append(Registration("functions", module, node.name))
    order = {"workflows": 0, "agents": 0, "functions": 1}
    return sorted(regs, key=lambda r: (order[r.kind], r.module != f"{package}.workflow", r.module))


def plan_pipeline(
    raw_name: str,
    root: Path,
    operators: str,
    *,
    style: str = "subworkflows",
    mapping: Mapping[str, str] | None = None,
    conditions: Mapping[str, str] | None = None,
    options: Options | None = None,
) -> Plan:
    """Plan ``flowkit g pipeline <raw_name> --operators <operators>``.

    Raises:
        GenerateError: a bad name or ``root`` is not a project.
        CompileError: the expression does not compile (every problem is listed).
    """
    from flowkit.compiler import compile_expression

    options = options or Options()
    mapping, conditions = dict(mapping or {}), dict(conditions or {})
    name = parse_name(raw_name, "pipeline")
    app = find_app(root)
    compiled = compile_expression(
        operators, name=name.camel, style=style, mapping=mapping, conditions=conditions
    )
    top = {path.split("/")[0] for path in compiled if "/" in path}
    if len(top) != 1:
        raise GenerateError(f"the compiler returned an unexpected layout: {sorted(compiled)}")
    [source_package] = top
    package = f"{app}.pipelines.{name.snake}"
    prefix = f"src/{app}/pipelines/{name.snake}/"
    command = _command(name.camel, operators, style, options, mapping, conditions)
    new_header = header(command)
    files = FileSet()
    resource_files = []
    for path, text in sorted(compiled.items()):
        text = _rehead(text, new_header)
        if path.startswith(source_package + "/"):
            relpath = prefix + path[len(source_package) + 1 :]
        elif options.omit_tests:
            continue
        else:
            relpath = f"tests/pipelines/{path.split('/')[-1]}"
            text = text.replace(f"from {source_package}.", f"from {package}.")
            text = text.replace(f"from {source_package} import", f"from {package} import")
        files[relpath] = text
        resource_files.append(relpath)
    for init in (f"src/{app}/pipelines/__init__.py", "tests/pipelines/__init__.py"):
        if not (root / init).exists() and (init.startswith("src") or not options.omit_tests):
            files[init] = new_header + '"""Generated by flowkit."""\n'
    regs = pipeline_registrations(files, package, prefix)
    return Plan("pipeline", name, app, files, regs, resource_files)


def planned_pipeline_files(raw_name: str, root: Path) -> Plan:
    """What ``flowkit destroy pipeline <raw_name>`` removes: the package on disk and its test.

    Raises:
        GenerateError: a bad name, or no such pipeline.
    """
    name = parse_name(raw_name, "pipeline")
    app = find_app(root)
    prefix = f"src/{app}/pipelines/{name.snake}/"
    folder = root / prefix
    if not folder.is_dir():
        raise GenerateError(f"there is no pipeline {name.camel} ({prefix} does not exist)")
    files = FileSet(
        (str(p.relative_to(root).as_posix()), p.read_text(encoding="utf-8"))
        for p in sorted(folder.rglob("*.py"))
        if "__pycache__" not in p.parts
    )
    regs = pipeline_registrations(files, f"{app}.pipelines.{name.snake}", prefix)
    test = f"tests/pipelines/test_{name.snake}.py"
    return Plan("pipeline", name, app, files, regs, [*sorted(files), test])
