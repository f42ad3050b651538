"""A logged-in user may name only files that login uploaded: the /etc/passwd exploit against a real server,
another login's upload, a /file= URL; nothing named is read or copied before the refusal."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from tests.web.conftest import STAFF
from web.uploads import UploadLedger, named_files

OTHER = ("other", "an0ther-pw")


def _login(http: httpx.Client, url: str, account: tuple[str, str]) -> str:
    assert http.post(f"{url}login", data={"username": account[0], "password": account[1]}).status_code == 200
    return next(v for k, v in http.cookies.items() if k.startswith("access-token"))


def _event(http: httpx.Client, url: str, elem_id: str, trigger: str) -> tuple[int, int]:
    """(fn_index, trigger id) of the event `trigger` of the component with this elem_id, read from /config."""
    config = http.get(f"{url}config").json()
    component = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)
    for fn_index, dep in enumerate(config["dependencies"]):
        if [component, trigger] in [list(t) for t in dep["targets"]]:
            return dep.get("id", fn_index), component
    raise AssertionError(f"no {trigger} event on #{elem_id}")


def _join(http: httpx.Client, url: str, fn_index: int, trigger: int, data: list) -> httpx.Response:
    body = {
        "data": data,
        "fn_index": fn_index,
        "trigger_id": trigger,
        "session_hash": "probe",
        "event_data": None,
    }
    return http.post(f"{url}gradio_api/queue/join", json=body)


def _file(path: str) -> dict:
    return {"path": path, "meta": {"_type": "gradio.FileData"}}


def test_a_logged_in_user_cannot_make_the_server_read_a_file_it_did_not_upload(staff_app, tmp_path):
    url, seeds, index_dir, uploads, desk = staff_app
    secret = tmp_path / "secret.txt"
    secret.write_text("南平市总工会机密口令 canary-7f3a\n" * 20, encoding="utf-8")
    manifest = (index_dir / "manifest.json").read_bytes()
    with httpx.Client(timeout=60) as staff, httpx.Client(timeout=60) as other:
        _login(staff, url, STAFF)
        read_step = _event(staff, url, "report-file", "upload")
        add_step = _event(staff, url, "report-add", "click")
        # The probe's exploit: the read step and the add step with /etc/passwd and with a file outside.
        for target in ("/etc/passwd", str(secret), f"{uploads}/../{secret.name}", "http://127.0.0.1:1/x"):
            refused = _join(staff, url, *read_step, [_file(target)])
            assert refused.status_code == 403, (target, refused.text)
            assert "not one of your uploads" in refused.json()["error"]
            refused = _join(staff, url, *add_step, [_file(target), "标题", "南平", "2021", None])
            assert refused.status_code == 403, (target, refused.text)
        # A file another login uploaded is not this one's either, nor is a /file= URL of it.
        _login(other, url, STAFF)  # same account, another login session
        stored = staff.post(f"{url}gradio_api/upload", files={"files": ("r.txt", "南平市总工会".encode())})
        assert stored.status_code == 200
        mine = stored.json()[0]
        assert _join(other, url, *read_step, [_file(mine)]).status_code == 403
        assert other.get(f"{url}gradio_api/file={mine}").status_code == 403
        assert _join(staff, url, *read_step, [_file(mine)]).status_code == 200
    # Nothing named was read: no copy of the secret anywhere in Gradio's folder, the index unchanged.
    # os.walk skips a folder the server removes while it is walked (rglob raised FileNotFoundError once in CI).
    copies = [
        Path(root) / name
        for root, _, names in os.walk(uploads)
        for name in names
        if _holds(Path(root) / name, b"canary-7f3a")
    ]
    assert not copies
    assert (index_dir / "manifest.json").read_bytes() == manifest
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == ["001_nanping.txt"]


def _holds(path: Path, secret: bytes) -> bool:
    """Whether a file of Gradio's folder holds the secret; the server may remove its own uploads meanwhile."""
    try:
        return path.is_file() and secret in path.read_bytes()
    except FileNotFoundError:
        return False


