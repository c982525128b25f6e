"""One exception hierarchy for everything an analyst can get wrong.

Every message names the file (or parameter), the row or column, what was found and what was
expected, so the CLI can print it as one line without a traceback.
"""

from __future__ import annotations


class SlpError(Exception):
    """Base class: a problem the analyst can fix (bad input, bad parameters)."""

    exit_code = 2


class ParamsError(SlpError):
    """A parameters file or value is invalid."""


class SourceError(SlpError):
    """An input data file cannot be read or fails validation."""

    def __init__(self, source: str, path, message: str):
        self.source = source
        self.path = path
        name = getattr(path, "name", None) or (str(path) if path else "")
        where = f"'{name}' " if name else ""
        super().__init__(f"{source}: {where}{message}")


class CategoryMixError(SourceError):
    """Old title-case and new upper-case MPS categories were mixed without opting in."""


class NotebookError(SlpError):
    """A notebook failed while executing; names the notebook and the cell."""

    exit_code = 3
