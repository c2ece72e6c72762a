"""``l10n models`` and ``l10n translate`` end to end, on tiny real Argos packages, offline.

The packages (``argos_models`` in conftest) are real CTranslate2 and
SentencePiece models with random weights: every call goes through the real
loading, tokenising and decoding code, only the translations are gibberish.
A gibberish model also loses nearly every placeholder, which exercises the
fallback that translates around protected text.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import polib
import pytest
from support import SEED, big_project, run_l10n, snapshot

from l10n.formats.markdown import protected_spans
from l10n.memory.lookup import TranslationMemory
from l10n.po import read_catalog, write_catalog
from l10n.mt.protect import Protector
from l10n.notes import check_note, machine_note, memory_note, provenance, set_notes

KEEP = ["DeepSeek", "DeepSeek-R1", "ChatGPT", "OpenAI", "Apple App Store", "Meta", "Google", "Stanford University",
        "Charlotte Edmond"]
URL = "https://www.weforum.org/stories/2025/02/open-source-ai-innovation-deepseek/"
MAIL = "presse@example.org"
SECOND = f"""Ein zweiter Artikel über KI

Was bedeutet Open-Source-KI und warum ist DeepSeek anders?

Mehr dazu unter {URL} oder per E-Mail an {MAIL}.

2025

Das Modell von DeepSeek ist kostenlos. Viele Entwickler nutzen es bereits.

