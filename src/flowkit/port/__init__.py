"""Porting Restack code to flowkit: :func:`port_project` (``flowkit port``).

:data:`MODULES` and :data:`NAMES` say where each ``restack_ai`` module and name lives in
flowkit; :data:`DIFFERENCES` lists every way flowkit differs, with its reason (the table
in docs/sdk.md).
"""

from flowkit.port._codemod import PortError, PortReport, Unported, port_project, port_source
from flowkit.port._differences import DIFFERENCES, Difference, differences_table
from flowkit.port._mapping import MODULES, NAMES, flowkit_name

__all__ = [
    "DIFFERENCES",
    "MODULES",
    "NAMES",
    "Difference",
    "PortError",
    "PortReport",
    "Unported",
    "differences_table",
    "flowkit_name",
    "port_project",
    "port_source",
]
