"""``l10n publish``: where articles go (``publish.path``), the language in Markdown front matter, and
Markdown units whose translation would break the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import configure, run_l10n, snapshot

from l10n import config as config_module
from l10n.errors import L10nError
from l10n.po import read_catalog, write_catalog

MD = "ki-regulierung-europa"
TXT = "open-source-ki-deepseek"


def _catalog(project: Path, slug: str = MD) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"


def _parse(extra: dict) -> config_module.Config:
    return config_module.parse({"source_language": "de", "target_languages": ["en"], **extra}, Path("."))


# ------------------------------------------------------------------ l10n.yaml


@pytest.mark.parametrize("extra, message", [
    ({"publish": {"path": "public/{path}"}}, "publish.path: expected {lang} in the path"),
    ({"publish": {"path": "public/{lang}/{name}"}},
     "publish.path: unknown field {name} (expected {lang}, {path}, {dir}, {stem}, {ext})"),
    ({"publish": {"path": "public/{lang}/{path!r}"}}, "publish.path: unknown field {path!r}"),
    ({"publish": {"path": "public/{lang}/{path"}}, "publish.path: expected a path template"),
    ({"publish": {"path": "public/{lang}.md"}}, "publish.path: expected {path} or {stem} in the path"),
    ({"publish": {"path": "../site/{lang}/{path}"}}, "publish.path: expected the path of a file inside the project"),
    ({"publish": {"path": "/srv/site/{lang}/{path}"}}, "publish.path: expected the path of a file inside the project"),
    ({"publish": {"path": 3}}, "publish.path: expected a string, got a number"),
    ({"publish": {"front_matter_language_key": "die Sprache"}},
     "publish.front_matter_language_key: expected a plain key name"),
    ({"publish": {"languages": "x"}}, "publish.languages: unknown key (expected one of: path, "
                                      "front_matter_language_key, add_front_matter)"),
    ({"markdown": {"front_matter": "title"}}, "markdown.front_matter: expected a list, got a string"),
    ({"markdown": {"front_matter": ["title", " summary"]}}, "markdown.front_matter[1]: expected a term without spaces"),
    ({"markdown": {"front_matter": ["title", "title"]}}, "markdown.front_matter[1]: title is listed twice"),
    ({"markdown": {"front_matter": ["title", "lang"]}, "publish": {"front_matter_language_key": "lang"}},
     "markdown.front_matter[1]: lang is publish.front_matter_language_key"),
    ({"markdown": {"keys": []}}, "markdown.keys: unknown key (expected one of: front_matter)"),
])
def test_bad_publish_and_markdown_settings_are_one_line(extra, message):
    with pytest.raises(L10nError) as info:
        _parse(extra)
    assert str(info.value).startswith(f"l10n.yaml: {message}"), str(info.value)
    assert "\n" not in str(info.value)


def test_settings_and_their_defaults():
    plain = _parse({})
    assert plain.publish_path == "public/{lang}/{path}"
    assert plain.publish.front_matter_language_key == ""
    assert plain.markdown.front_matter == ("title", "description", "summary")
    assert _parse({"folders": {"output": "site/{x}"}}).publish_path == "site/{{x}}/{lang}/{path}"
    hugo = _parse({"publish": {"path": "content/{dir}{stem}.{lang}{ext}", "front_matter_language_key": "lang"},
                   "markdown": {"front_matter": ["title", "teaser"]}})
    assert hugo.publish_path == "content/{dir}{stem}.{lang}{ext}"
    assert hugo.publish.front_matter_language_key == "lang" and hugo.markdown.front_matter == ("title", "teaser")
    assert _parse({"markdown": {"front_matter": []}}).markdown.front_matter == ()


# ------------------------------------------------------------------ paths and the language key


def test_default_paths_are_unchanged(sample):
    out = run_l10n("publish", cwd=sample).stdout
    assert out.splitlines() == [f"en: public/en/{MD}.md (100% reviewed)", f"en: public/en/{TXT}.txt (100% reviewed)",
                                "Published 2 of 2 articles."]
    # without a language key the front matter is the source's, its translatable values translated
    published = (sample / "public" / "en" / f"{MD}.md").read_text(encoding="utf-8")
    assert published.startswith("---\ntitle: \"After DeepSeek") and "\nlang:" not in published.split("\n---\n")[0]


def test_hugo_style_paths_next_to_the_source_and_the_language_key(sample):
    run_l10n("publish", cwd=sample)
    default = {slug: (sample / "public" / "en" / f"{slug}{ext}").read_text(encoding="utf-8")
               for slug, ext in ((MD, ".md"), (TXT, ".txt"))}
    configure(sample, 'publish:\n  path: "source/{dir}{stem}.{lang}{ext}"\n  front_matter_language_key: lang\n')
    out = run_l10n("publish", cwd=sample).stdout
    assert out.splitlines() == [f"en: source/{MD}.en.md (100% reviewed)", f"en: source/{TXT}.en.txt (100% reviewed)",
                                "Published 2 of 2 articles."]
    md = (sample / "source" / f"{MD}.en.md").read_text(encoding="utf-8")
    # the language is the last line of the front matter; everything else as before, byte for byte
    assert md == default[MD].replace("author: Redaktion\n---\n", "author: Redaktion\nlang: en\n---\n", 1)
    assert (sample / "source" / f"{TXT}.en.txt").read_text(encoding="utf-8") == default[TXT]

    # what was published into the source folder is no article: nothing to extract, the same status
    before = snapshot(sample / "locales")
    assert "2 articles" in run_l10n("extract", cwd=sample).stdout
    assert snapshot(sample / "locales") == before
    status = run_l10n("status", cwd=sample).stdout
    assert f"{MD}.en" not in status and f"{TXT}.en" not in status
    # publishing again gives the same files
    files = snapshot(sample / "source")
    run_l10n("publish", cwd=sample)
    assert snapshot(sample / "source") == files


def test_subfolders_dir_stem_and_clashes(sample):
    news = sample / "source" / "news"
    news.mkdir()
    (news / "kurz.md").write_text("# Kurz\n\nEin Satz.\n", encoding="utf-8")
    (sample / "source" / "kurz.txt").write_text("Kurz\n\nEin anderer Satz.\n", encoding="utf-8")
    run_l10n("extract", cwd=sample)
    configure(sample, 'publish:\n  path: "site/{lang}/{dir}{stem}/index{ext}"\n  front_matter_language_key: lang\n'
                       '  add_front_matter: true\n')
    out = run_l10n("publish", cwd=sample).stdout
    assert "en: site/en/news/kurz/index.md (0% reviewed; 2 units in the source language)" in out
    assert "en: site/en/kurz/index.txt (0% reviewed; 2 units in the source language)" in out
    # an article without front matter gets one, holding only the language
    assert (sample / "site" / "en" / "news" / "kurz" / "index.md").read_text(encoding="utf-8") == \
        "---\nlang: en\n---\n# Kurz\n\nEin Satz.\n"

    (sample / "l10n.yaml").write_text(re.sub(r'path: ".*"', 'path: "site/{lang}/{stem}.html"',
                                             (sample / "l10n.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(sample)
    proc = run_l10n("publish", cwd=sample, check=False)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert proc.stderr == ("l10n: error: l10n.yaml: publish.path: source/kurz.txt and source/news/kurz.md would both "
                           "be published as site/en/kurz.html; use {path}, or {dir} with {stem}\n")
    assert snapshot(sample) == before


# ------------------------------------------------------------------ broken Markdown


def _break(project: Path) -> dict[str, str]:
    """Break the Markdown of two reviewed English translations of the Markdown article; their msgids."""
    po = read_catalog(_catalog(project))
    broken = {}
    for entry in po:
        if "](https://eur-lex" in entry.msgid:
            entry.msgstr = entry.msgstr.replace("[", "", 1)  # a lost link bracket
            broken["link"] = entry.msgid
        elif entry.msgid.startswith("Seit dem **2. Februar 2025**"):
            entry.msgstr = entry.msgstr.replace("**", "*", 1)  # an unbalanced **
            broken["emphasis"] = entry.msgid
    write_catalog(_catalog(project), po)
    assert len(broken) == 2
    return broken


def test_broken_markdown_is_reported_and_published_in_the_source_language(sample):
    broken = _break(sample)
    proc = run_l10n("check", cwd=sample, check=False)
    assert proc.returncode == 1
    rows = [line.split(None, 3) for line in proc.stdout.splitlines() if " markup " in line]
    assert {(int(line), severity) for line, severity, _check, _message in rows} == {(37, "error"), (42, "error")}
    assert any("link target https://eur-lex.europa.eu/eli/reg/2024/1689/oj is missing" in row[3] for row in rows)
    assert any("strong emphasis **…** appears 0 times, 1 in the source" in row[3] for row in rows)

    out = run_l10n("publish", cwd=sample).stdout
    assert f"en: public/en/{MD}.md (100% reviewed; 2 units kept in German: broken markup)" in out
    assert f"en: public/en/{TXT}.txt (100% reviewed)" in out
    published = (sample / "public" / "en" / f"{MD}.md").read_text(encoding="utf-8")
    po = {e.msgid: e.msgstr for e in read_catalog(_catalog(sample))}
    folded = " ".join(published.split())
    for msgid in broken.values():  # the German source text instead of the broken translation
        assert msgid in folded and po[msgid] not in folded
    assert "When the Chinese company DeepSeek" in published  # the rest is English

    # with --check the article is refused instead
    proc = run_l10n("publish", "--check", "--article", MD, cwd=sample, check=False)
    assert proc.returncode == 1 and "skipped ki-regulierung-europa:" in proc.stdout

    # the translator says the markup is fine: publish uses the translation
    po_file = read_catalog(_catalog(sample))
    next(e for e in po_file if e.msgid == broken["emphasis"]).tcomment = "l10n-ignore: markup"
    write_catalog(_catalog(sample), po_file)
    out = run_l10n("publish", "--article", MD, cwd=sample).stdout
    assert f"en: public/en/{MD}.md (100% reviewed; 1 unit kept in German: broken markup)" in out
    assert po[broken["emphasis"]] in (sample / "public" / "en" / f"{MD}.md").read_text(encoding="utf-8")


def test_front_matter_keys_are_configurable(sample):
    configure(sample, "markdown:\n  front_matter: [title, author]\n")
    run_l10n("extract", cwd=sample)
    po = read_catalog(_catalog(sample))
    front = [(e.comment, e.msgid) for e in po if not e.obsolete and e.comment.startswith("front matter")]
    assert front == [("front matter: title", "Nach DeepSeek: Wie Europa Open-Source-KI reguliert"),
                     ("front matter: author", "Redaktion")]
    assert any(e.obsolete and e.msgid.startswith("Die KI-Verordnung der EU nimmt offene Modelle") for e in po)
