"""``flowkit check``: a static determinism and sandbox check of workflow and agent code.

It reads Python files with :mod:`ast` (nothing is imported), finds the code of
``@workflow.defn`` and ``@agent.defn`` classes and the functions they call in the same
module, and reports what would make a run nondeterministic on replay or costly in
Temporal's sandbox, each finding with the deterministic alternative. The rules are in
:data:`RULES` and ``docs/check.md``.
"""

from flowkit.check._check import CheckReport, Finding, check_paths, check_source, python_files
from flowkit.check._rules import RULES, Rule, rule_for

__all__ = [
    "RULES",
    "CheckReport",
    "Finding",
    "Rule",
    "check_paths",
    "check_source",
    "python_files",
    "rule_for",
]
