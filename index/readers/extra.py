"""The optional packages a reader needs, imported with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import ReportReadError

# The pip extra of pyproject.toml that brings each reader's package.
READERS_EXTRA = "union-reports-qa[readers]"


def need(module: str, name: str, what: str) -> ModuleType:
    """`module` imported; ReportReadError naming the file, the package and the extra when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        package = module.split(".")[0]
        raise ReportReadError(
            f"{name}: reading {what} needs the package {package!r}, not installed here; "
            f'pip install "{READERS_EXTRA}"'
        ) from exc
