"""Generators: ``flowkit new``, ``flowkit g …``, ``flowkit destroy`` and ``flowkit doctor``.

Every generator plans a :class:`FileSet` first (nothing touches disk), then writes it all
or nothing; registrations in ``server/service.py`` are syntax-tree-located text edits that
keep the file's formatting and comments.
"""

from flowkit._emit import FileSet, WriteReport, header, remove_files
from flowkit.scaffold._doctor import Check, format_checks, run_checks
from flowkit.scaffold._generators import apply_plan, destroy, generate, plan
from flowkit.scaffold._names import Name, parse_app_name, parse_name
from flowkit.scaffold._options import KINDS, Models, Options, Plan, find_app
from flowkit.scaffold._pipeline import plan_pipeline
from flowkit.scaffold._project import new_project, plan_project
from flowkit.scaffold._registry import Registration, RegistryError, register, unregister
from flowkit.scaffold._source import install_source

__all__ = [
    "KINDS",
    "Check",
    "FileSet",
    "Models",
    "Name",
    "Options",
    "Plan",
    "Registration",
    "RegistryError",
    "WriteReport",
    "apply_plan",
    "destroy",
    "find_app",
    "format_checks",
    "generate",
    "header",
    "install_source",
    "new_project",
    "parse_app_name",
    "parse_name",
    "plan",
    "plan_pipeline",
    "plan_project",
    "register",
    "remove_files",
    "run_checks",
    "unregister",
]