def test_the_desk_reads_only_the_logins_own_uploads(staff_app):
    url, _, _, uploads, desk = staff_app
    with httpx.Client(timeout=60) as staff:
        token = _login(staff, url, STAFF)
        stored = staff.post(
            f"{url}gradio_api/upload", files={"files": ("r.txt", "南平市总工会".encode())}
        ).json()[0]
    assert desk.inspect({"path": stored}, "someone-else")[1].startswith("⚠️")
    assert desk.inspect({"path": "/etc/passwd"}, token)[1].startswith("⚠️")
    assert not desk.inspect({"path": stored}, None)[0]


def test_the_ledger_keeps_paths_inside_the_upload_folder_per_login(tmp_path):
    ledger = UploadLedger(tmp_path / "up")
    (tmp_path / "up" / "a").mkdir(parents=True)
    mine = tmp_path / "up" / "a" / "r.txt"
    mine.write_text("x")
    ledger.record("t1", mine)
    ledger.record("t1", "/etc/passwd")  # outside: never recorded
    assert ledger.owns("t1", str(mine)) and ledger.owns("t1", tmp_path / "up" / "a" / ".." / "a" / "r.txt")
    assert (
        not ledger.owns("t2", mine) and not ledger.owns(None, mine) and not ledger.owns("t1", "/etc/passwd")
    )
    link = tmp_path / "up" / "link"
    link.symlink_to("/etc/passwd")
    assert not ledger.owns("t1", link)
    ledger.forget(mine)
    assert not ledger.owns("t1", mine)
    named = named_files({"data": [{"path": "/a", "meta": {"_type": "gradio.FileData"}}, [{"path": "/b"}], 3]})
    assert sorted(named) == ["/a", "/b"]
    assert list(named_files({"data": [{"meta": {"_type": "gradio.FileData"}, "url": "http://x/"}]})) == [None]


def test_a_bogus_fn_index_is_a_400_without_a_traceback(staff_app, caplog):
    url = staff_app[0]
    with httpx.Client(timeout=30) as staff:
        _login(staff, url, STAFF)
        for bogus in (9999, -1, "0", True, None, 1.5):
            body = {"data": [], "fn_index": bogus, "session_hash": "probe", "event_data": None}
            for route in ("gradio_api/queue/join", "gradio_api/run/predict"):
                reply = staff.post(f"{url}{route}", json=body)
                assert reply.status_code == 400 and "fn_index" in reply.json()["error"], (
                    bogus,
                    route,
                    reply.text,
                )
    assert "Traceback" not in caplog.text


def test_reading_and_adding_an_upload_report_page_n_of_m_and_passages_embedded(staff_app, tmp_path):
    from tests import documents as docs
    from web.reports import running_line

    url, _, _, _, desk = staff_app
    title, paragraphs = docs.long_report(place="福鼎市", pages=3)
    pdf = docs.make_pdf(tmp_path / "fuding.pdf", title=title, paragraphs=paragraphs)
    with httpx.Client(timeout=60) as staff:
        token = _login(staff, url, STAFF)
        stored = staff.post(f"{url}gradio_api/upload", files={"files": (pdf.name, pdf.read_bytes())}).json()[
            0
        ]
    steps: list[tuple] = []
    inferred, _ = desk.inspect({"path": stored}, token, progress=lambda *s: steps.append(s))
    pages = [s for s in steps if s[0] == "page"]
    assert pages and pages[-1] == ("page", len(pages), len(pages), "fuding.pdf") and len(pages) >= 2
    steps.clear()
    seen: list[str] = []  # what a page opened during the add shows, at each step

    def step(*s: object) -> None:
        steps.append(s)
        seen.append(running_line(desk))

    note = desk.add({"path": stored}, inferred, inferred, token, progress=step)
    assert note.startswith("已添加"), note
    assert f"正在添加 fuding.pdf：读取第 {len(pages)}/{len(pages)} 页" in "\n".join(seen)
    assert any("已嵌入" in line for line in seen) and running_line(desk) == ""  # nothing once it is done
    assert ("page", len(pages), len(pages), "fuding.pdf") in steps
    embedded = [s for s in steps if s[0] == "embed"]
    assert embedded and embedded[-1][1] == embedded[-1][2] > 0
