"""The sample project in the repository works as the README promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, run_l10n

CATALOGS = sorted((REPO / "locales").rglob("*.po")) + sorted((REPO / "locales").rglob("*.pot"))


@pytest.mark.gettext
def test_committed_catalogs_are_exactly_as_gettext_writes_them():
    assert CATALOGS
    for path in CATALOGS:
        out = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
        assert out == path.read_bytes(), path
        if path.suffix == ".po":
            subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)


def test_sample_is_fully_reviewed_and_up_to_date(sample: Path):
    rows = json.loads(run_l10n("status", "--json", cwd=sample).stdout)
    assert rows and all(r["percent_reviewed"] == 100.0 for r in rows)
    out = run_l10n("extract", cwd=sample)
    assert "0 files written" in out.stdout


def test_sample_publishes_a_complete_english_article(sample: Path):
    out = run_l10n("publish", "--min-reviewed", "100", cwd=sample)
    assert "(100% reviewed)" in out.stdout
    english = (sample / "public" / "en" / "open-source-ki-deepseek.txt").read_text(encoding="utf-8")
    source = (sample / "source" / "open-source-ki-deepseek.txt").read_text(encoding="utf-8")
    # same layout: the same number of lines and blank lines up to the dropped teaser block
    kept = source[:source.index("\n\n<<:")] + "\n"
    assert [bool(line.strip()) for line in english.splitlines()] == [bool(line.strip()) for line in kept.splitlines()]
    assert english.count("  • ") == 3
    for german in ("Bildquelle", " und ", " der ", " die ", "Artikel empfehlen", "<<:"):
        assert german not in english


def test_commands_that_do_not_translate_never_import_the_engine(sample: Path):
    for command in (["status"], ["extract"], ["publish"]):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "l10n", *command], cwd=sample,
                              capture_output=True, text=True, check=True)
        imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
        assert not imported & {"ctranslate2", "torch", "stanza", "argostranslate", "sentencepiece"}, command
