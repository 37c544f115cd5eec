"""The values of YAML nodes, with JSON's types, built without recursion and never failing.

A scalar converts by its tag (``!!int``, ``!!float``, ``!!bool``, ``!!null``); everything
else, dates and ``=`` included, is the text as written. What does not convert (``!!int
abc``, ``0x_``, a 200-digit number) reads as its text, and ``_yaml_load`` reports it while
loading, so a document it accepted never holds one.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from flowkit.compiler._limits import clip

__all__ = ["TAG", "scalar", "scalar_problem"]

#: The prefix of YAML's standard tags (``!!int`` is ``tag:yaml.org,2002:int``).
TAG = "tag:yaml.org,2002:"
_TYPE_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false"}
_MAX_DIGITS = 100  # a longer number is a mistake (and str() of one past 4,300 digits fails)
_CONSTRUCTOR = SafeConstructor()
_TAG = TAG


def scalar_problem(node: yaml.ScalarNode) -> str:
    """Why a scalar does not convert to its tag's type, or ``""``."""
    kind = node.tag.removeprefix(_TAG)
    if kind not in _TYPE_WORDS:
        return ""
    digits = sum(c.isdigit() for c in node.value)
    if kind == "int" and digits > _MAX_DIGITS:
        return f"the number {clip(node.value)} has more than {_MAX_DIGITS} digits"
    if isinstance(_convert(node), str):
        return f"{clip(node.value)!r} is not {_TYPE_WORDS[kind]}"
    return ""


def _convert(node: yaml.ScalarNode) -> Any:
    """One scalar's value; its text when it does not convert (``compose`` reports those)."""
    tag = node.tag
    try:
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == _TAG + "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        if tag == _TAG + "int" and sum(c.isdigit() for c in node.value) <= _MAX_DIGITS:
            return _CONSTRUCTOR.construct_yaml_int(node)
    except (ValueError, KeyError, TypeError, OverflowError, IndexError):
        pass
    return str(node.value)


def scalar(node: yaml.Node) -> Any:
    """A node's value with JSON's types (text, numbers, booleans, ``None``, lists, dicts).

    Built without recursion and total: a node that shares or contains itself (possible
    only in a tree made by hand) is built once, a circle as ``None``; a mapping key that
    is a list or mapping is skipped.
    """
    done: dict[int, Any] = {}
    started: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        item, ready = stack.pop()
        if id(item) in done:
            continue
        if isinstance(item, yaml.ScalarNode):
            done[id(item)] = _convert(item)
            continue
        if isinstance(item, yaml.SequenceNode):
            children = list(item.value)
        elif isinstance(item, yaml.MappingNode):
            children = [n for pair in item.value for n in pair]
        else:
            done[id(item)] = None
            continue
        if not ready:
            if id(item) not in started:
                started.add(id(item))
                stack.append((item, True))
                stack += [(c, False) for c in reversed(children) if id(c) not in done]
            continue
        if isinstance(item, yaml.SequenceNode):
            done[id(item)] = [done.get(id(c)) for c in children]
        else:
            done[id(item)] = {
                done.get(id(k)): done.get(id(v))
                for k, v in item.value
                if isinstance(k, yaml.ScalarNode)
            }
    return done.get(id(node))
