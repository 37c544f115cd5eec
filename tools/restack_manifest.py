"""Write the manifest of ``restack_ai``'s public surface that flowkit's parity test reads.

Downloads the sdist of one ``restack_ai`` release from PyPI (with pip, so the index
configuration applies), reads every module with ``ast`` (nothing is imported, so none of
Restack's dependencies are needed) and writes, as JSON:

- each module and the names it offers: what it defines, what ``__all__`` lists and what it
  imports at run time from ``temporalio`` or from ``restack_ai`` itself (users import
  those from Restack's modules, so they are surface too);
- for every public function, method and dataclass: its parameters' names, kinds and
  defaults (source text); for a ``**kwargs: Unpack[...]`` function, the keywords its body
  reads with ``kwargs.get(...)``, which are what it really accepts (it ignores the rest).

Usage::

    python tools/restack_manifest.py [--version 0.0.121] [--sdist PATH] [--out PATH]

This script is the only part of flowkit that downloads anything; tests read the
committed manifest (``tests/restack_compat/restack_ai-<version>.json``).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "restack_ai"
DEFAULT_VERSION = "0.0.121"
# Imports from these count as the module's surface; the rest (stdlib, typing, aiohttp,
# pydantic...) are implementation.
SURFACE_IMPORTS = ("temporalio", ".")
KINDS = {
    "posonlyargs": "POSITIONAL_ONLY",
    "args": "POSITIONAL_OR_KEYWORD",
    "vararg": "VAR_POSITIONAL",
    "kwonlyargs": "KEYWORD_ONLY",
    "kwarg": "VAR_KEYWORD",
}


def download(version: str, into: Path) -> Path:
    """The sdist of ``restack_ai==version``, downloaded into ``into``."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            str(into),
            f"{PACKAGE}=={version}",
        ],
        check=True,
    )
    (sdist,) = into.glob(f"{PACKAGE}-{version}.tar.gz")
    return sdist


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef, *, method: bool) -> list[dict[str, Any]]:
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    params: list[dict[str, Any]] = []
    for index, arg in enumerate(positional):
        kind = KINDS["posonlyargs" if index < len(args.posonlyargs) else "args"]
        default = defaults[index]
        params.append(_param(arg, kind, default))
    if args.vararg:
        params.append(_param(args.vararg, KINDS["vararg"], None))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(_param(arg, KINDS["kwonlyargs"], kw_default))
    if args.kwarg:
        params.append(_param(args.kwarg, KINDS["kwarg"], None))
    if method and not _is_static(fn) and params and params[0]["kind"] != KINDS["vararg"]:
        params = params[1:]  # self / cls
    return params


def _param(arg: ast.arg, kind: str, default: ast.expr | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": arg.arg, "kind": kind}
    if default is not None:
        entry["default"] = ast.unparse(default)
    return entry


def _is_static(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(ast.unparse(d) == "staticmethod" for d in fn.decorator_list)


def _reads(fn: ast.FunctionDef | ast.AsyncFunctionDef, kwargs: str) -> list[dict[str, Any]]:
    """The keywords a ``**kwargs`` function reads: ``kwargs.get("k"[, default])``."""
    found: dict[str, dict[str, Any]] = {}
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == kwargs
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            entry: dict[str, Any] = {"name": node.args[0].value, "kind": KINDS["kwonlyargs"]}
            if len(node.args) > 1:
                entry["default"] = ast.unparse(node.args[1])
            else:
                entry["default"] = "None"
            found.setdefault(entry["name"], entry)
    return list(found.values())


def _function(fn: ast.FunctionDef | ast.AsyncFunctionDef, *, method: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "async": isinstance(fn, ast.AsyncFunctionDef),
        "line": fn.lineno,
        "params": _params(fn, method=method),
    }
    if fn.args.kwarg is not None and fn.args.kwarg.annotation is not None:
        annotation = ast.unparse(fn.args.kwarg.annotation)
        if annotation.startswith("Unpack["):
            entry["unpack"] = annotation
            entry["reads"] = _reads(fn, fn.args.kwarg.arg)
    return entry


def _is_dataclass(cls: ast.ClassDef) -> bool:
    return any(ast.unparse(d).split("(")[0].endswith("dataclass") for d in cls.decorator_list)


def _class(cls: ast.ClassDef) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "line": cls.lineno,
        "bases": [ast.unparse(b) for b in cls.bases],
        "methods": {},
    }
    if _is_dataclass(cls):
        fields = []
        for node in cls.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                field: dict[str, Any] = {"name": node.target.id, "kind": KINDS["args"]}
                if node.value is not None:
                    field["default"] = ast.unparse(node.value)
                fields.append(field)
        entry["fields"] = fields
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("_") and node.name != "__init__":
                continue
            entry["methods"][node.name] = _function(node, method=True)
    return entry


def _module_all(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            return [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
    return []


def read_module(source: str) -> dict[str, Any]:
    """The public surface of one module's source."""
    tree = ast.parse(source)
    names: dict[str, str] = {}
    functions: dict[str, Any] = {}
    classes: dict[str, Any] = {}
    for node in tree.body:
        if _is_type_checking(node):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not node.name.startswith("_"):
                names[node.name] = "function"
                functions[node.name] = _function(node, method=False)
        elif isinstance(node, ast.ClassDef):
            if not node.name.startswith("_"):
                names[node.name] = "class"
                classes[node.name] = _class(node)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if isinstance(value, ast.Call) and ast.unparse(value.func) == "TypeVar":
                continue  # typing machinery, not surface
            for target in targets:
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    names[target.id] = "value"
        elif isinstance(node, ast.Import | ast.ImportFrom):
            origin = (
                "." * node.level + (node.module or "")
                if isinstance(node, ast.ImportFrom)
                else node.names[0].name
            )
            if not origin.startswith(SURFACE_IMPORTS):
                continue
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                if not name.startswith("_"):
                    names.setdefault(name, "import")
    for name in _module_all(tree):
        names.setdefault(name, "all")
    return {
        "all": sorted(_module_all(tree)),
        "names": dict(sorted(names.items())),
        "functions": functions,
        "classes": classes,
    }


def build_manifest(sdist: Path, version: str) -> dict[str, Any]:
    """The manifest of the package inside ``sdist``."""
    modules: dict[str, Any] = {}
    with tarfile.open(sdist) as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            parts = Path(member.name).parts
            if len(parts) < 3 or parts[1] != PACKAGE or not member.name.endswith(".py"):
                continue
            dotted = list(Path(*parts[1:]).with_suffix("").parts)
            if dotted[-1] == "__init__":
                dotted.pop()
            if any(p.startswith("_") for p in dotted):
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            modules[".".join(dotted)] = read_module(handle.read().decode("utf-8"))
    return {
        "package": PACKAGE,
        "version": version,
        "sdist_sha256": hashlib.sha256(sdist.read_bytes()).hexdigest(),
        "written_by": "tools/restack_manifest.py",
        "modules": modules,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--sdist", type=Path, help="read this sdist instead of downloading")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    out = args.out or ROOT / "tests" / "restack_compat" / f"{PACKAGE}-{args.version}.json"
    with tempfile.TemporaryDirectory() as scratch:
        sdist = args.sdist or download(args.version, Path(scratch))
        manifest = build_manifest(sdist, args.version)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    count = sum(len(m["names"]) for m in manifest["modules"].values())
    print(f"wrote {out.relative_to(ROOT)}: {len(manifest['modules'])} modules, {count} names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
