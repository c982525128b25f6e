"""Reading a parameters file's text and YAML strictly: any text encoding an editor saves, binary
refused in one line, a key given twice an error (plain YAML keeps the last one silently)."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import yaml

from slp.errors import ParamsError


class DuplicateKey(Exception):
    def __init__(self, key: object, line: int, first: int):
        super().__init__(key, line, first)
        self.key, self.line, self.first = key, line, first


class StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (YAML keeps the last)."""


def _mapping_once(loader: StrictLoader, node: yaml.MappingNode) -> dict:
    seen: dict[object, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            continue  # PyYAML itself refuses such a key, with its line
        if key in seen:
            raise DuplicateKey(key, key_node.start_mark.line + 1, seen[key])
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=True)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_once)


def text(file: Path, origin: str) -> str:
    """The file's text: UTF-8 (with or without a BOM), UTF-16 with a BOM, or Windows-1252 (what
    Notepad and Excel save); binary content is refused in one line."""
    data = file.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" not in data[:65536]:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ParamsError(f"{origin}: is not a text file (found binary data); expected a YAML "
                      "parameters file such as params/demo.yaml, saved as text")
