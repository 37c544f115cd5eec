"""Render a module's public API (every name in its ``__all__``) as stable, reviewable text.

What counts is what a user can see: names, signatures (with their overloads), fields,
enum members and public base classes. What does not is left out on purpose, so moving
code between private modules changes nothing: private module paths, private mixins (their
members are listed on the class that inherits them), values of constants, and the
signatures of what flowkit re-exports from other packages (their version, not flowkit,
decides those; the snapshot pins where they come from).

Each entry starts at column 0 with the name; its details are indented, so a review diff
and :func:`changed_names` point at the names that changed.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import re
import typing
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

from pydantic_core import PydanticUndefined

__all__ = ["changed_names", "render_module"]

# A dotted lowercase prefix (a module path) before a name: `temporalio.common.RetryPolicy`.
_MODULE_PATH = re.compile(r"\b(?:[a-z_][a-z0-9_]*\.)+(?=[A-Za-z_])")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class _Text:
    """Shown as its text by ``inspect.Signature.__str__``, quotes and paths already gone."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _annotation(value: Any) -> str:
    text = value if isinstance(value, str) else inspect.formatannotation(value)
    return _MODULE_PATH.sub("", text)


def _default(value: Any) -> str:
    if isinstance(value, set | frozenset):  # set order follows the process's hash seed
        return "{" + ", ".join(sorted(map(repr, value))) + "}"
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return _ADDRESS.sub("", repr(value))


def signature(fn: Callable[..., Any]) -> str:
    """``fn``'s parameters and result as text."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # some builtins have none
        return "(...)"
    empty = inspect.Parameter.empty
    params = [
        p.replace(
            annotation=empty if p.annotation is empty else _Text(_annotation(p.annotation)),
            default=empty if p.default is empty else _Text(_default(p.default)),
        )
        for p in sig.parameters.values()
    ]
    result = sig.return_annotation
    result = empty if result is empty else _Text(_annotation(result))
    return str(sig.replace(parameters=params, return_annotation=result))


def _function(fn: Callable[..., Any], prefix: str) -> list[str]:
    """``fn``'s signature after ``prefix``, then its overloads (what type checkers see)."""
    kind = "async def" if inspect.iscoroutinefunction(fn) else "def"
    lines = [f"{prefix}{kind}{signature(fn)}"]
    lines += [f"    overload{signature(o)}" for o in typing.get_overloads(fn)]
    return lines


def _is_ours(obj: Any) -> bool:
    return str(getattr(obj, "__module__", "")).startswith("flowkit")


def _origin(obj: Any) -> str:
    package = str(getattr(obj, "__module__", "?")).split(".")[0]
    return f"re-exported from {package} ({getattr(obj, '__qualname__', obj)})"


def _fields(cls: type) -> list[str]:
    if dataclasses.is_dataclass(cls):
        found = [(f.name, f.type, f.default, f.default_factory) for f in dataclasses.fields(cls)]
    elif isinstance(getattr(cls, "model_fields", None), dict):  # a pydantic model
        found = [
            (name, f.annotation, f.default, f.default_factory)
            for name, f in cls.model_fields.items()
        ]
    else:
        return []
    lines = []
    for name, annotation, default, factory in found:
        if name.startswith("_"):
            continue
        text = f"  field {name}: {_annotation(annotation)}"
        if callable(factory):
            text += f" = {getattr(factory, '__name__', 'factory')}()"
        elif default is not dataclasses.MISSING and default is not PydanticUndefined:
            text += f" = {_default(default)}"
        lines.append(text)
    return lines


def _member(name: str, raw: Any) -> list[str]:
    if isinstance(raw, staticmethod | classmethod):
        fn = raw.__func__
        label = "static " if isinstance(raw, staticmethod) else "classmethod "
        if not _is_ours(fn):
            return [f"  {label}{name}: {_origin(fn)}"]
        return _function(fn, f"  {label}{name}: ")
    if isinstance(raw, property):
        result = inspect.signature(raw.fget).return_annotation if raw.fget else "?"
        return [f"  property {name}: {_annotation(result)}"]
    if inspect.isfunction(raw):
        return _function(raw, f"  {name}: ")
    if isinstance(raw, type):
        return [f"  class {name}"]
    return [f"  {name}: {type(raw).__name__}"]


def _class(cls: type, public: set[int]) -> list[str]:
    bases = [b for b in cls.__bases__ if b is not object and (not _is_ours(b) or id(b) in public)]
    lines = [f"  class({', '.join(b.__qualname__ for b in bases)})" if bases else "  class"]
    if issubclass(cls, enum.Enum):
        return lines + [f"  member {m.name} = {m.value!r}" for m in cls]
    lines += _fields(cls)
    ours = [k for k in cls.__mro__ if _is_ours(k)]
    init = next((vars(k)["__init__"] for k in ours if "__init__" in vars(k)), None)
    if init is not None and not dataclasses.is_dataclass(cls):
        lines += _function(init, "  __init__: ")
    # Dataclass fields are class attributes too; they are listed as fields already.
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    members: dict[str, Any] = {}
    for klass in ours:
        for name, raw in vars(klass).items():
            if not name.startswith("_") and name not in fields and name != "model_config":
                members.setdefault(name, raw)
    for name in sorted(members):
        lines += _member(name, members[name])
    return lines


def _entry(name: str, obj: Any, aliases: dict[int, str], public: set[int]) -> list[str]:
    if isinstance(obj, ModuleType):
        return [name, f"  module {obj.__name__}"]
    if (isinstance(obj, type) or inspect.isroutine(obj)) and aliases.get(id(obj), name) != name:
        return [name, f"  alias of {aliases[id(obj)]}"]
    if isinstance(obj, type) or inspect.isroutine(obj):
        if not _is_ours(obj):
            return [name, f"  {_origin(obj)}"]
        return [name, *(_class(obj, public) if isinstance(obj, type) else _function(obj, "  "))]
    if typing.get_origin(obj) is not None:  # a type alias: Literal[...], list[...]
        return [name, f"  = {_annotation(repr(obj))}"]
    kind = type(obj)
    what = "instance of " if _is_ours(kind) else ""
    return [name, f"  {what}{kind.__qualname__}"]


def _aliases(module: ModuleType, names: Iterable[str]) -> dict[int, str]:
    """For an object under several names, the one to render it under: its own name."""
    chosen: dict[int, str] = {}
    for name in names:
        obj = getattr(module, name)
        if getattr(obj, "__name__", None) == name or id(obj) not in chosen:
            chosen[id(obj)] = name
    return chosen


def render_module(name: str, public: set[int]) -> str:
    """The snapshot text of module ``name``; ``public`` holds the ids of every object any
    public module exports (a flowkit base class outside it is a private mixin)."""
    module = importlib.import_module(name)
    names = sorted(module.__all__)
    aliases = _aliases(module, names)
    lines = [f"# {name}: public names and signatures (tests/test_public_signatures.py)"]
    for entry in names:
        lines += _entry(entry, getattr(module, entry), aliases, public)
    return "\n".join(lines) + "\n"


def _entries(text: str) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if not line.startswith(" "):
            current = blocks.setdefault(line, [])
        else:
            current.append(line)
    return blocks


def changed_names(old: str, new: str) -> dict[str, list[str]]:
    """The entries ``new`` adds, removes and changes compared with ``old``."""
    before, after = _entries(old), _entries(new)
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": sorted(n for n in before.keys() & after.keys() if before[n] != after[n]),
    }
