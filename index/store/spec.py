"""Which store serves the index (FAISS in process, or Milvus at a URI): the one grammar for --store/--milvus-uri."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FAISS = "faiss"
MILVUS = "milvus"
KINDS = (FAISS, MILVUS)
SERVER_SCHEMES = ("http://", "https://", "tcp://", "grpc://")


@dataclass(frozen=True)
class StoreSpec:
    """kind: "faiss" (default) or "milvus"; uri: a Milvus Lite file (…/name.db) or a server (http://host:19530).

    token: a Milvus server's "user:password" or API key; None uses $QA_MILVUS_TOKEN (index.settings). It is
    never shown (repr), compared, or written to the manifest (to_dict).
    """

    kind: str = FAISS
    uri: str | None = None
    token: str | None = field(default=None, repr=False, compare=False)

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
        if self.kind == FAISS and self.token:
            raise ValueError("a Milvus token is only used with --store milvus --milvus-uri http://host:port")

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
    parser.add_argument(
        "--milvus-token-file",
        type=Path,
        default=None,
        help="a file holding the Milvus server's user:password or API key (default: $QA_MILVUS_TOKEN)",
    )


def read_token_file(path: Path) -> str:
    """The token in a file (its first line, stripped); ValueError naming the file when there is none."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"--milvus-token-file {path} cannot be read ({exc}); give a readable UTF-8 file"
        ) from exc
    token = lines[0].strip() if lines else ""
    if not token:
        raise ValueError(
            f"--milvus-token-file {path} is empty; write user:password (or the API key) on its first line"
        )
    return token


def store_from_args(args: argparse.Namespace) -> StoreSpec | None:
    """The StoreSpec the options ask for; None when none was given (use what the index was built with)."""
    token_file = getattr(args, "milvus_token_file", None)
    if args.store is None and args.milvus_uri is None:
        if token_file is not None:
            raise ValueError(
                "--milvus-token-file needs --store milvus --milvus-uri URI (or set QA_MILVUS_TOKEN instead)"
            )
        return None
    kind = args.store or (MILVUS if args.milvus_uri else FAISS)
    return StoreSpec(kind, args.milvus_uri, read_token_file(token_file) if token_file else None)
