"""jieba's dictionary as a build saves it (jieba.json): jieba's own, and read only when the index vouches for it."""

from __future__ import annotations

import json

import jieba

from index.manifest import MANIFEST, sha256_file
from index.text import normalise as textnorm
from index.text.normalise import JIEBA_TABLE


def _copy_with_table(index_dir, target, edit) -> None:
    """The index's manifest and jieba table in `target`, the table changed by `edit`, the manifest's sha256 kept."""
    target.mkdir()
    table = json.loads((index_dir / JIEBA_TABLE).read_text(encoding="utf-8"))
    edit(table)
    (target / JIEBA_TABLE).write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    (target / MANIFEST).write_text((index_dir / MANIFEST).read_text(encoding="utf-8"), encoding="utf-8")


def _vouch(folder) -> None:
    """Update the manifest's sha256 of the table, as if a build had written the changed table."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][JIEBA_TABLE]["sha256"] = sha256_file(folder / JIEBA_TABLE)
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_the_saved_table_is_jiebas_own_dictionary_and_is_read_only_as_built(index_dir, tmp_path):
    own = jieba.Tokenizer()
    own.initialize()
    assert textnorm._read_table(index_dir.resolve()) == (own.FREQ, own.total)

    def bump(table):
        table["freqs"][0] += 1

    changed = tmp_path / "changed"
    _copy_with_table(index_dir.resolve(), changed, bump)
    assert textnorm._read_table(changed) is None  # not the file the manifest lists: jieba loads its own
    _vouch(changed)
    word = next(iter(own.FREQ))
    assert textnorm._read_table(changed)[0][word] == own.FREQ[word] + 1  # listed: read as it is

    def other_jieba(table):
        table["jieba"] = "0.0"

    other = tmp_path / "other"
    _copy_with_table(index_dir.resolve(), other, other_jieba)
    _vouch(other)
    assert textnorm._read_table(other) is None  # made from another jieba's dictionary
    assert textnorm._read_table(tmp_path) is None  # no table at all
