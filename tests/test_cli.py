"""The command line as users run it: the whole loop, and clear one-line errors on bad input."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polib
import pytest
from support import SEED, run_l10n, run_l10n_process, snapshot


@pytest.mark.gettext
def test_init_then_the_whole_loop_with_human_translations(tmp_path: Path):
    project = tmp_path / "news"
    out = run_l10n("init", str(project), "--source-lang", "de", "--target-lang", "en", "-t", "fr", cwd=tmp_path)
    assert "l10n.yaml" in out.stdout
    assert (project / "source").is_dir() and (project / "locales").is_dir()
    (project / "source" / "artikel.txt").write_bytes(SEED.read_bytes())

    out = run_l10n("-C", str(project), "extract", cwd=tmp_path)
    assert "wrote locales/templates/artikel.pot" in out.stdout
    for lang in ("en", "fr"):
        po = project / "locales" / lang / "LC_MESSAGES" / "artikel.po"
        check = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr

    po_path = project / "locales" / "en" / "LC_MESSAGES" / "artikel.po"
    po = polib.pofile(str(po_path))
    title = po[0]
    title.msgstr = "What does open-source AI mean and why is DeepSeek different?"
    po.save()

    rows = json.loads(run_l10n("status", "--json", cwd=project).stdout)
    en = next(r for r in rows if r["language"] == "en")
    assert en["reviewed"] == 1 and en["untranslated"] == en["units"] - 1
    assert en["words"] > 900

    out = run_l10n("publish", "--lang", "en", cwd=project)
    published = (project / "public" / "en" / "artikel.txt").read_text()
    assert published.startswith("What does open-source AI mean and why is DeepSeek different?\n\n"
                                "What does open-source AI mean and why is DeepSeek different?\n  • DeepSeek hat")
    assert "public/en/artikel.txt" in out.stdout and not (project / "public" / "fr").exists()

    out = run_l10n("publish", "--min-reviewed", "50", cwd=project)
    assert "skipped artikel" in out.stdout and "below the 50% threshold" in out.stdout


def test_unchanged_extract_writes_nothing(sample: Path):
    run_l10n("extract", cwd=sample)
    before = {p: p.stat().st_mtime_ns for p in (sample / "locales").rglob("*.po*")}
    out = run_l10n("extract", cwd=sample)
    assert "0 files written" in out.stdout
    assert before == {p: p.stat().st_mtime_ns for p in (sample / "locales").rglob("*.po*")}


def test_help_on_every_command(tmp_path: Path):
    for command in ([], ["init"], ["extract"], ["status"], ["publish"]):
        out = run_l10n(*command, "--help", cwd=tmp_path)
        assert "Usage:" in out.stdout


def test_usage_error_exits_2(sample: Path):
    proc = run_l10n("publish", "--min-reviewed", "150", cwd=sample, check=False)
    assert proc.returncode == 2
    proc = run_l10n("frobnicate", cwd=sample, check=False)
    assert proc.returncode == 2


def test_the_console_script_gives_one_line_and_the_exit_codes_a_shell_sees(sample: Path):
    """The other tests run the CLI in-process; this one runs it as a shell does, in a child process."""
    (sample / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en\n", encoding="utf-8")
    proc = run_l10n_process("status", cwd=sample, check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("l10n: error: l10n.yaml:") and proc.stderr.count("\n") == 1, proc.stderr
    proc = run_l10n_process("-C", str(sample / "source"), "status", cwd=sample, check=False)
    assert proc.returncode == 1 and proc.stderr == (
        "l10n: error: l10n.yaml: not found; run `l10n init` to start a project here, or pass -C DIR\n")
    assert run_l10n_process("frobnicate", cwd=sample, check=False).returncode == 2


def test_init_refuses_to_overwrite(sample: Path):
    before = snapshot(sample)
    proc = run_l10n("init", ".", cwd=sample, check=False)
    assert proc.returncode == 1 and "already exists" in proc.stderr
    assert snapshot(sample) == before


def _po(sample: Path) -> Path:
    return next((sample / "locales" / "en" / "LC_MESSAGES").glob("*.po"))


def _break_po_syntax(sample: Path) -> None:
    po = _po(sample)
    lines = po.read_text().splitlines(keepends=True)
    lines[30] = 'msgstr "unterminated\n'
    po.write_text("".join(lines))


def _break_po_charset(sample: Path) -> None:
    po = _po(sample)
    po.write_bytes(po.read_bytes().replace("Künstliche".encode(), "Künstliche".encode("latin-1"), 1)
                   .replace("ü".encode(), "ü".encode("latin-1"), 1))


def _escape(sample: Path) -> None:
    outside = sample.parent / "outside.txt"
    outside.write_bytes(SEED.read_bytes())
    (sample / "source" / "link.txt").symlink_to(outside)


BAD_INPUTS = {
    "invalid UTF-8 source": (lambda s: (s / "source" / "b.txt").write_bytes(b"Titel\n\nGr\xfc\xdfe.\n"),
                             ["extract"], "source/b.txt: byte 9: not valid UTF-8"),
    "empty source": (lambda s: (s / "source" / "b.txt").write_bytes(b""), ["extract"], "source/b.txt: empty file"),
    "binary source": (lambda s: (s / "source" / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"),
                      ["extract"], "source/b.txt: byte 8: binary file"),
    "PO syntax error": (_break_po_syntax, ["status"], ".po:31:"),
    "PO syntax error on extract": (_break_po_syntax, ["extract"], ".po:31:"),
    "PO in the wrong charset": (_break_po_charset, ["publish"], ".po: byte "),
    "broken YAML": (lambda s: (s / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en\n"),
                    ["status"], "l10n.yaml:3:1: YAML syntax error"),
    "unknown key": (lambda s: (s / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en]\nsegmentaton: x\n"),
                    ["extract"], "l10n.yaml: segmentaton: unknown key"),
    "wrong type": (lambda s: (s / "l10n.yaml").write_text("source_language: de\ntarget_languages: en\n"),
                   ["extract"], "l10n.yaml: target_languages: expected a list, got a string"),
    "unknown language in config": (lambda s: (s / "l10n.yaml").write_text("source_language: de\ntarget_languages: [xx]\n"),
                                   ["extract"], "l10n.yaml: target_languages[0]: unknown language code 'xx'"),
    "unknown language option": (lambda s: None, ["status", "--lang", "fr"], "'fr' is not a target language"),
    "source escaping the project": (_escape, ["extract"], "source/link.txt: points outside the project folder"),
    "two sources, one slug": (lambda s: (s / "source" / "Open-Source-KI-DeepSeek.txt").write_bytes(SEED.read_bytes()),
                              ["extract"], "same slug"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_one_line_exit_1_and_nothing_changes(sample: Path, case: str):
    run_l10n("extract", cwd=sample)
    damage, command, message = BAD_INPUTS[case]
    damage(sample)
    before = snapshot(sample)
    proc = run_l10n(*command, cwd=sample, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("l10n: error: ")
    assert message in lines[0]
    assert snapshot(sample) == before
