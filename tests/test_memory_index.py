"""The translation memory's index (``.l10n/memory-<lang>.sqlite``) answers as the linear scan does."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import polib
import pytest
from support import REPO

from l10n.memory import index
from l10n.memory.lookup import load as load_linear
from l10n.po import read_catalog
from l10n.project import Project


def _benchmark():
    """benchmarks/memory_index.py, loaded by path: benchmarks/ on sys.path would shadow the `translate` package."""
    spec = importlib.util.spec_from_file_location("memory_index_benchmark", REPO / "benchmarks" / "memory_index.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _benchmark()


def _counting():
    seen = []

    def read(path):
        seen.append(Path(path))
        return read_catalog(path)

    return read, seen


def _same(indexed, linear, queries, threshold=85):
    assert len(indexed) == len(linear)
    for q in queries:
        assert indexed.lookup(q) == linear.lookup(q), q
        assert (q in indexed) == (q in linear)
        assert indexed.closest(q, threshold) == linear.closest(q, threshold), q


def test_sample_project_exact_and_similar_equal_the_linear_scan(sample):
    project = Project(sample)
    for lang in project.config.target_languages:
        linear = load_linear(project, lang)
        indexed = index.load(project, lang)
        assert isinstance(indexed, index.IndexedMemory)
        units = [row[0] for row in linear.rows()]
        edits = [u[:-1] + "x" for u in units] + [u.upper() for u in units] + ["", "a", "Hello"]
        _same(indexed, linear, units + edits)
        _same(indexed, linear, edits, threshold=60)
        assert index.index_path(project, lang).is_file()


@pytest.fixture
def generated(tmp_path):
    return bench.make_project(tmp_path / "gen", 3000, 12, seed=5)


def test_generated_memory_of_edited_sentences_equals_the_linear_scan(generated):
    project, units, german = generated
    # the same unit translated twice, differently: precedence across catalogs
    bench.write_catalog(project.catalog_path("fr", "zz-dup"),
                        [(units[0], "autre"), (units[1], bench.translation(units[1]))])
    queries = [german.edit(german.rng.choice(units)) for _ in range(400)] + german.sentences(100) + units[:50]
    queries += ["Die.", "Das ist so.", "2024", "und und und", "x" * 300,  # no word, common words only, long
                " ".join(german.sentences(150)), " ".join(f"w{n}" for n in range(1200))]  # more words than SQLite binds
    _same(index.load(project, "fr"), load_linear(project, "fr"), queries)
    _same(index.load(project, "fr"), load_linear(project, "fr"), queries[:100], threshold=60)


def test_recall_against_the_scan_is_at_least_99_percent_on_a_larger_memory(tmp_path):
    """Candidates come from the postings of rare words: measured, not guaranteed, to find the scan's match."""
    project, units, german = bench.make_project(tmp_path / "big", 10_000, 40, seed=8)
    indexed, linear = index.load(project, "fr"), load_linear(project, "fr")
    queries = [german.edit(german.rng.choice(units)) for _ in range(300)] + german.sentences(50)
    found = [(indexed.closest(q, 85), linear.closest(q, 85)) for q in queries]
    matched = [(mine, theirs) for mine, theirs in found if theirs is not None]
    assert len(matched) > 200
    assert sum(mine == theirs for mine, theirs in matched) >= 0.99 * len(matched)
    assert all(theirs is not None for mine, theirs in found if mine is not None)  # never one the scan lacks


def test_only_the_changed_catalog_is_read_again_and_deleted_ones_disappear(generated):
    project, units, _german = generated
    read, seen = _counting()
    assert len(index.load(project, "fr", read=read).reread) == 12 and len(seen) == 12
    seen.clear()
    memory = index.load(project, "fr", read=read)
    assert seen == [] and memory.reread == []
    changed = project.catalog_path("fr", "a00003")
    po = polib.pofile(str(changed))
    first = po[0].msgid
    po[0].msgstr = "changé"
    po.save(str(changed))
    memory = index.load(project, "fr", read=read)
    assert seen == [changed]
    assert memory.lookup(first).msgstr == "changé"
    _same(memory, load_linear(project, "fr"), [first, units[0]])
    gone = project.catalog_path("fr", "a00000")
    lost = polib.pofile(str(gone))[0].msgid
    gone.unlink()
    memory = index.load(project, "fr")
    assert memory.lookup(lost) is None and lost not in memory
    assert len(memory) == len(load_linear(project, "fr"))


def test_damaged_or_older_index_is_rebuilt(generated):
    project, units, _german = generated
    index.load(project, "fr").close()
    path = index.index_path(project, "fr")
    path.write_bytes(b"this is not a database" * 100)
    memory = index.load(project, "fr")
    assert isinstance(memory, index.IndexedMemory) and len(memory.reread) == 12
    assert memory.lookup(units[5]).msgstr == bench.translation(units[5])
    memory._con.execute(f"PRAGMA user_version = {index.SCHEMA + 1}")
    memory.close()
    memory = index.load(project, "fr")
    assert len(memory.reread) == 12 and len(memory) == len(units)


def test_the_imported_memory_comes_after_the_catalogs(generated):
    project, units, _german = generated
    from l10n.memory.tmx import Pair, memory_path, tmx_bytes

    path = memory_path(project, "fr")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tmx_bytes([Pair(units[0], "importé", "x.tmx"), Pair("Only imported here.", "seul", "")],
                               "de", "fr"))
    memory = index.load(project, "fr")
    _same(memory, load_linear(project, "fr"), [units[0], "Only imported here.", "Only imported here!"])
    assert memory.lookup("Only imported here.").msgstr == "seul"
    path.unlink()
    assert index.load(project, "fr").lookup("Only imported here.") is None


def test_damage_found_during_a_lookup_is_one_line_and_the_index_is_rebuilt_next_time(sample):
    import sqlite3

    from l10n.errors import L10nError

    project = Project(sample)
    memory = index.load(project, "en")
    title = next(e.msgid for e in read_catalog(sample / "locales" / "en" / "LC_MESSAGES" /
                                               "open-source-ki-deepseek.po") if e.msgstr)
    assert memory.lookup(title) is not None
    with sqlite3.connect(memory.path) as other:  # damage it behind the open index's back
        other.execute("DROP TABLE units")
    with pytest.raises(L10nError) as info:
        memory.lookup(title)
    assert str(info.value).startswith(f"{memory.path}: the translation memory index is damaged")
    assert not memory.path.exists()
    assert index.load(project, "en").lookup(title) is not None  # rebuilt


def test_a_file_is_hashed_again_unless_its_size_and_mtime_held_since_long_before_it_was_hashed(generated):
    import os

    project, _units, _german = generated
    path = project.catalog_path("fr", "a00004")
    same_size = path.read_text(encoding="utf-8").replace('msgstr "FR ', 'msgstr "FX ', 1)
    stat = path.stat()
    index.load(project, "fr").close()  # hashed just after its mtime: a change keeping size and mtime is seen
    path.write_text(same_size, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert index.load(project, "fr").reread == [path]
    hour_ago = stat.st_mtime_ns - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))
    assert index.load(project, "fr").reread == []  # same bytes: hashed, not read
    path.write_text(same_size.replace('msgstr "FX ', 'msgstr "FY ', 1), encoding="utf-8")
    os.utime(path, ns=(hour_ago, hour_ago))
    assert index.load(project, "fr").reread == []  # settled: size and mtime are trusted, as make and git do
    os.utime(path)
    memory = index.load(project, "fr")
    assert memory.reread == [path] and memory.lookup(polib.pofile(str(path))[0].msgid).msgstr.startswith("FY ")
