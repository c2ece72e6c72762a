"""Small commands start fast: status and check import only what they need and keep their results per catalog.

The caches (``.l10n/status-cache.sqlite``, ``.l10n/check-cache.sqlite``) may
only save time: every answer is the one worked out afresh.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing, redirect_stdout
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from support import configure, run_l10n, snapshot

from l10n.cli.app import _plain_table, _rich_table
from l10n.cli.articles import _json_findings
from l10n.qa.registry import Finding

MD = "ki-regulierung-europa"
TXT = "open-source-ki-deepseek"
# Never imported by a command that does not translate (the design's "fast start").
ENGINE = {"ctranslate2", "torch", "stanza", "argostranslate", "sentencepiece"}
# Libraries a command loads only where it uses them (sqlite3, 4 ms, keeps the caches).
LAZY = {"pydantic", "rich", "markdown_it", "mdit_py_plugins", "lxml", "jinja2", "num2words", "rapidfuzz"}


def _imported(project: Path, *args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "l10n", *args], cwd=project,
                          env=dict(os.environ, PYTHONUTF8="1"), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}


def test_status_and_check_import_only_what_they_need(sample: Path):
    run_l10n("extract", cwd=sample)  # a project that has been worked on: its .l10n/ folder exists
    for command in (["status"], ["status", "--lang", "en"], ["check"], ["check", "--json", "-l", "en", "-a", MD]):
        first = _imported(sample, *command)  # works everything out, and fills the cache
        assert not first & (ENGINE | {"pydantic", "rich", "lxml", "jinja2", "rapidfuzz"}), command
        again = _imported(sample, *command)
        assert not again & (ENGINE | LAZY), (command, again & (ENGINE | LAZY))
        if command[0] == "status":
            assert "polib" not in again, command  # counts from the cache: no catalog parsed


def _catalog(project: Path, slug: str) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"


def _fresh(project: Path, *args: str) -> tuple[int, str]:
    """What the command says in a copy of ``project`` without its caches."""
    copy = project.parent / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("*-cache.sqlite*"))
    proc = run_l10n(*args, cwd=copy, check=False)
    return proc.returncode, proc.stdout


def _rows(project: Path, name: str) -> int:
    """How many catalogs the cache ``name`` holds a result for."""
    with closing(sqlite3.connect(project / ".l10n" / f"{name}-cache.sqlite")) as db:
        return db.execute("SELECT count(*) FROM results").fetchone()[0]


def _same_as_fresh(project: Path, *args: str) -> str:
    proc = run_l10n(*args, cwd=project, check=False)
    assert (proc.returncode, proc.stdout) == _fresh(project, *args), args
    return proc.stdout


def test_status_counts_come_from_the_cache_only_while_the_catalog_is_the_same(sample: Path):
    run_l10n("extract", cwd=sample)
    first = _same_as_fresh(sample, "status")
    assert _rows(sample, "status")
    assert _same_as_fresh(sample, "status") == first

    # the same size and modification time, other bytes: a word less (a space made a hyphen)
    catalog = _catalog(sample, TXT)
    stat = catalog.stat()
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgid "Was bedeutet', 'msgid "Was-bedeutet', 1), encoding="utf-8")
    os.utime(catalog, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert catalog.stat().st_size == stat.st_size
    changed = _same_as_fresh(sample, "status")
    assert changed != first and "890" in changed

    # a damaged cache file is ignored and replaced
    (sample / ".l10n" / "status-cache.sqlite").write_bytes(b'{"version": [\xff')
    assert _same_as_fresh(sample, "status") == changed
    assert _rows(sample, "status") == 2


def test_check_findings_come_from_the_cache_only_while_nothing_they_depend_on_changed(sample: Path):
    run_l10n("extract", cwd=sample)
    assert _same_as_fresh(sample, "check") == "No problems found.\n"
    assert _rows(sample, "check") == 2

    # the catalog: a number of the source dropped from a translation
    catalog = _catalog(sample, TXT)
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("5.6 million", "many", 1), encoding="utf-8")
    found = _same_as_fresh(sample, "check")
    assert "5,6 Millionen" in found and found == _same_as_fresh(sample, "check")

    # the settings: a glossary term the translations do not keep
    configure(sample, "markdown:\n  front_matter: [title]\n")
    _same_as_fresh(sample, "check")
    text = (sample / "l10n.yaml").read_text(encoding="utf-8")
    (sample / "l10n.yaml").write_text(text.replace("    - Nvidia\n", "    - Nvidia\n    - Regierung\n"),
                                      encoding="utf-8")
    _same_as_fresh(sample, "check")

    # the article: the structure check reads it
    article = sample / "source" / f"{MD}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("\n\n", "\n\n> ", 3), encoding="utf-8")
    _same_as_fresh(sample, "check")
    _same_as_fresh(sample, "check", "--json")

    # reviewed entries only (publish --check) is another result than every translated entry
    entries = catalog.read_text(encoding="utf-8").split("\n\n")
    changed = next(i for i, entry in enumerate(entries) if "many" in entry)
    entries[changed] = entries[changed].replace("\nmsgid ", "\n#, fuzzy\nmsgid ", 1)
    catalog.write_text("\n\n".join(entries), encoding="utf-8")
    run_l10n("publish", "--check", cwd=sample, check=False)
    _same_as_fresh(sample, "check")

    (sample / ".l10n" / "check-cache.sqlite").write_text('{"version": "x", "entries": 3}', encoding="utf-8")
    _same_as_fresh(sample, "check")
    assert _rows(sample, "check") == 2


def test_a_damaged_cache_database_is_ignored_and_replaced(sample: Path):
    run_l10n("extract", cwd=sample)
    catalog = _catalog(sample, TXT)
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("5.6 million", "many", 1), encoding="utf-8")
    for name in ("status", "check"):
        first = _same_as_fresh(sample, name)
        cache = sample / ".l10n" / f"{name}-cache.sqlite"
        data = cache.read_bytes()  # the header kept, every page after it garbage
        cache.write_bytes(data[:100] + bytes(range(256)) * ((len(data) - 100) // 256 + 1))
        assert _same_as_fresh(sample, name) == first
        assert _same_as_fresh(sample, name) == first
        assert _rows(sample, name) == 2


def test_a_cache_another_run_is_writing_only_saves_nothing(sample: Path):
    run_l10n("extract", cwd=sample)
    run_l10n("check", cwd=sample)
    catalog = _catalog(sample, TXT)
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("5.6 million", "many", 1), encoding="utf-8")
    with closing(sqlite3.connect(sample / ".l10n" / "check-cache.sqlite")) as other:
        other.execute("BEGIN IMMEDIATE")  # holds the write lock: this run cannot store its findings
        found = _same_as_fresh(sample, "check")
        assert "5,6 Millionen" in found
    assert _same_as_fresh(sample, "check") == found


_TEXT = st.text(st.sampled_from('a\n"\\\t„é漢\x00\u2028'), max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.builds(Finding, _TEXT, st.integers(0, 10**6), _TEXT, _TEXT, st.sampled_from(["error", "warning"]),
                          _TEXT, _TEXT), max_size=4))
def test_findings_streamed_as_json_are_the_bytes_of_json_dumps(findings):
    out = io.StringIO()
    with redirect_stdout(out):
        errors = _json_findings(iter(findings))
    assert out.getvalue() == json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"
    assert errors == sum(f.severity == "error" for f in findings)


def test_without_a_state_folder_status_and_check_write_nothing(sample: Path):
    before = snapshot(sample)
    run_l10n("status", cwd=sample)
    run_l10n("check", cwd=sample)
    assert snapshot(sample) == before


def test_a_damaged_catalog_is_an_error_with_a_cache_too(sample: Path):
    run_l10n("extract", cwd=sample)
    run_l10n("status", cwd=sample)
    run_l10n("check", cwd=sample)
    catalog = _catalog(sample, TXT)
    catalog.write_bytes(catalog.read_bytes() + b'\nmsgid "x"\nmsgstr "y\n')
    for command in ("status", "check"):
        proc = run_l10n(command, cwd=sample, check=False)
        assert proc.returncode == 1 and proc.stderr.startswith("l10n: error: locales/en/LC_MESSAGES/"), proc.stderr


def test_options_are_still_checked_as_typer_checks_them(sample: Path):
    proc = run_l10n("status", "--least-confident", "0", cwd=sample, check=False)
    assert proc.returncode == 2 and "--least-confident" in proc.stderr
    assert run_l10n("status", "--least-confident", "3", cwd=sample).stdout == "No unreviewed machine suggestions.\n"
    proc = run_l10n("check", "--lang", "xx", cwd=sample, check=False)
    assert proc.returncode == 1 and "'xx' is not a target language" in proc.stderr
    assert run_l10n("-C", str(sample), "check", "-a", MD, "-l", "en", cwd=sample.parent).stdout == \
        "No problems found.\n"


# ------------------------------------------------------------------ tables

# mostly plain cells, now and then one that rich must print (wide, combining, control, white space at an end)
_CELL = st.one_of(st.text(st.sampled_from("ab Z9.,-%„“…→€éü"), max_size=10),
                  st.text(st.sampled_from("a \u00a0漢\t\n\u0301\x7f"), max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.tuples(*[_CELL] * n), min_size=1, max_size=5), st.booleans(),
    st.sets(st.integers(0, n - 1)))))
def test_plain_tables_are_aligned_as_rich_aligns_them(table):
    cells, has_header, right = table
    plain = _plain_table(cells, tuple(right))
    if plain is not None:  # only tables of plain cells: rich prints the others
        assert [line.rstrip() for line in plain] == \
            [line.rstrip() for line in _rich_table(cells, has_header, tuple(right))]
