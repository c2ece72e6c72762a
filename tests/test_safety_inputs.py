"""Inputs that must not damage a project or crash: where publish and memory export may write, odd file
names and symlinks in the source folder, machine-dependent engine settings, missing catalogs for
``l10n check``, duplicate keys in ``l10n.yaml``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from support import configure, run_l10n, snapshot

from l10n import config as config_module
from l10n.errors import L10nError

TXT = "open-source-ki-deepseek"
MD = "ki-regulierung-europa"


def _catalog(project: Path, slug: str = TXT) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"


def _one_line_error(proc, message: str) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("l10n: error: "), proc.stderr
    assert message in lines[0], lines[0]
    return lines[0]


def _refused(project: Path, *args: str, message: str) -> str:
    """Run the command; it must fail with one line holding ``message`` and change nothing in ``project``."""
    before = snapshot(project)
    line = _one_line_error(run_l10n(*args, cwd=project, check=False), message)
    assert snapshot(project) == before
    return line


def _parse(extra: dict) -> config_module.Config:
    return config_module.parse({"source_language": "de", "target_languages": ["en"], **extra}, Path("."))


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# ------------------------------------------------------------------ 2: publish never writes onto project files


@pytest.mark.parametrize("template, message", [
    ("locales/{lang}/LC_MESSAGES/{stem}.po", "publish.path: expected a path outside the locales folder"),
    ("locales/{lang}/{path}", "publish.path: expected a path outside the locales folder"),
    (".l10n/{lang}/{path}", "publish.path: expected a path outside .l10n"),
    ("public/{lang}/{stem}.po", "publish.path: expected a path that is no catalog, template or settings file"),
    ("public/{lang}/{stem}.POT", "publish.path: expected a path that is no catalog, template or settings file"),
    ("public/{lang}/{stem}.yaml", "publish.path: expected a path that is no catalog, template or settings file"),
])
def test_publish_path_onto_project_files_is_refused_by_the_settings(sample, template, message):
    with pytest.raises(L10nError) as info:
        _parse({"publish": {"path": template}})
    assert str(info.value).startswith(f"l10n.yaml: {message}") and "\n" not in str(info.value)
    configure(sample, f'publish:\n  path: "{template}"\n')
    _refused(sample, "publish", message=message)


def test_output_folder_in_the_locales_folder_is_refused_by_the_settings(sample):
    with pytest.raises(L10nError, match=r"^l10n\.yaml: folders\.output: expected a path outside the locales"):
        _parse({"folders": {"output": "locales/public"}})
    with pytest.raises(L10nError, match=r"^l10n\.yaml: folders\.output: expected a path outside \.l10n"):
        _parse({"folders": {"output": ".l10n"}})
    assert _parse({"folders": {"output": "locales-public"}}).publish_path == "locales-public/{lang}/{path}"


def test_publish_refuses_to_overwrite_a_source_article(sample):
    (sample / "source" / "notiz.txt").write_text("Notiz\n\nEin Satz.\n", encoding="utf-8")
    (sample / "source" / "notiz.en.txt").write_text("Note\n\nWritten by a person.\n", encoding="utf-8")
    run_l10n("extract", cwd=sample)
    configure(sample, 'publish:\n  path: "source/{dir}{stem}.{lang}{ext}"\n')
    _refused(sample, "publish", message="l10n.yaml: publish.path: en: source/notiz.en.txt would overwrite the "
                                         "source article source/notiz.en.txt")


def test_publish_overwrites_what_it_wrote_itself_in_the_source_folder(sample):
    configure(sample, 'publish:\n  path: "source/{dir}{stem}.{lang}{ext}"\n')
    run_l10n("publish", cwd=sample)
    published = sample / "source" / f"{TXT}.en.txt"
    title = published.read_text(encoding="utf-8").splitlines()[0]
    po = _catalog(sample)
    po.write_text(po.read_text(encoding="utf-8").replace(f'msgstr "{title}"', 'msgstr "A new title"', 1),
                  encoding="utf-8")
    run_l10n("publish", cwd=sample)
    assert published.read_text(encoding="utf-8").splitlines()[0] == "A new title"

    # a published file a person changed afterwards is theirs now
    published.write_text(published.read_text(encoding="utf-8") + "\nA note of a person.\n", encoding="utf-8")
    _refused(sample, "publish", message=f"en: source/{TXT}.en.txt would overwrite the source article")

    # without the record (a fresh clone), a file that already holds what publish writes is fine
    published.unlink()
    run_l10n("publish", cwd=sample)
    for record in (sample / ".l10n").iterdir():
        record.unlink()
    out = run_l10n("publish", cwd=sample).stdout
    assert out.endswith("Published 2 of 2 articles.\n")


def test_publish_through_a_folder_into_the_locales_folder_or_onto_the_settings_is_refused(sample):
    (sample / "public").symlink_to("locales")
    _refused(sample, "publish", message=f"l10n.yaml: publish.path: en: public/en/{MD}.md would write into the "
                                         "locales folder (locales)")
    (sample / "public").unlink()
    (sample / ".l10n").mkdir()
    (sample / "public").symlink_to(".l10n")
    _refused(sample, "publish", message=f"l10n.yaml: publish.path: en: public/en/{MD}.md would write into .l10n/")
    (sample / "public").unlink()
    (sample / "source" / "l10n.yaml.txt").write_text("Titel\n\nSatz.\n", encoding="utf-8")
    run_l10n("extract", cwd=sample)
    configure(sample, 'publish:\n  path: "public/{lang}/{stem}"\n')
    (sample / "public").mkdir()
    (sample / "public" / "en").symlink_to("..")
    _refused(sample, "publish", message="l10n.yaml: publish.path: en: public/en/l10n.yaml would overwrite l10n.yaml")


# ------------------------------------------------------------------ 9: no folder leads out of the project


def _output_site(sample: Path) -> str:
    path = sample / "l10n.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  output: public\n", "  output: site\n"),
                    encoding="utf-8")
    return "site"


def _publish_content(sample: Path) -> str:
    configure(sample, 'publish:\n  path: "content/{lang}/{path}"\n')
    return "content"


@pytest.mark.parametrize("settings", [lambda sample: "public", _output_site, _publish_content])
def test_publish_does_not_follow_a_folder_out_of_the_project(sample, tmp_path, settings):
    folder = settings(sample)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (sample / folder).symlink_to(elsewhere)
    _refused(sample, "publish", message=f"l10n.yaml: publish.path: en: {folder}/en/{MD}.md is outside the project "
                                         f"folder (in {elsewhere}")
    assert not any(elsewhere.iterdir())


# ------------------------------------------------------------------ 5: memory export


@pytest.mark.parametrize("target", [
    f"locales/en/LC_MESSAGES/{TXT}.po", "locales/memory/en.tmx", "locales/new.tmx", "l10n.yaml", "source/m.tmx",
    ".l10n/m.tmx",
])
def test_memory_export_refuses_project_files(sample, target):
    (sample / ".l10n").mkdir(exist_ok=True)
    line = _refused(sample, "memory", "export", target, message=f"{target}: ")
    assert "is part of the project" in line


def test_memory_export_refuses_a_symlink_into_the_project_and_a_folder(sample, tmp_path):
    link = tmp_path / "link.po"
    link.symlink_to(_catalog(sample))
    before = snapshot(sample)
    _one_line_error(run_l10n("memory", "export", str(link), cwd=sample, check=False),
                    f"{link}: a symbolic link into the project")
    folder = tmp_path / "folder.tmx"
    folder.mkdir()
    proc = run_l10n("memory", "export", str(folder), cwd=sample, check=False)
    assert proc.returncode == 2 and not any(folder.iterdir())  # a usage error (FILE is a directory)
    # a project folder under another name, reached from outside
    (tmp_path / "alias").symlink_to(sample / "locales")
    _one_line_error(run_l10n("memory", "export", str(tmp_path / "alias" / "m.tmx"), cwd=sample, check=False),
                    "is part of the project")
    assert snapshot(sample) == before


def test_memory_export_overwrites_an_existing_file_and_writes_through_a_link_elsewhere(sample, tmp_path):
    old = tmp_path / "old.tmx"
    old.write_text("old", encoding="utf-8")
    run_l10n("memory", "export", str(old), cwd=sample)
    assert old.read_bytes().startswith(b"<?xml")
    real = tmp_path / "real.tmx"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "via.tmx").symlink_to(real)
    run_l10n("memory", "export", str(tmp_path / "via.tmx"), cwd=sample)
    assert (tmp_path / "via.tmx").is_symlink() and real.read_bytes().startswith(b"<?xml")
    help_text = " ".join(run_l10n("memory", "export", "--help", cwd=sample).stdout.split())
    assert "An existing file is overwritten" in help_text and "l10n.yaml" in help_text


# ------------------------------------------------------------------ 7 and 12: file names and links in source/


def _newline_name(sample: Path) -> str:
    (sample / "source" / "a\nb.txt").write_text("Titel\n\nSatz.\n", encoding="utf-8")
    return r"source/a\nb.txt: the file name has a control character"


def _escape_name(sample: Path) -> str:
    (sample / "source" / "a\x1b[31mb.md").write_text("# Titel\n", encoding="utf-8")
    return r"source/a\x1b[31mb.md: the file name has a control character"


def _non_utf8_name(sample: Path) -> str:
    (sample / "source").joinpath(os.fsdecode(b"b\xff.txt")).write_bytes(b"Titel\n\nSatz.\n")
    return r"source/b\xff.txt: the file name is not valid UTF-8"


def _symlink_loop(sample: Path) -> str:
    (sample / "source" / "loop1.txt").symlink_to("loop2.txt")
    (sample / "source" / "loop2.txt").symlink_to("loop1.txt")
    return "source/loop1.txt: a loop of symbolic links"


@pytest.mark.parametrize("damage", [_newline_name, _escape_name, _non_utf8_name, _symlink_loop])
@pytest.mark.parametrize("command", ["extract", "status", "publish", "check"])
def test_bad_source_names_and_links_are_one_line(sample, damage, command):
    message = damage(sample)
    _refused(sample, command, message=message)


# ------------------------------------------------------------------ 14: engine settings


def test_engine_threads_are_checked_against_this_machine(sample):
    cores = _cores()
    assert _parse({"engine": {"threads": cores}}).engine.threads == cores
    assert _parse({"engine": {"threads": 0}}).engine.threads == 0
    for threads in (20000, 100000):  # more than any machine: refused when the settings load
        with pytest.raises(L10nError) as info:
            _parse({"engine": {"threads": threads}})
        assert str(info.value) == f"l10n.yaml: engine.threads: expected a whole number from 0 to 1024, got {threads}"
    for threads in (cores + 1, 1024):  # more than this machine: refused where the engine runs, not by status
        text = (sample / "l10n.yaml").read_text(encoding="utf-8")
        (sample / "l10n.yaml").write_text(re.sub(r"engine:\n(  threads: \d+\n)?", f"engine:\n  threads: {threads}\n", text),
                                          encoding="utf-8")
        assert run_l10n("status", cwd=sample).returncode == 0
        _refused(sample, "translate", "--dry-run", message=f"l10n.yaml: engine.threads: expected 0 (all cores) or 1 to "
                                                           f"{cores}, the cores of this machine, got {threads}")


@pytest.mark.parametrize("key, good, bad, message", [
    ("beam_size", 16, 17, "expected a whole number from 1 to 16, got 17"),
    ("batch_size", 4096, 4097, "expected a whole number from 1 to 4096, got 4097"),
    ("batch_size", 1, 0, "expected a whole number from 1 to 4096, got 0"),
])
def test_beam_and_batch_size_have_bounds(key, good, bad, message):
    assert getattr(_parse({"engine": {key: good}}).engine, key) == good
    with pytest.raises(L10nError) as info:
        _parse({"engine": {key: bad}})
    assert str(info.value) == f"l10n.yaml: engine.{key}: {message}"


# ------------------------------------------------------------------ 19: check with missing catalogs


def test_check_fails_when_a_catalog_is_missing_or_a_folder(sample):
    po = _catalog(sample)
    po.unlink()
    line = _refused(sample, "check", message=f"locales/en/LC_MESSAGES/{TXT}.po: no catalog")
    assert "run `l10n extract`" in line
    _refused(sample, "check", "--json", message=f"locales/en/LC_MESSAGES/{TXT}.po: no catalog")
    po.mkdir()
    _refused(sample, "check", message=f"locales/en/LC_MESSAGES/{TXT}.po: a folder, not a catalog")
    # the other article alone is fine
    assert run_l10n("check", "--article", MD, cwd=sample).returncode == 0


# ------------------------------------------------------------------ 21: duplicate keys in l10n.yaml


@pytest.mark.parametrize("text, message", [
    ("source_language: de\nengine:\n  device: cpu\ntarget_languages: [en]\nengine:\n  device: cuda\n",
     "l10n.yaml:5: duplicate key 'engine' (first on line 2)"),
    ("source_language: de\ntarget_languages: [en]\nengine:\n  threads: 1\n  beam_size: 2\n  threads: 0\n",
     "l10n.yaml:6: duplicate key 'threads' (first on line 4)"),
    ("source_language: de\ntarget_languages: [en]\nskip:\n  - match: a\n    scope: line\n    match: b\n",
     "l10n.yaml:6: duplicate key 'match' (first on line 4)"),
    ("source_language: de\ntarget_languages: [en]\nglossary:\n  terms: {KI: {en: AI, en: IA}}\n",
     "l10n.yaml:4: duplicate key 'en' (first on line 4)"),
])
def test_duplicate_keys_in_the_settings_are_refused(sample, text, message):
    (sample / "l10n.yaml").write_text(text, encoding="utf-8")
    line = _refused(sample, "status", message=message)
    assert line == f"l10n: error: {message}"


def test_yaml_merge_keys_may_still_override():
    data = config_module.load_yaml("a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  y: 3\n", "t.yaml")
    assert data == {"a": {"x": 1, "y": 2}, "b": {"x": 1, "y": 3}}
