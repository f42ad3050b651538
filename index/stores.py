"""Which store serves the index (FAISS in process, or Milvus at a URI): the one grammar for --store/--milvus-uri."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FAISS = "faiss"
MILVUS = "milvus"
KINDS = (FAISS, MILVUS)
SERVER_SCHEMES = ("http://", "https://", "tcp://", "grpc://")


@dataclass(frozen=True)
class StoreSpec:
    """kind: "faiss" (default) or "milvus"; uri: a Milvus Lite file (…/name.db) or a server (http://host:19530)."""

    kind: str = FAISS
    uri: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"store {self.kind!r} is unknown; choose one of {', '.join(KINDS)}")
        if self.kind == MILVUS and not self.uri:
            raise ValueError(
                "--store milvus needs --milvus-uri: a Milvus Lite file such as ./milvus.db, "
                "or a server such as http://localhost:19530"
            )
        if self.kind == MILVUS and not self.is_server and not str(self.uri).endswith(".db"):
            raise ValueError(
                f"--milvus-uri {self.uri}: a Milvus Lite file must end in .db (pymilvus opens only those "
                "in process); for a server give http://host:port"
            )
        if self.kind == FAISS and self.uri:
            raise ValueError(f"--milvus-uri {self.uri} is only used with --store milvus")

    @property
    def is_server(self) -> bool:
        return str(self.uri or "").startswith(SERVER_SCHEMES)

    @property
    def resolved_uri(self) -> str | None:
        """The URI as recorded in the manifest: a Lite file as an absolute path, so any working directory finds it."""
        if self.uri is None or self.is_server:
            return self.uri
        return str(Path(self.uri).expanduser().resolve())

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "uri": self.resolved_uri}


def manifest_store(manifest: dict[str, Any]) -> StoreSpec:
    """The store an index was built into (manifests without a "store" block are FAISS)."""
    block = manifest.get("store") or {}
    return StoreSpec(block.get("kind", FAISS), block.get("uri"))


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """--store and --milvus-uri, the same on every command."""
    parser.add_argument(
        "--store",
        choices=KINDS,
        default=None,
        help="where vectors and the keyword index live (default: what the index was built with, else faiss)",
    )
    parser.add_argument(
        "--milvus-uri",
        default=None,
        help="with --store milvus: a Milvus Lite file (./milvus.db) or a server (http://localhost:19530)",
    )


def store_from_args(args: argparse.Namespace) -> StoreSpec | None:
    """The StoreSpec the options ask for; None when neither was given (use what the index was built with)."""
    if args.store is None and args.milvus_uri is None:
        return None
    kind = args.store or (MILVUS if args.milvus_uri else FAISS)
    return StoreSpec(kind, args.milvus_uri)
