"""The `union-qa` command: ask, index, serve and eval, each the project's own command line under one name."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

USAGE = """usage: union-qa COMMAND [ARGS]

commands:
  ask     answer a question (no question: a chat on stdin)   = python -m qa
  index   build | stats | show PASSAGE_ID                     = python -m index
  serve   the web chat (needs [web] and a checkout: app.py)   = python app.py
  eval    the gold-set evaluation (needs [eval], a checkout)  = python -m eval

`union-qa COMMAND --help` lists a command's options; `union-qa --version` prints the version."""


def _checkout_main(module: str, what: str) -> Callable[[list[str]], int]:
    """main() of a module that lives in the repository, not in the installed packages (app.py, eval/)."""
    try:
        return __import__(module, fromlist=["main"]).main
    except ModuleNotFoundError as exc:
        here = Path.cwd()
        if exc.name not in (module.split(".")[0], module) or not (here / "app.py").is_file():
            raise SystemExit(
                f"error: `union-qa {what}` runs from a checkout of the repository ({module} is not installed "
                f"with the library): cd into it and run it again, or use `make run` / `make eval` there"
            ) from exc
        sys.path.insert(0, str(here))  # a checkout: its app.py and eval/ sit beside qa/ and index/
        return __import__(module, fromlist=["main"]).main


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    if args[0] == "--version":
        from . import __version__

        print(__version__)
        return 0
    command, rest = args[0], args[1:]
    if command == "ask":
        from .__main__ import main as run
    elif command == "index":
        from index.__main__ import main as run
    elif command == "serve":
        run = _checkout_main("app", "serve")
    elif command == "eval":
        run = _checkout_main("eval.__main__", "eval")
    else:
        print(
            f"error: unknown command {command!r}; choose ask, index, serve or eval\n\n{USAGE}",
            file=sys.stderr,
        )
        return 2
    return int(run(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
