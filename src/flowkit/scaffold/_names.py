"""Names of generated resources: validation and inflection (``SendEmail`` ↔ ``send_email``)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from flowkit.errors import GenerateError

__all__ = ["Name", "parse_app_name", "parse_name"]

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")
_ALLOWED = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# Modules a resource must not shadow inside the app package.
_RESERVED = frozenset({"common", "agents", "workflows", "functions", "models", "pipelines", "test"})


def _words(text: str) -> list[str]:
    words: list[str] = []
    for chunk in re.split(r"[_\-]+", text):
        words += [w.lower() for w in _WORD.findall(chunk)]
    return words


@dataclass(frozen=True)
class Name:
    """One resource name in all the spellings the templates need.

    Attributes:
        raw: the name as the user typed it.
        words: its lower-case words, e.g. ``["send", "email"]``.
    """

    raw: str
    words: tuple[str, ...]

    @property
    def camel(self) -> str:
        """``SendEmail``: class names."""
        return "".join(w[:1].upper() + w[1:] for w in self.words)

    @property
    def snake(self) -> str:
        """``send_email``: module and function names."""
        return "_".join(self.words)

    @property
    def kebab(self) -> str:
        """``send-email``: workflow ids."""
        return "-".join(self.words)

    @property
    def constant(self) -> str:
        """``SEND_EMAIL``: constants and enum members."""
        return self.snake.upper()

    @property
    def human(self) -> str:
        """``send email``: prose in docstrings."""
        return " ".join(self.words)


def parse_name(raw: str, kind: str = "resource") -> Name:
    """Validate a resource name and inflect it.

    ``SendEmail``, ``sendEmail``, ``send_email`` and ``send-email`` are the same name.

    Args:
        raw: the name typed by the user.
        kind: what it names (``agent``, ``workflow`` …), for the error message.

    Raises:
        GenerateError: the name is empty, contains a path separator or a character other
            than letters, digits, ``_`` and ``-``, starts with a digit, or its module or
            class spelling is a Python keyword or a reserved module name.
    """
    if not raw:
        raise GenerateError(f"the {kind} needs a name, e.g. SendEmail")
    if "/" in raw or "\\" in raw or raw.startswith("."):
        raise GenerateError(
            f"bad {kind} name {raw!r}: a name, not a path (no '/', '\\' or leading '.')"
        )
    if not _ALLOWED.match(raw):
        raise GenerateError(
            f"bad {kind} name {raw!r}: use letters, digits, '_' or '-', starting with a letter"
        )
    name = Name(raw=raw, words=tuple(_words(raw)))
    if not name.words:
        raise GenerateError(f"bad {kind} name {raw!r}: it has no letters")
    for spelling in (name.snake, name.camel):
        if keyword.iskeyword(spelling) or keyword.issoftkeyword(spelling):
            raise GenerateError(f"bad {kind} name {raw!r}: {spelling!r} is a Python keyword")
    if name.snake in _RESERVED:
        raise GenerateError(f"bad {kind} name {raw!r}: {name.snake!r} is reserved by flowkit")
    return name


def parse_app_name(raw: str) -> Name:
    """Validate the name of a new project; its package is the snake-case spelling.

    Raises:
        GenerateError: the name is not a valid project name (see :func:`parse_name`) or
            would shadow a module the project imports (``flowkit``, ``temporalio`` …).
    """
    name = parse_name(raw, "project")
    if name.snake in {"flowkit", "temporalio", "pydantic", "server", "client", "tests", "src"}:
        raise GenerateError(
            f"bad project name {raw!r}: the package {name.snake!r} would shadow a module "
            "the project imports"
        )
    return name
