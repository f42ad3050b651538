"""The `union-qa` command: its subcommands are found through the `union_qa.commands` entry points."""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

GROUP = (
    "union_qa.commands"  # pyproject.toml registers ask and index (the library), serve (web/), eval (eval/)
)
HELP = {
    "ask": "answer a question (no question: a chat on stdin)   = python -m qa",
    "index": "build | stats | show PASSAGE_ID                     = python -m index",
    "serve": "the web chat (needs the [web] extra)               = python app.py",
    "eval": "the gold-set evaluation (needs the [eval] extra)   = python -m eval",
    "mcp": "the MCP server on stdio (needs the [mcp] extra)    = python -m qa.mcp_server",
}
EXTRA = {
    "serve": "web",
    "eval": "eval",
    "mcp": "mcp",
}  # the pyproject extra a command's dependencies come with


def commands() -> dict[str, EntryPoint]:
    """The registered subcommands by name."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def usage(found: dict[str, EntryPoint]) -> str:
    lines = [f"  {name:<7} {HELP.get(name, ep.value)}" for name, ep in sorted(found.items())]
    listed = "\n".join(lines) or "  (none: install the project, e.g. pip install -e .)"
    return (
        f"usage: union-qa COMMAND [ARGS]\n\ncommands:\n{listed}\n\n"
        "`union-qa COMMAND --help` lists a command's options; `union-qa --version` prints the version."
    )


def _load(ep: EntryPoint) -> Callable[[list[str]], int]:
    try:
        return ep.load()
    except ModuleNotFoundError as exc:
        raise SystemExit(
            f"error: `union-qa {ep.name}` needs {exc.name}, which is not installed; "
            f"install it with pip install 'union-reports-qa[{EXTRA.get(ep.name, 'dev')}]'"
        ) from exc


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    found = commands()
    if not args or args[0] in ("-h", "--help"):
        print(usage(found))
        return 0 if args else 2
    if args[0] == "--version":
        from . import __version__

        print(__version__)
        return 0
    command, rest = args[0], args[1:]
    if command not in found:
        choices = ", ".join(sorted(found)) or "none are installed"
        print(f"error: unknown command {command!r}; choose {choices}\n\n{usage(found)}", file=sys.stderr)
        return 2
    return int(_load(found[command])(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
