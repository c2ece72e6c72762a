"""Bounded memory: what extract keeps per file or article lives in SQLite, not in Python objects.

The staged files of a :class:`~l10n.fsutil.Batch`, the last-look records
of a :class:`~l10n.store.Staging` and extract's record of what it saw
(``.l10n/extract-cache.sqlite``) are rows of databases; the tests measure
Python's own allocations (tracemalloc counts those exactly, on any
machine) while thousands of files are staged, and check that the safety
properties hold with the records out of memory. (The peak of a whole
extract is measured as a whole process, at corpus sizes: at test sizes it
is ruled by bounded caches that are still filling.)
"""

from __future__ import annotations

import tracemalloc

import polib
from support import run_l10n


def _catalog(msgstr: str = "") -> bytes:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    po.append(polib.POEntry(msgid="Hallo Welt", msgstr=msgstr))
    return str(po).encode("utf-8")


def _growth(stage, first: int, more: int) -> float:
    """Bytes of Python memory kept per item once ``first`` items more than ``first + more`` are staged.

    Not counted: the table of names that CPython's pathlib interns, which
    grows with every name it has seen, whoever keeps the paths.
    """
    tracemalloc.start()
    try:
        stage(range(first))
        before = tracemalloc.take_snapshot()
        stage(range(first, first + more))
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    interning = [tracemalloc.Filter(False, "*pathlib.py"), tracemalloc.Filter(False, tracemalloc.__file__)]
    kept = after.filter_traces(interning).compare_to(before.filter_traces(interning), "filename")
    return sum(stat.size_diff for stat in kept) / more


def test_a_batch_keeps_no_python_object_per_staged_file(tmp_path):
    from l10n.fsutil import Batch

    with Batch() as batch:
        per_file = _growth(lambda numbers: [batch.stage(tmp_path / f"f{i}.txt", b"x") for i in numbers], 50, 1500)
        batch.sync()
        batch.commit()
        renamed = list(batch.renamed())
    assert per_file < 16, per_file  # a path object alone is several hundred bytes
    assert len(renamed) == 1550 and renamed[0] == tmp_path / "f0.txt"
    assert all(p.read_bytes() == b"x" for p in renamed)


def test_staging_keeps_one_rebase_and_no_record_per_catalog(tmp_path):
    from l10n import store

    calls = []

    def rebase(current, lang, slug):
        calls.append((lang, slug, current.find("Hallo Welt").msgstr))
        return _catalog("ours, merged")

    def stage(numbers):
        for i in numbers:
            path = tmp_path / f"c{i}.po"
            staging.change(path, store.read(path).seen, _catalog("ours"), rebase, "en", f"c{i}")

    for i in range(2050):
        (tmp_path / f"c{i}.po").write_bytes(_catalog())
    with store.Staging(tmp_path) as staging:
        per_file = _growth(stage, 50, 2000)
        (tmp_path / "c7.po").write_bytes(_catalog("a translator's"))  # saved while the run went on
        staging.commit()
        merged = list(staging.merged())
        written = list(staging.written())
        seen = staging.seen(tmp_path / "c7.po")
    assert per_file < 16, per_file
    assert calls == [("en", "c7", "a translator's")]
    assert merged == [tmp_path / "c7.po"] and len(written) == 2050
    assert (tmp_path / "c7.po").read_bytes() == _catalog("ours, merged")
    assert seen == store.read(tmp_path / "c7.po").seen  # the file as it now is, as translate relies on


def test_a_file_restaged_at_its_last_look_keeps_its_place_and_the_undo_covers_all(tmp_path):
    from l10n.errors import L10nError
    from l10n.fsutil import Batch

    for name in "abc":
        (tmp_path / name).write_bytes(b"old")
    order = []
    with Batch() as batch:
        for name in "abc":
            batch.stage(tmp_path / name, b"new")

        def before(path):
            order.append(path.name)
            if path.name == "b":
                batch.stage(path, b"newer")
            if path.name == "c":
                raise L10nError("c: stop")

        try:
            batch.commit(before)
        except L10nError:
            pass
    assert order == ["a", "b", "c"]
    assert [(tmp_path / name).read_bytes() for name in "abc"] == [b"old"] * 3  # undone, all of them
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "c"]  # no temporary, no backup left


def test_extract_state_is_a_cache_keyed_by_the_files(sample):
    run_l10n("extract", cwd=sample)
    cache = sample / ".l10n" / "extract-cache.sqlite"
    assert cache.is_file()
    assert "0 files written" in run_l10n("extract", cwd=sample).stdout

    po_path = next((sample / "locales" / "en" / "LC_MESSAGES").glob("*.po"))
    po = polib.pofile(str(po_path))
    removed = po[0].msgid
    po.remove(po[0])
    po.save(str(po_path))  # a translator removed an entry: the article is extracted again, not skipped
    run_l10n("extract", cwd=sample)
    assert polib.pofile(str(po_path)).find(removed) is not None

    cache.write_bytes(b"not a database")  # a damaged cache only means the work is done again
    out = run_l10n("extract", cwd=sample).stdout
    assert "0 files written" in out
    assert "0 files written" in run_l10n("extract", cwd=sample).stdout
    assert cache.read_bytes()[:16] == b"SQLite format 3\x00"


def test_after_save_each_tracked_catalog_is_the_file_as_it_now_is(tmp_path):
    """translate saves the same catalog again and again: no save may take its own earlier one for a person's."""
    from l10n import store

    path = tmp_path / "c.po"
    path.write_bytes(_catalog())
    tracked = store.read(path)
    calls = []

    def rebase(current):
        calls.append(current)
        return None

    store.save(tmp_path, [store.Change(tracked, _catalog("first"), rebase)])
    assert tracked.seen == store.read(path).seen
    saved = store.save(tmp_path, [store.Change(tracked, _catalog("second"), rebase)])
    assert calls == [] and saved.merged == [] and saved.written == [path]
    assert tracked.seen == store.read(path).seen and path.read_bytes() == _catalog("second")
