"""What a loaded source covers: files, format, months, areas and caveats.

Every loader returns one :class:`Coverage` beside its data so reports can print, in plain words,
exactly what the figures rest on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Coverage:
    """What one loaded source covers.

    Attributes
    ----------
    source : str
        Human name of the source, e.g. ``"MPS Borough Level Crime"``.
    format : str
        The layout recognised from the headers, e.g. ``"old (MajorText, MinorText,
        LookUp_BoroughName)"``.
    files : list of Path
        Every input file read, in the order read.
    first_month, last_month : str or None
        ``YYYY-MM`` of the first and last month covered (None for sources with no months).
    areas : int
        Number of areas (boroughs, wards, LSOAs) with data.
    caveats : list of str
        Plain-English notes an analyst must know (gaps, unattributed rows, overlaps, vintages).
    """

    source: str
    format: str
    files: list[Path] = field(default_factory=list)
    first_month: str | None = None
    last_month: str | None = None
    areas: int = 0
    caveats: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One sentence for a report's data section."""
        span = (
            f", {self.first_month} to {self.last_month}"
            if self.first_month and self.last_month
            else ""
        )
        names = ", ".join(p.name for p in self.files)
        return f"{self.source} ({self.format}{span}; {self.areas} areas) from {names}"

    def to_dict(self) -> dict:
        """JSON-ready form for ``manifest.json``, with a SHA-256 per file."""
        return {
            "source": self.source,
            "format": self.format,
            "files": [
                {"path": str(p), "sha256": sha256_of(p)} for p in self.files if Path(p).is_file()
            ],
            "first_month": self.first_month,
            "last_month": self.last_month,
            "areas": self.areas,
            "caveats": list(self.caveats),
        }
