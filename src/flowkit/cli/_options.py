"""The options flowkit's commands share, declared once so each means the same everywhere.

A command takes one as a parameter default (``as_json: bool = JSON``). Short flags are
few and fixed: ``-f`` is ``--force``, ``-o`` is ``--output``, ``-i`` is ``--input``, in
every command that has them; no other option uses those letters.

Options whose default is a setting (``--task-queue``, ``--address``, ``--namespace``)
default to ``None``, which the library resolves from the settings in force
(:func:`flowkit.policy.current`: CLI > environment > ``.env`` > YAML > defaults); a
literal default here would override a project's ``config/settings.yaml``. Their help
names the setting; ``--task-queue`` also shows the value :mod:`flowkit.policy` declares
for it, read when the help is printed, because importing the policy (pydantic,
temporalio) at import time would slow every ``flowkit`` command.

The generators and the compiler can use ``FORCE``, ``DRY_RUN``, ``OUTPUT``, ``JSON``
and ``TASK_QUEUE`` (``None`` meaning the ``worker.task_queue`` setting).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from flowkit.errors import UsageError

__all__ = [
    "ADDRESS",
    "BY",
    "COMMENT",
    "DRY_RUN",
    "FORCE",
    "FORM_INPUT",
    "INPUT",
    "JSON",
    "NAMESPACE",
    "OUTPUT",
    "RUN_STATUSES",
    "STATUS",
    "TASK_QUEUE",
    "parse_pairs",
    "setting_default",
]

#: flowkit's run statuses, for ``--status``'s help; a test holds it equal to
#: :data:`flowkit.runtime.RUN_STATUSES`, which is what decides.
RUN_STATUSES = ("running", "completed", "failed", "canceled", "terminated", "timed_out")


def setting_default(section: str, key: str) -> Any:
    """The default of setting ``section.key``, as :mod:`flowkit.policy` declares it."""
    from flowkit.policy import Settings

    model = Settings.model_fields[section].annotation
    return model.model_fields[key].default  # type: ignore[union-attr]


class _SettingDefault(str):
    """What ``--help`` shows as an option's default: ``the worker.task_queue setting,
    'flowkit'``, the value read from :mod:`flowkit.policy` when the help is formatted.

    Click formats ``show_default`` text only when it prints the help, so the policy is
    imported then, not when the command is; a formatter that reads the bare string still
    shows the setting's name.
    """

    def __new__(cls, section: str, key: str) -> _SettingDefault:
        made = super().__new__(cls, f"the {section}.{key} setting")
        made.section, made.key = section, key
        return made

    section: str
    key: str

    def __str__(self) -> str:
        return f"{str.__str__(self)}, {setting_default(self.section, self.key)!r}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _status(value: str | None) -> str | None:
    if value is None:
        return None
    from flowkit.runtime import parse_status

    return parse_status(value, label="--status")


# -- connection and output --------------------------------------------------------------

ADDRESS = typer.Option(
    None,
    "--address",
    help="Temporal address, host:port (default: TEMPORAL_ADDRESS, the temporal.address "
    "setting, the Temporal CLI profile, then localhost:7233).",
)
NAMESPACE = typer.Option(
    None,
    "--namespace",
    help="Temporal namespace (default: TEMPORAL_NAMESPACE, the temporal.namespace setting, "
    "the Temporal CLI profile, then default).",
)
JSON = typer.Option(False, "--json", help="Print one JSON document instead of text.")

# -- runs -------------------------------------------------------------------------------

TASK_QUEUE = typer.Option(
    None,
    "--task-queue",
    help="The task queue a worker serves.",
    show_default=_SettingDefault("worker", "task_queue"),
)
INPUT = typer.Option(None, "--input", "-i", help="The run's input: JSON, or @file.json.")
FORM_INPUT = typer.Option(..., "--input", "-i", help="The values: a JSON object, or @file.json.")
STATUS = typer.Option(
    None,
    "--status",
    help=f"Only runs with this status: {', '.join(RUN_STATUSES)}.",
    callback=_status,
)
BY = typer.Option(None, "--by", help="Who decides (default: $FLOWKIT_USER, then your login).")
COMMENT = typer.Option(None, "--comment", help="A note kept with the decision.")

# -- writing files ----------------------------------------------------------------------

FORCE = typer.Option(False, "--force", "-f", help="Overwrite files that exist and differ.")
DRY_RUN = typer.Option(
    False, "--dry-run", "--pretend", help="Show what would be written; write nothing."
)
OUTPUT = typer.Option(Path("."), "--output", "-o", help="Where to write the files.")


def parse_pairs(values: list[str] | None, flag: str) -> dict[str, str]:
    """``--map``/``--cond`` values, ``["IDEATE:app.fns.brainstorm", …]``, as a mapping.

    Raises:
        UsageError: a value has no ``:`` or an empty side.
    """
    out: dict[str, str] = {}
    for value in values or []:
        step, sep, target = value.partition(":")
        if not sep or not step.strip() or not target.strip():
            raise UsageError(f"{flag} takes STEP:module.name, got {value!r}")
        out[step.strip()] = target.strip()
    return out