Charlotte Edmond
"""
TITLE = "Was bedeutet Open-Source-KI und warum ist DeepSeek anders?"
TITLE_EN = "What does open-source AI mean and why is DeepSeek different?"


# ------------------------------------------------------------------ helpers


def _install(argos_env, cwd: Path, *which: str) -> None:
    for name in which:
        run_l10n("models", "install", "--file", str(getattr(argos_env.models, name)), cwd=cwd)


def _catalogs(project: Path) -> dict[Path, polib.POFile]:
    return {p: read_catalog(p) for p in sorted((project / "locales").rglob("*.po"))}


def _live(po: polib.POFile):
    return [e for e in po if not e.obsolete]


def _project(sample: Path, targets: str = "[en, fr]", engine: str = "") -> Path:
    """The sample project with a second article, translated into ``targets``."""
    shutil.rmtree(sample / "locales", ignore_errors=True)  # start from empty catalogs
    for path in (sample / "source").iterdir():  # the seed article only, however the sample grows
        if path.name != SEED.name:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    config = (sample / "l10n.yaml").read_text(encoding="utf-8")
    config = config.replace("target_languages: [en]", f"target_languages: {targets}")
    if engine:
        config = re.sub(r"engine:\n(  .*\n)+", engine, config)
    (sample / "l10n.yaml").write_text(config, encoding="utf-8")
    (sample / "source" / "zweiter.txt").write_text(SECOND, encoding="utf-8")
    run_l10n("extract", cwd=sample)
    return sample


def _review(path: Path, translations: dict[str, str]) -> None:
    """Give entries a reviewed (not fuzzy) translation, as a translator would."""
    po = read_catalog(path)
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    write_catalog(path, po)


def _blocks(path: Path, marker: str) -> set[str]:
    """The entries of a catalog file whose text contains ``marker``, exactly as written."""
    return {b for b in path.read_text(encoding="utf-8").split("\n\n") if marker in b}


def _en(project: Path, slug: str) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"


# ------------------------------------------------------------------ models


def test_models_install_list_remove_offline(argos_env, tmp_path):
    cwd = tmp_path
    out = run_l10n("models", "list", cwd=cwd)
    assert "No Argos models installed" in out.stdout and "--file" in out.stdout

    digest = hashlib.sha256(argos_env.models.de_en.read_bytes()).hexdigest()
    out = run_l10n("models", "install", "--file", str(argos_env.models.de_en), "--sha256", digest, cwd=cwd)
    assert "Installed de → en 1.0" in out.stdout
    out = run_l10n("models", "install", "en", "fr", "--file", str(argos_env.models.en_fr), cwd=cwd)
    assert "Installed en → fr 1.0" in out.stdout

    out = run_l10n("models", "list", cwd=cwd)
    assert str(argos_env.packages_dir) in out.stdout
    row = next(line for line in out.stdout.splitlines() if "de → en" in line)
    assert "German → English" in row and "1.0" in row and "kB" in row and "translate-de_en-1_0" in row

    # the wrong file for the pair, a bad checksum: one line each, nothing changes
    before = sorted(p.name for p in argos_env.packages_dir.iterdir())
    for args, message in [
        (("de", "fr", "--file", str(argos_env.models.de_en)), "a de→en package, not de→fr"),
        (("--file", str(argos_env.models.de_en), "--sha256", "0" * 64), "checksum mismatch"),
        (("--file", str(tmp_path / "missing.argosmodel")), "no such file"),
    ]:
        proc = run_l10n("models", "install", *args, cwd=cwd, check=False)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr
    assert sorted(p.name for p in argos_env.packages_dir.iterdir()) == before

    # usage mistakes exit 2
    for args in (("de",), (), ("--file", str(argos_env.models.de_en), "--sha256", "xyz"), ("de", "en", "--sha256", digest)):
        assert run_l10n("models", "install", *args, cwd=cwd, check=False).returncode == 2

    # the index, offline: one line, exit 1, no traceback
    for args in (("list", "--available"), ("install", "de", "es")):
        proc = run_l10n("models", *args, cwd=cwd, check=False)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert proc.stderr.startswith("l10n: error: cannot reach the Argos package index")
        assert proc.stderr.count("\n") == 1 and "`l10n models install --file PATH`" in proc.stderr

    out = run_l10n("models", "remove", "en", "fr", cwd=cwd)
    assert "Removed en → fr 1.0" in out.stdout
    assert not (argos_env.packages_dir / "translate-en_fr-1_0").exists()
    proc = run_l10n("models", "remove", "en", "fr", cwd=cwd, check=False)
    assert proc.returncode == 1 and "no Argos model installed for en→fr" in proc.stderr


@pytest.mark.parametrize("case, message", [
    ("traversal", "path leaves the package folder"),
    ("no_metadata", "no metadata.json"),
    ("no_model", "no model/ folder"),
])
def test_models_install_refuses_unsafe_or_incomplete_zip(argos_env, tmp_path, case, message):
    top = "translate-de_en-1_0"
    bad = tmp_path / f"{case}.argosmodel"
    with zipfile.ZipFile(argos_env.models.de_en) as src, zipfile.ZipFile(bad, "w") as out:
        for info in src.infolist():
            name = info.filename
            if (case == "no_metadata" and name.endswith("metadata.json")) or (case == "no_model" and "/model/" in name):
                continue
            out.writestr(info, src.read(info))
        if case == "traversal":
            out.writestr(f"{top}/../../../escaped.txt", b"outside")
    proc = run_l10n("models", "install", "--file", str(bad), cwd=tmp_path, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and message in proc.stderr and str(bad) in proc.stderr
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not argos_env.packages_dir.exists() or not any(argos_env.packages_dir.iterdir())


def test_models_list_shows_the_project_pairs(argos_env, sample):
    _project(sample, targets="[en, fr, es]")
    out = run_l10n("models", "list", cwd=sample)
    assert "de → en  not served: no Argos model installed for de→en; install it with `l10n models install de en`" \
        in out.stdout
    _install(argos_env, sample, "de_en", "en_fr")
    out = run_l10n("models", "list", cwd=sample)
    lines = {line.split("  ")[1].strip(): line for line in out.stdout.splitlines() if line.startswith("  de → ")}
    assert lines["de → en"].endswith("argos de→en 1.0")
    assert lines["de → fr"].endswith("via en: argos de→en 1.0 + en→fr 1.0")
    assert "not served" in lines["de → es"] and "`l10n models install en es`" in lines["de → es"]


# ---------------------------------------------------------------- translate


@pytest.mark.gettext
def test_translate_fills_everything_keeps_reviewed_and_protects_terms(argos_env, sample):
    project = _project(sample)
    _install(argos_env, project, "de_en", "en_fr")
    seed_en = _en(project, "open-source-ki-deepseek")
    reviewed = {TITLE: TITLE_EN, "Was macht DeepSeek anders?": "REVIEWED: What makes DeepSeek different?"}
    _review(seed_en, reviewed)
    _review(project / "locales" / "fr" / "LC_MESSAGES" / "zweiter.po", {"2025": "REVIEWED: 2025"})
    for path, po in _catalogs(project).items():
        po.metadata["PO-Revision-Date"] = "2000-01-01 00:00+0000"
        write_catalog(path, po)
    kept_blocks = {p: _blocks(p, "REVIEWED") | _blocks(p, TITLE_EN) for p in _catalogs(project)}

    proc = run_l10n("translate", cwd=project)
    assert proc.returncode == 0
    summary = proc.stdout
    assert re.search(r"^de→en: 1 from memory, \d+ from the engine \(argos de→en 1\.0, on cpu\), 3 from the glossary "
                     r"or copied, 2 skipped \(2 reviewed\); [\d.]+ s, [\d.]+ units/s$", summary, re.M), summary
    assert re.search(r"^de→fr \(via en\): 0 from memory, \d+ from the engine \(argos de→en 1\.0 \+ en→fr 1\.0, on cpu\)",
                     summary, re.M), summary
    assert re.search(r"^Filled \d+ units \(3 skipped\) in [\d.]+ s, [\d.]+ units/s; 4 files written\.$", summary, re.M)
    assert "units/s" in proc.stderr and "de→fr (via en)" in proc.stderr  # the progress bar

    after = _catalogs(project)
    protector = {"en": Protector(KEEP, {"KI": "AI"}), "fr": Protector(KEEP)}
    for path, po in after.items():
        lang = path.parent.parent.name
        assert kept_blocks[path] <= _blocks(path, "REVIEWED") | _blocks(path, TITLE_EN)  # byte-identical
        assert po.metadata["PO-Revision-Date"].startswith(time.strftime("%Y-", time.gmtime()))
        check = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        for entry in _live(po):
            assert entry.msgstr, f"{path}: {entry.msgid!r} left empty"
            if entry.msgstr.startswith("REVIEWED") or entry.msgstr == TITLE_EN and path == seed_en:
                assert not entry.fuzzy
                continue
            assert entry.fuzzy, entry.msgid
            assert not re.search(r"(?i)\b(qz|xq) ?\d", entry.msgstr), entry.msgstr  # no placeholder left
            note = provenance(entry)
            protected = protector[lang].protect(entry.msgid)
            for span in protected.spans:  # restored byte for byte (or as the fixed term)
                assert entry.msgstr.count(span.restore) >= protected.source.count(span.original), (entry.msgid,
                                                                                                   entry.msgstr)
            if note.kind == "machine":
                route = "argos de→en 1.0" if lang == "en" else "argos de→en 1.0 + en→fr 1.0"
                assert note.engine == route and 0.0 <= note.confidence <= 1.0
                assert bool(note.checks) == note.pieces
                if note.checks:
                    assert note.checks[0].startswith(("placeholder lost: ", "placeholder mangled: "))
            else:
                assert note.kind in ("memory", "glossary", "copy"), (entry.msgid, entry.tcomment)

    second_en = {e.msgid: e for e in after[_en(project, "zweiter")]}
    title = second_en[TITLE]
    assert title.msgstr == TITLE_EN and title.fuzzy
    assert provenance(title) == provenance(_entry_with(memory_note("source/open-source-ki-deepseek.txt")))
    assert "l10n: from translation memory (source/open-source-ki-deepseek.txt)" in title.tcomment
    link = next(e for e in second_en.values() if MAIL in e.msgid)
    assert URL in link.msgstr and MAIL in link.msgstr
    assert second_en["2025"].msgstr == "2025" and provenance(second_en["2025"]).kind == "copy"
    assert second_en["Charlotte Edmond"].msgstr == "Charlotte Edmond"
    assert provenance(second_en["Charlotte Edmond"]).kind == "glossary"
    assert "AI" in second_en["Ein zweiter Artikel über KI"].msgstr  # the fixed translation of KI
    second_fr = {e.msgid: e for e in after[project / "locales" / "fr" / "LC_MESSAGES" / "zweiter.po"]}
    assert provenance(second_fr[TITLE]).kind == "machine"  # no reviewed French title to reuse
    assert URL in second_fr[link.msgid].msgstr and MAIL in second_fr[link.msgid].msgstr
    assert not (project / ".l10n" / "translate-journal.jsonl").exists()
    assert (project / ".l10n" / ".gitignore").read_text() == "*\n"


def _entry_with(comment: str) -> polib.POEntry:
    return polib.POEntry(msgid="x", msgstr="y", tcomment=comment)


def test_rerun_with_nothing_to_do_loads_no_model_and_writes_nothing(argos_env, sample):
    project = _project(sample, targets="[en]")
    _install(argos_env, project, "de_en")
    run_l10n("translate", "--quiet", cwd=project)
    before = {p: p.stat().st_mtime_ns for p in (project / "locales").rglob("*.po")}
    env = dict(os.environ, PYTHONUTF8="1")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "l10n", "translate"], cwd=project, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert not imported & {"ctranslate2", "argostranslate", "sentencepiece", "rich"}, imported & {"ctranslate2"}
    assert "0 files written" in proc.stdout and "skipped" in proc.stdout
    assert before == {p: p.stat().st_mtime_ns for p in (project / "locales").rglob("*.po")}
    assert elapsed < 3.0  # about 0.4 s here; generous for a loaded test machine


def test_quiet_dry_run_and_retranslate_fuzzy(argos_env, sample):
    project = _project(sample, targets="[en]")
    _install(argos_env, project, "de_en")
    before = snapshot(project)
    proc = run_l10n("translate", "--dry-run", cwd=project)
    assert re.search(r"^de→en: 0 from memory, \d+ to the engine \(argos de→en 1\.0\), 3 from the glossary or "
                     r"copied, 0 skipped$", proc.stdout, re.M), proc.stdout
    assert proc.stdout.rstrip().endswith("Dry run: nothing written.")
    assert snapshot(project) == before and not (project / ".l10n" / "translate.lock").exists()

    proc = run_l10n("translate", "--quiet", cwd=project)
    assert proc.stdout == "" and proc.stderr == ""
    path = _en(project, "zweiter")
    po = read_catalog(path)
    entry = next(e for e in po if e.msgid == "Viele Entwickler nutzen es bereits.")
    set_notes(entry, [*entry.tcomment.split("\n"), "Bitte den Ton prüfen."])  # a translator's own line
    assert entry.tcomment.endswith("Bitte den Ton prüfen.")
    entry.msgstr = "edited by hand, still fuzzy"
    write_catalog(path, po)

    snap = snapshot(project / "locales")
    out = run_l10n("translate", cwd=project).stdout
    assert "Fuzzy translations were kept; --retranslate-fuzzy refreshes them." in out
    assert snapshot(project / "locales") == snap

    proc = run_l10n("translate", "--dry-run", "--retranslate-fuzzy", cwd=project)
    assert re.search(r"^de→en: 0 from memory, \d+ to the engine", proc.stdout, re.M)
    out = run_l10n("translate", "--retranslate-fuzzy", "--article", "zweiter", cwd=project).stdout
    assert re.search(r"^de→en: 0 from memory, \d+ from the engine .*, 2 from the glossary or copied, 0 skipped", out,
                     re.M), out
    entry = next(e for e in read_catalog(path) if e.msgid == "Viele Entwickler nutzen es bereits.")
    assert entry.msgstr != "edited by hand, still fuzzy" and entry.fuzzy
    lines = entry.tcomment.split("\n")
    assert "Bitte den Ton prüfen." in lines
    assert sum(line.startswith("l10n: ") for line in lines) == 1 and provenance(entry).kind == "machine"
    # the other article was not chosen: unchanged
    assert snapshot(project / "locales")["en/LC_MESSAGES/open-source-ki-deepseek.po"] == \
        snap["en/LC_MESSAGES/open-source-ki-deepseek.po"]


def test_missing_pair_names_the_install_command_and_writes_nothing(argos_env, sample):
    project = _project(sample, targets="[en, es]")
    _install(argos_env, project, "de_en")
    before = snapshot(project / "locales")
    for args in ((), ("--dry-run",)):
        proc = run_l10n("translate", *args, cwd=project, check=False)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert proc.stderr.count("\n") == 1
        assert "no Argos model installed for de→es" in proc.stderr
        assert "`l10n models install en es`" in proc.stderr
    assert snapshot(project / "locales") == before


def test_missing_catalog_says_run_extract(argos_env, sample):
    project = _project(sample, targets="[en]")
    _en(project, "zweiter").unlink()
    proc = run_l10n("translate", cwd=project, check=False)
    assert proc.returncode == 1
    assert "locales/en/LC_MESSAGES/zweiter.po: no catalog; run `l10n extract` first" in proc.stderr


def test_a_second_run_waits_for_the_lock_or_stops(argos_env, sample):
    project = _project(sample, targets="[en]")
    _install(argos_env, project, "de_en")
    (project / ".l10n").mkdir(exist_ok=True)
    fd = os.open(project / ".l10n" / "translate.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242\n")
        before = snapshot(project / "locales")
        proc = run_l10n("translate", cwd=project, check=False)
        assert proc.returncode == 1
        assert proc.stderr.strip() == ("l10n: error: another `l10n translate` is running in this project "
                                       "(process 4242); wait for it to finish, or pass --wait")
        assert snapshot(project / "locales") == before
        env = dict(os.environ, PYTHONUTF8="1")
        waiting = subprocess.Popen([sys.executable, "-m", "l10n", "translate", "--wait"], cwd=project, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        assert waiting.poll() is None  # still waiting
    finally:
        os.close(fd)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "waiting for another `l10n translate`" in err and "Filled" in out


def test_journal_of_an_interrupted_run_is_used_instead_of_the_model(argos_env, sample):
    project = _project(sample, targets="[en]")
    _install(argos_env, project, "de_en")
    unit = "Viele Entwickler nutzen es bereits."
    (project / ".l10n").mkdir(exist_ok=True)
    rows = [{"e": "argos de→en 1.0; beam 2; default", "s": unit, "t": "Many developers already use it.", "c": 0.875},
            {"e": "argos de→en 9.9; beam 2; default", "s": "Ende.", "t": "other engine", "c": 0.5}]
    (project / ".l10n" / "translate-journal.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows) + '{"e": "cut short', encoding="utf-8")
    out = run_l10n("translate", cwd=project).stdout
    assert "1 unit recovered from an interrupted run" in out
    entry = next(e for e in read_catalog(_en(project, "zweiter")) if e.msgid == unit)
    assert entry.msgstr == "Many developers already use it."
    assert provenance(entry).confidence == pytest.approx(0.88)  # the journal's 0.875, noted with two decimals
    assert not (project / ".l10n" / "translate-journal.jsonl").exists()


def test_kill_in_the_middle_then_resume(argos_env, tmp_path):
    project = big_project(tmp_path / "big", articles=30, sentences=40)
    _install(argos_env, project, "de_en")
    paths = sorted((project / "locales" / "en").rglob("*.po"))
    _review(paths[3], {"Bericht Nummer 3": "REVIEWED: Report number 3"})
    reviewed = _blocks(paths[3], "REVIEWED")
    total = sum(len(_live(read_catalog(p))) for p in paths)

    env = dict(os.environ, PYTHONUTF8="1")
    proc = subprocess.Popen([sys.executable, "-m", "l10n", "translate", "--quiet", "--save-every", "0.2"],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not any("l10n: machine translation" in p.read_text(encoding="utf-8") for p in paths):
            assert proc.poll() is None, "the run ended before its first periodic save was seen"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    filled = 0
    for path in paths:
        po = read_catalog(path)  # every catalog still parses: saved atomically or not at all
        filled += sum(1 for e in _live(po) if e.msgstr)
    assert 0 < filled < total, (filled, total)
    assert _blocks(paths[3], "REVIEWED") == reviewed
    assert (project / ".l10n" / "translate-journal.jsonl").exists()

    out = run_l10n("translate", cwd=project).stdout
    skipped = int(re.search(r"(\d+) skipped", out).group(1))
    assert skipped >= filled  # what the killed run saved is kept, not translated again
    for path in paths:
        assert all(e.msgstr for e in _live(read_catalog(path))), path
    assert _blocks(paths[3], "REVIEWED") == reviewed
    assert not (project / ".l10n" / "translate-journal.jsonl").exists()


def test_least_confident_lists_machine_suggestions_lowest_first(argos_env, sample):
    project = _project(sample, targets="[en]")
    _install(argos_env, project, "de_en")
    run_l10n("translate", "--quiet", cwd=project)
    rows = json.loads(run_l10n("status", "--least-confident", "4", "--json", cwd=project).stdout)
    assert len(rows) == 4
    assert [r["confidence"] for r in rows] == sorted(r["confidence"] for r in rows)
    confidences = [provenance(e).confidence for p in _catalogs(project) for e in read_catalog(p)
                   if provenance(e).kind == "machine"]
    assert rows[0]["confidence"] == min(confidences)
    for row in rows:
        entry = next(e for e in read_catalog(_en(project, row["article"])) if e.msgid == row["msgid"])
        assert str(row["line"]) == entry.occurrences[0][1]
    out = run_l10n("status", "--least-confident", "2", cwd=project).stdout.splitlines()
    assert out[0].split() == ["Language", "Article", "Line", "Confidence", "Text"] and len(out) == 3
    assert run_l10n("status", "--least-confident", "0", cwd=project, check=False).returncode == 2


def test_bad_glossary_is_one_line(sample):
    config = sample / "l10n.yaml"
    text = config.read_text(encoding="utf-8")
    for bad, message in [
        ("glossary:\n  keep: DeepSeek\n", "glossary.keep: expected a list, got a string"),
        ("glossary:\n  terms:\n    KI: {xx: AI}\n", "glossary.terms.KI.xx: unknown language code 'xx'"),
        ("glossary:\n  keep: [KI]\n  terms:\n    KI: AI\n", "glossary.terms.KI: 'KI' is also in glossary.keep"),
        ("engine:\n  compute_type: int3\n", "engine.compute_type: expected one of default, auto, int8"),
    ]:
        body = re.sub(r"\nglossary:\n(  .*\n)+", "\n", text)
        if bad.startswith("engine"):
            body = re.sub(r"\nengine:\n(  .*\n)+", "\n", body)
        config.write_text(body + bad, encoding="utf-8")
        proc = run_l10n("translate", "--dry-run", cwd=sample, check=False)
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr


@pytest.mark.cuda
def test_translate_on_cuda(argos_env, sample):
    project = _project(sample, targets="[en, fr]", engine="engine:\n  device: cuda\n  batch_size: 64\n")
    _install(argos_env, project, "de_en", "en_fr")
    proc = run_l10n("translate", cwd=project, check=False)
    if proc.returncode == 1 and "cannot translate on a GPU here" in proc.stderr:  # e.g. no cuBLAS for CUDA 12
        pytest.skip(f"CUDA is not usable by CTranslate2 here: {proc.stderr.strip()}")
    assert proc.returncode == 0 and "on cuda)" in proc.stdout, proc.stderr
    for path, po in _catalogs(project).items():
        assert all(e.msgstr for e in _live(po)), path


# --------------------------------------------------------- protect, memory


def test_device_auto_says_where_the_model_ran(argos_env, sample):
    from l10n.mt import cuda

    project = _project(sample, targets="[en]", engine="engine:\n  device: auto\n  threads: 1\n")
    _install(argos_env, project, "de_en")
    out = run_l10n("translate", cwd=project).stdout
    # a machine with a GPU CTranslate2 translates on says cuda; any other says cpu and why not the GPU
    assert re.search(r"\(argos de→en 1\.0, on (cuda|cpu: .+)\)", out), out
    if not cuda.cuda_devices():
        assert "on cpu: no CUDA device)" in out, out


def test_device_cuda_without_a_gpu_is_one_line(argos_env, sample):
    from l10n.mt import cuda

    if cuda.cuda_devices():
        pytest.skip("this machine has a CUDA device")
    project = _project(sample, targets="[en]", engine="engine:\n  device: cuda\n")
    _install(argos_env, project, "de_en")
    before = snapshot(project / "locales")
    proc = run_l10n("translate", cwd=project, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("l10n: error: l10n.yaml: engine.device is cuda, but CTranslate2 cannot translate "
                                   "on a GPU here: no CUDA device")
    assert snapshot(project / "locales") == before


def test_placeholders_round_trip_byte_for_byte():
    protector = Protector(KEEP + ["Liang Wenfeng"], {"KI": "AI"})
    text = (f"DeepSeek-R1 und ChatGPT (siehe {URL}), Metall und Meta-Konzern; KI-Branche, www.example.org/x?a=1&b=2. "
            f"Schreiben Sie an {MAIL}! Liang Wenfeng sagt: „DeepSeek“.")
    p = protector.protect(text)
    originals = [s.original for s in p.spans]
    assert originals == ["DeepSeek-R1", "ChatGPT", URL, "Meta", "KI", "www.example.org/x?a=1&b=2", MAIL,
                         "Liang Wenfeng", "DeepSeek"]
    assert "Metall" in p.text and not any(o in p.text for o in originals if o != "Meta")
    restored = p.restore(p.text)
    assert restored.ok and restored.text == text.replace("KI-Branche", "AI-Branche")
    # a model that reorders, lower-cases or spaces placeholders is still understood
    mangled_ok = p.text.replace(p.placeholder(0), "qz 1").replace(p.placeholder(1), "Qz2")
    assert p.restore(mangled_ok).ok
    assert p.restore(mangled_ok).text == restored.text
    # lost, duplicated, damaged, invented: reported, never silently kept
    lost = p.restore(p.text.replace(p.placeholder(2), ""))
    assert not lost.ok and lost.lost == (URL,) and lost.problems() == [f"placeholder lost: {URL}"]
    twice = p.restore(p.text + " " + p.placeholder(1))
    assert twice.mangled == ("ChatGPT",)
    damaged = p.restore(p.text.replace(p.placeholder(3), p.prefix))
    assert damaged.mangled == ("Meta",) and not damaged.lost
    assert p.restore(p.text + " QZ99").stray
    # the pieces put every span back, whatever happens to the rest
    assert "".join(x if isinstance(x, str) else x.original for x in p.pieces()) == text


def test_markdown_placeholders_round_trip_byte_for_byte():
    protector = Protector(KEEP, {"KI": "AI"})
    text = ('Die [KI-Verordnung der EU](https://eur-lex.europa.eu/eli/reg/2024/1689/oj "Der Text") gilt für '
            "`MIT`-lizenzierte Modelle wie DeepSeek[^1], siehe <https://example.org/x_y> und <b>fett</b> oder "
            "[die Quelle][quelle] und ![Grafik](bild.png).")
    p = protector.protect(text, protected_spans)
    assert [(s.kind, s.original) for s in p.spans] == [
        ("term", "KI"), ("link", '](https://eur-lex.europa.eu/eli/reg/2024/1689/oj "Der Text")'), ("code", "`MIT`"),
        ("keep", "DeepSeek"), ("label", "[^1]"), ("autolink", "<https://example.org/x_y>"), ("html", "<b>"),
        ("html", "</b>"), ("label", "][quelle]"), ("link", "](bild.png)")]
    # a span against a word gets its placeholder set off by spaces, and loses them again
    assert p.text == ("Die [QZ1-Verordnung der EU QZ2 gilt für QZ3-lizenzierte Modelle wie QZ4 QZ5, siehe QZ6 und "
                      "QZ7 fett QZ8 oder [die Quelle QZ9 und ![Grafik QZ10.")
    model = ("The [QZ1 regulation of the EU QZ2 applies to QZ3-licensed models like QZ4 QZ5, see QZ6 and QZ7 bold "
             "QZ8 or [the source QZ9 and ![chart QZ10.")
    restored = p.restore(model)
    assert restored.ok and restored.text == (
        'The [AI regulation of the EU](https://eur-lex.europa.eu/eli/reg/2024/1689/oj "Der Text") applies to '
        "`MIT`-licensed models like DeepSeek[^1], see <https://example.org/x_y> and <b>bold</b> or "
        "[the source][quelle] and ![chart](bild.png).")
    assert p.restore(p.text).text == p.restored_source()
    # a model that drops the space after a placeholder is understood; one glued to a word, or lost, is reported
    assert p.restore(model.replace("QZ7 ", "QZ7")).text == restored.text
    for broken in (model.replace(" QZ2", "QZ2"), model.replace(" QZ2", "")):
        lost = p.restore(broken)
        assert not lost.ok and lost.lost == ('](https://eur-lex.europa.eu/eli/reg/2024/1689/oj "Der Text")',)
    assert "".join(x if isinstance(x, str) else x.original for x in p.pieces()) == text
    # without the format's spans, only URLs and terms (a plain-text article)
    assert [s.kind for s in protector.protect(text).spans] == ["term", "url", "keep", "url"]


def test_placeholders_avoid_codes_already_in_the_text_and_units_without_words():
    protector = Protector(["DeepSeek"])
    p = protector.protect("Der Code QZ1 und DeepSeek.")
    assert p.prefix != "QZ" and p.text == f"Der Code QZ1 und {p.prefix}1."
    assert p.restore(f"The code QZ1 and {p.prefix}1.").text == "The code QZ1 and DeepSeek."
    assert not protector.protect("DeepSeek").translatable
    assert not protector.protect("DeepSeek, 2025.").translatable
    assert protector.protect("DeepSeek hat").translatable
    assert protector.protect("Keine Namen.").spans == ()
    assert protector.protect(f"Link: {URL}.").spans[0].original == URL
    assert protector.protect("(https://example.org/a_(b))").spans[0].original == "https://example.org/a_(b)"


def test_memory_uses_only_reviewed_entries_and_the_most_common_translation():
    first = polib.POFile()
    first.append(polib.POEntry(msgid="Hallo.", msgstr="Hello."))
    first.append(polib.POEntry(msgid="Welt.", msgstr="World?", flags=["fuzzy"]))
    first.append(polib.POEntry(msgid="Alt.", msgstr="Old.", obsolete=True))
    first.append(polib.POEntry(msgid="Leer.", msgstr=""))
    second = polib.POFile()
    second.append(polib.POEntry(msgid="Hallo.", msgstr="Hi."))
    third = polib.POFile()
    third.append(polib.POEntry(msgid="Hallo.", msgstr="Hi."))
    memory = TranslationMemory("en")
    assert memory.add(first, "source/a.txt") == 1
    assert memory.lookup("Hallo.").msgstr == "Hello." and memory.lookup("Hallo.").source == "source/a.txt"
    memory.add(second, "source/b.txt")
    assert memory.lookup("Hallo.").msgstr == "Hello."  # a tie: the first one stays
    memory.add(third, "source/c.txt")
    assert memory.lookup("Hallo.") .msgstr == "Hi." and memory.lookup("Hallo.").source == "source/b.txt"
    for msgid in ("Welt.", "Alt.", "Leer.", "hallo."):
        assert memory.lookup(msgid) is None
    assert len(memory) == 1


def test_notes_replace_only_our_own_lines_and_parse_back():
    entry = polib.POEntry(msgid="x", msgstr="y", tcomment="Translator: keep it short.\nl10n: old line")
    set_notes(entry, [machine_note("argos de→en 1.9", 0.6349, pieces=True), check_note("placeholder lost: a, b")])
    assert entry.tcomment.split("\n") == [
        "Translator: keep it short.",
        "l10n: machine translation in pieces around protected text, argos de→en 1.9, confidence 0.63",
        "l10n: check: placeholder lost: a, b",
    ]
    note = provenance(entry)
    assert (note.kind, note.engine, note.confidence, note.pieces, note.checks) == (
        "machine", "argos de→en 1.9", 0.63, True, ("placeholder lost: a, b",))
    set_notes(entry, [memory_note("source/other.txt")])
    assert entry.tcomment == "Translator: keep it short.\nl10n: from translation memory (source/other.txt)"
    assert provenance(entry).kind == "memory" and provenance(entry).source == "source/other.txt"
    assert provenance(polib.POEntry(msgid="x")).kind == ""


def test_a_unit_longer_than_the_model_takes_is_translated_in_pieces_and_the_run_goes_on(argos_env, sample, tmp_path):
    from argos_builder import build_argos_package

    project = _project(sample, targets="[en]")
    long_unit = ", ".join(f"Teil {i} über offene Modelle und Daten und Regeln in Europa" for i in range(20)) + "."
    assert len(long_unit) > 1000
    (project / "source" / "lang.txt").write_text(f"Ein langer Artikel\n\n{long_unit}\n", encoding="utf-8")
    run_l10n("extract", cwd=project)
    limited = build_argos_package(tmp_path, "de", "en", argos_env.models.corpus, max_positions=256)
    run_l10n("models", "install", "--file", str(limited), cwd=project)
    out = run_l10n("translate", cwd=project).stdout
    assert "left empty" not in out, out
    po = read_catalog(_en(project, "lang"))
    assert po.find(long_unit).msgstr and po.find(long_unit).fuzzy
    assert all(e.msgstr for p in _catalogs(project) for e in _live(read_catalog(p)))
