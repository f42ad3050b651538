"""pip installs the library (qa, index, the union-qa command) from the repository, usable from any directory.

Offline and quick: the new venv borrows this environment's installed dependencies through a .pth line,
and pip installs the project alone (--no-deps --no-build-isolation --no-index) from a copy of its files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd)}  # a fresh HOME: nothing is written to the real one
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, f"{args}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def test_pip_install_then_use_from_another_directory(tmp_path, index_dir):
    source = tmp_path / "src"  # what a clone holds; building here leaves the real checkout clean
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("qa", "index"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(
        run(
            str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path
        ).stdout.strip()
    )
    (site / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
        "--no-build-isolation", "--no-index", str(source), cwd=tmp_path,
    )  # fmt: skip

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = f"""
import json, qa, index, index.readers
a = qa.Assistant.load({str(index_dir)!r})
print(json.dumps({{"qa": qa.__file__, "index": index.__file__, "version": qa.__version__,
                  "answer": a.ask("南平工会组建率是多少").answer}}))
"""
    out = json.loads(run(str(python), "-c", code, cwd=elsewhere).stdout.strip().splitlines()[-1])
    assert out["qa"].startswith(str(site)) and out["index"].startswith(str(site))  # the installed copy
    assert out["answer"] == "95%以上"
    assert out["version"] == run(str(venv / "bin" / "union-qa"), "--version", cwd=elsewhere).stdout.strip()

    cli = run(
        str(venv / "bin" / "union-qa"),
        "ask",
        "南平工会组建率是多少",
        "--json",
        "--index-dir",
        str(index_dir),
        cwd=elsewhere,
    )
    assert json.loads(cli.stdout)["answer"] == "95%以上"
    stats = run(
        str(venv / "bin" / "union-qa"), "index", "stats", "--index-dir", str(index_dir), cwd=elsewhere
    )
    assert "passages" in stats.stdout
    assert not (source / "app.py").exists() and not list(site.glob("app*.py"))  # only the library
    listed = run(str(venv / "bin" / "union-qa"), "--help", cwd=elsewhere).stdout
    assert all(
        f"  {name} " in listed for name in ("ask", "index", "serve", "eval", "mcp")
    )  # found by entry point
