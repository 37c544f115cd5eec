"""Templates for step inputs (prompts, URLs, headers, bodies): sandboxed Jinja, strict names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from flowkit.workflow import StepError

__all__ = ["TemplateProblem", "render", "render_value"]

# Sandboxed: a template cannot reach attributes such as __class__ of the values it gets.
_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


class TemplateProblem(StepError):
    """A template cannot be rendered: a syntax error or an unknown variable.

    A :class:`~flowkit.workflow.StepError`: in workflow code it fails the run.
    """


def render(text: str, variables: Mapping[str, Any]) -> str:
    """Render ``text`` with ``variables`` (``{{ name }}``, filters, ``{% if %}``...).

    Raises:
        TemplateProblem: the template is malformed or names an unknown variable.
    """
    if "{" not in text:
        return text
    try:
        return _ENV.from_string(text).render(**variables)
    except TemplateError as exc:
        known = ", ".join(sorted(variables)) or "none"
        raise TemplateProblem(f"template {text[:60]!r}: {exc} (variables: {known})") from None


def render_value(value: Any, variables: Mapping[str, Any]) -> Any:
    """Render every string inside ``value`` (dicts, lists and keys included)."""
    if isinstance(value, str):
        return render(value, variables)
    if isinstance(value, Mapping):
        return {render(str(k), variables): render_value(v, variables) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [render_value(v, variables) for v in value]
    return value
