"""Save docs/screenshot.png: the web chat answering a real question, taken in headless Chromium.

Run: python -m tools.screenshot [--question 南平工会组建率是多少] [--out docs/screenshot.png]
Needs chromium and chromedriver (make browser) and a Chinese font (e.g. apt-get install fonts-wqy-microhei).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-dev-shm-usage"
).split()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", default="南平工会组建率是多少")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=1150)
    args = parser.parse_args(argv)

    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        print("error: chromium/chromedriver not found; run: make browser", file=sys.stderr)
        return 1

    sys.path.insert(0, str(ROOT))
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    import web.app as app
    from qa import Assistant

    demo = app.build_app(Assistant.load(index_dir=args.index_dir, build_if_missing=True, warm_up=True))
    server = app.serve(demo, port=0)
    url = server.url
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="screenshot-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={args.width},{args.height}")
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        driver.get(url)
        box = WebDriverWait(driver, 60).until(
            EC.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea"))
        )
        box.send_keys(args.question, Keys.ENTER)
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#chat .qa-reply"))
        driver.execute_script("window.scrollTo(0, 0); document.activeElement.blur();")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(args.out))
        print(f"saved {args.out}")
    finally:
        driver.quit()
        server.close()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
