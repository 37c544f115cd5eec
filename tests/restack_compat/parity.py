"""Compare flowkit's surface with a ``restack_ai`` manifest (see tools/restack_manifest.py).

:func:`find_differences` returns ``{subject: problem}`` for everything Restack code could
do that flowkit does not accept: a module or name missing, a parameter missing, of
another kind, required where Restack's is optional, at another position, and a
``**kwargs`` function whose unknown keywords flowkit refuses. Subjects are the keys of
``flowkit.port.DIFFERENCES``.
"""

from __future__ import annotations

import importlib
import inspect
import json
import typing
from pathlib import Path
from typing import Any

from flowkit._sdk._children import ChildOptions
from flowkit._sdk._step import StepOptions
from flowkit.port import MODULES, flowkit_name
from flowkit.runtime._client import ServiceKwargs
from flowkit.runtime._client_runs import StartOptions

# The TypedDicts flowkit's ``**kwargs`` parameters are typed with (annotations are text).
_TYPED_DICTS: dict[str, Any] = {
    t.__name__: t for t in (ChildOptions, ServiceKwargs, StartOptions, StepOptions)
}

HERE = Path(__file__).parent
MANIFEST = HERE / "restack_ai-0.0.121.json"

POSITIONAL = {"POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD"}
EMPTY = inspect.Parameter.empty


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _resolve(module: str, name: str) -> tuple[bool, Any]:
    where = flowkit_name(module, name)
    if where is None:
        return False, None
    try:
        target = importlib.import_module(where[0])
    except ImportError:
        return False, None
    if not hasattr(target, where[1]):
        return False, None
    return True, getattr(target, where[1])


def _signature(obj: Any, *, method_of: type | None = None) -> inspect.Signature | None:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    if method_of is not None:
        # A plain function in the class body takes self: drop it, as the manifest does.
        raw = inspect.getattr_static(method_of, obj.__name__, None)
        if inspect.isfunction(raw):
            params = list(signature.parameters.values())[1:]
            signature = signature.replace(parameters=params)
    return signature


def compare(subject: str, restack: dict[str, Any], ours: inspect.Signature) -> dict[str, str]:
    """Differences between one Restack signature (manifest form) and flowkit's."""
    found: dict[str, str] = {}
    params = list(ours.parameters.values())
    kinds = {p.kind.name for p in params}
    declared = {p.name: p for p in params} | _unpacked(params)
    positional = [p.name for p in params if p.kind.name in POSITIONAL]
    # What Restack accepts: its parameters but **kwargs, and the keywords its body reads.
    accepted = [p for p in restack["params"] if p["kind"] != "VAR_KEYWORD"]
    accepted += restack.get("reads", [])
    for index, theirs in enumerate(p for p in restack["params"] if p["kind"] in POSITIONAL):
        at = positional[index] if index < len(positional) else None
        if at != theirs["name"] and "VAR_POSITIONAL" not in kinds:
            found[f"{subject}({theirs['name']})"] = (
                f"positional parameter {index + 1} is not {theirs['name']}"
            )
    for theirs in accepted:
        name, kind = theirs["name"], theirs["kind"]
        key = f"{subject}({name})"
        mine = declared.get(name)
        if kind == "VAR_POSITIONAL":
            if "VAR_POSITIONAL" not in kinds:
                found[key] = "takes no *args"
        elif mine is None:
            found.setdefault(key, "missing")
        elif mine.kind.name not in {"KEYWORD_ONLY", *POSITIONAL} or (
            kind in POSITIONAL and mine.kind.name not in POSITIONAL
        ):
            found.setdefault(key, f"is {mine.kind.name}, Restack's is {kind}")
        elif "default" in theirs and mine.default is EMPTY:
            found[key] = "required; Restack's is optional"
    names = {p["name"] for p in accepted}
    for mine in params:
        required = mine.default is EMPTY and mine.kind.name in {"KEYWORD_ONLY", *POSITIONAL}
        if required and mine.name not in names:
            found[f"{subject}({mine.name})"] = "required by flowkit, unknown to Restack"
    if "reads" in restack and "VAR_KEYWORD" not in kinds:
        found[f"{subject}(**)"] = "refuses keywords Restack ignores"
    return found


def _unpacked(params: list[inspect.Parameter]) -> dict[str, inspect.Parameter]:
    """The keywords a ``**kwargs: Unpack[SomeTypedDict]`` parameter declares."""
    declared: dict[str, inspect.Parameter] = {}
    for param in params:
        if param.kind is not inspect.Parameter.VAR_KEYWORD or param.annotation is EMPTY:
            continue
        annotation = param.annotation
        if isinstance(annotation, str):
            if not annotation.startswith("Unpack["):
                continue
            annotation = _TYPED_DICTS[annotation.removeprefix("Unpack[").removesuffix("]")]
        else:
            (annotation,) = typing.get_args(annotation)
        for key in annotation.__annotations__:
            declared[key] = inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=None)
    return declared


def find_differences(manifest: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for module, surface in manifest["modules"].items():
        if MODULES.get(module, "") is None:
            found[module] = "module not mirrored"
            continue
        if module not in MODULES:
            found[module] = "module not in flowkit.port.MODULES"
            continue
        for name in surface["names"]:
            ok, obj = _resolve(module, name)
            subject = f"{module}.{name}"
            if not ok:
                found[subject] = "missing"
                continue
            if name in surface["functions"]:
                signature = _signature(obj)
                if signature is not None:
                    found.update(compare(subject, surface["functions"][name], signature))
            if name in surface["classes"] and isinstance(obj, type):
                found.update(_compare_class(subject, surface["classes"][name], obj))
    return found


def _compare_class(subject: str, restack: dict[str, Any], cls: type) -> dict[str, str]:
    found: dict[str, str] = {}
    if "fields" in restack:
        signature = _signature(cls)
        if signature is not None:
            found.update(compare(subject, {"params": restack["fields"]}, signature))
    for method, spec in restack["methods"].items():
        key = f"{subject}.{method}"
        if method == "__init__":
            signature = _signature(cls)
            if signature is not None:
                found.update(compare(subject, spec, signature))
            continue
        if not hasattr(cls, method):
            found[key] = "missing"
            continue
        signature = _signature(getattr(cls, method), method_of=cls)
        if signature is not None:
            found.update(compare(key, spec, signature))
    return found
