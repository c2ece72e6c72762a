"""Both article formats side by side, end to end on a copy of the sample project: extract, translate (tiny real
Argos models, offline), check, publish and status, as from a clean clone."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support import run_l10n, snapshot

from l10n.formats.markdown import protected_spans
from l10n.po import read_catalog, write_catalog
from l10n.notes import provenance

MD = "ki-regulierung-europa"
TXT = "open-source-ki-deepseek"


def _catalog(project: Path, lang: str, slug: str) -> Path:
    return project / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"


def test_both_formats_extract_translate_check_publish_status(argos_env, sample):
    project = sample
    # a clean clone: fully reviewed English, nothing to extract
    assert "0 files written" in run_l10n("extract", cwd=project).stdout
    before = snapshot(project / "locales")

    # a new target language, and the Markdown article's English translations of the sentences it shares with the
    # plain-text article taken away
    config = project / "l10n.yaml"
    text = config.read_text(encoding="utf-8").replace("target_languages: [en]", "target_languages: [en, fr]")
    config.write_text(text + "\npublish:\n  front_matter_language_key: lang\n", encoding="utf-8")
    out = run_l10n("extract", cwd=project).stdout
    assert "2 articles" in out
    assert snapshot(project / "locales").keys() - before.keys() == {
        f"fr/LC_MESSAGES/{MD}.po", f"fr/LC_MESSAGES/{TXT}.po"}
    seed = {e.msgid: e.msgstr for e in read_catalog(_catalog(project, "en", TXT)) if e.msgstr}
    md_en = read_catalog(_catalog(project, "en", MD))
    shared = [e for e in md_en if e.msgid in seed and not e.obsolete]
    assert len(shared) == 5
    for entry in shared:
        entry.msgstr = ""
    write_catalog(_catalog(project, "en", MD), md_en)

    for name in ("de_en", "en_fr"):
        run_l10n("models", "install", "--file", str(getattr(argos_env.models, name)), cwd=project)
    out = run_l10n("translate", cwd=project).stdout
    assert re.search(r"^de→en: 5 from memory, 0 from the engine", out, re.M), out
    assert re.search(r"^de→fr \(via en\): 0 from memory, \d+ from the engine", out, re.M), out

    # English: the shared sentences come from the reviewed plain-text article, as fuzzy suggestions
    md_en = {e.msgid: e for e in read_catalog(_catalog(project, "en", MD))}
    for entry in shared:
        filled = md_en[entry.msgid]
        assert filled.msgstr == seed[entry.msgid] and filled.fuzzy
        assert f"l10n: from translation memory (source/{TXT}.txt)" in filled.tcomment.split("\n")

    # French, by machine: in Markdown units link targets, code, HTML and labels come back byte for byte
    md_fr = [e for e in read_catalog(_catalog(project, "fr", MD)) if not e.obsolete]
    machine = [e for e in md_fr if provenance(e).kind == "machine"]
    assert machine and all(e.msgstr and e.fuzzy for e in md_fr)
    kinds = set()
    for entry in md_fr:
        for start, end, kind in protected_spans(entry.msgid):
            kinds.add(kind)
            assert entry.msgstr.count(entry.msgid[start:end]) >= entry.msgid.count(entry.msgid[start:end]), \
                (entry.msgid, entry.msgstr)
        assert not re.search(r"(?i)\b(qz|xq) ?\d", entry.msgstr), entry.msgstr
    assert {"link", "code"} <= kinds
    link = next(e for e in md_fr if "](https://eur-lex.europa.eu/eli/reg/2024/1689/oj)" in e.msgid)
    assert "](https://eur-lex.europa.eu/eli/reg/2024/1689/oj)" in link.msgstr
    assert "`MIT`" in next(e for e in md_fr if "`MIT`" in e.msgid).msgstr

    # check: one report over both formats
    proc = run_l10n("check", "--json", cwd=project, check=False)
    rows = json.loads(proc.stdout)
    assert {r["article"] for r in rows if r["language"] == "fr"} == {MD, TXT}

    # publish the suggestions: both formats, both languages, the language in the Markdown front matter
    out = run_l10n("publish", "--include-fuzzy", cwd=project).stdout
    for lang in ("en", "fr"):
        assert re.search(rf"^{lang}: public/{lang}/{MD}\.md \(", out, re.M), out
        assert re.search(rf"^{lang}: public/{lang}/{TXT}\.txt \(", out, re.M), out
        published = (project / "public" / lang / f"{MD}.md").read_text(encoding="utf-8")
        front = published.split("\n---\n", 1)[0]
        assert front.startswith("---\n") and front.endswith(f"\nlang: {lang}")
        assert "date: 2025-03-12\nslug: ki-regulierung-europa\n" in front
        assert "](https://eur-lex.europa.eu/eli/reg/2024/1689/oj)" in published
    assert out.splitlines()[-1] == "Published 4 of 4 articles."
    english = (project / "public" / "en" / f"{MD}.md").read_text(encoding="utf-8")
    assert seed[shared[0].msgid] in " ".join(english.split())

    # status: every language and article
    rows = json.loads(run_l10n("status", "--json", cwd=project).stdout)
    table = {(r["language"], r["article"]): r for r in rows}
    assert {("en", MD), ("en", TXT), ("fr", MD), ("fr", TXT)} <= set(table)
    assert table[("en", MD)]["fuzzy"] == 5 and table[("en", TXT)]["percent_reviewed"] == 100.0
    assert table[("fr", MD)]["untranslated"] == 0 and table[("fr", MD)]["reviewed"] == 0
