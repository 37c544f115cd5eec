"""The code-emission toolkit the compiler and the generators share.

- :class:`FileSet` / :class:`WriteReport` / :func:`remove_files`: generated files as a
  mapping, checked (no path outside the target), compared with what is on disk, and
  written atomically, all or nothing;
- :func:`environment`: the Jinja setup (``StrictUndefined``) of a package's templates;
- :func:`header`: the ``@generated`` header;
- :func:`format_python`: the one formatting step (``ruff format`` at its defaults);
- Python-source helpers: literals, docstring text, durations, import lines and blocks,
  all laid out for :data:`LINE_LENGTH` as ruff would write them.
"""

from flowkit._emit._fileset import FileSet, WriteReport, remove_files
from flowkit._emit._format import format_python
from flowkit._emit._header import header
from flowkit._emit._jinja import environment
from flowkit._emit._pysource import (
    LINE_LENGTH,
    Imports,
    define,
    import_from,
    isort_names,
    py_doc,
    py_duration,
    py_string,
    py_text,
    wrapped_string,
)
from flowkit._emit._write import atomic_write, write_all

__all__ = [
    "LINE_LENGTH",
    "FileSet",
    "Imports",
    "WriteReport",
    "atomic_write",
    "define",
    "environment",
    "format_python",
    "header",
    "import_from",
    "isort_names",
    "py_doc",
    "py_duration",
    "py_string",
    "py_text",
    "remove_files",
    "wrapped_string",
    "write_all",
]
