"""Fixtures for the web app tests: real Gradio servers on free ports and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `import web` must find the web/ package at the repository root
    sys.path.insert(0, str(ROOT))

STAFF = ("staff", "s3cret-pw")  # the staff_app fixture's editor
READER = ("rita", "r3ader-pw")  # and its reader
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve_app() -> Iterator[Callable[..., str]]:
    """A function (assistant, *, host=, auth=, throttle=, max_body=, **build_app options) -> URL of that app
    (chat and JSON API) served in this process on a free port; closed after the test."""
    import web.app as app

    running = []

    def start(assistant, *, host: str = "127.0.0.1", **options) -> str:
        serve_options = {
            k: options.pop(k)
            for k in ("auth", "throttle", "max_body", "allowed_hosts", "behind_proxy")
            if k in options
        }
        demo = app.build_app(assistant, **options)
        server = app.serve(demo, host=host, port=0, **serve_options)
        running.append(server)
        return server.url

    yield start
    for server in running:
        server.close()


@pytest.fixture(scope="session")
def app_url(assistant) -> Iterator[str]:
    """The app on the session assistant, served in this process for the whole session."""
    import web.app as app

    server = app.serve(app.build_app(assistant), host="127.0.0.1", port=free_port())
    yield server.url
    server.close()


def chromium_paths() -> tuple[str | None, str | None]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else shutil.which("chromedriver")
    )
    return chromium, driver


@pytest.fixture
def make_browser(tmp_path) -> Iterator[Callable[..., object]]:
    """A function (width=1280, height=1000, mobile=False) -> headless Chromium with a fresh profile.

    Skips when no Chromium is installed, or fails under CI=true, where the browser is required.
    """
    chromium, chromedriver = chromium_paths()
    if not chromium or not chromedriver:
        reason = "chromium/chromedriver not installed; run: make browser"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    drivers = []

    def start(width: int = 1280, height: int = 1000, mobile: bool = False):
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={tmp_path / f'chromium-profile-{len(drivers)}'}")
        if mobile:  # headless windows cannot be narrower than 500px; emulate a phone instead
            metrics = {"width": width, "height": height, "pixelRatio": 2}
            options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
        else:
            options.add_argument(f"--window-size={width},{height}")
        driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(30)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.quit()


@pytest.fixture
def staff_app(small_index, embedder, tmp_path, monkeypatch):
    """The app with a login and the 报告管理 tab over small_index; (url, seeds, index_dir, uploads, desk)."""
    import web.app as app
    from qa import Assistant

    seeds, index_dir = small_index
    uploads = tmp_path / "gradio-uploads"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))  # Gradio's upload folder, read when it mounts
    assistant = Assistant.load(index_dir, embedder=embedder)
    demo = app.build_app(
        assistant,
        manage={"index_dir": index_dir, "embedder": embedder},
        feedback={"gold_file": tmp_path / "gold_feedback.jsonl"},  # accepted feedback: this test's own file
    )
    accounts = app.parse_auth(f"{STAFF[0]}:{STAFF[1]}, {READER[0]}:{READER[1]}:reader")
    server = app.serve(demo, host="127.0.0.1", port=0, auth=accounts)
    yield server.url, seeds, index_dir, uploads, demo.desk
    server.close()


def session_token(http: httpx.Client) -> str:
    """The login session token an httpx client holds after POST /login (what the desk's ledger keys on)."""
    return next(v for k, v in http.cookies.items() if k.startswith("access-token"))
