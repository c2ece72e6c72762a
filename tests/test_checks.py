"""``l10n check``: each QA check on planted errors and on correct translations, the command, silencing,
and ``l10n publish --check``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from support import REPO, run_l10n, snapshot

from l10n.qa.registry import CHECKS, Context, Finding, check_entry, ordered
from l10n.qa.run import _from_cache, run_checks
from l10n.formats.markdown import check_markup
from l10n.po import read_catalog, write_catalog
from l10n.project import Project

SLUG = "open-source-ki-deepseek"
KEEP = ("DeepSeek", "DeepSeek-R1", "ChatGPT", "Meta", "Llama", "Charlotte Edmond")
DE_EN = Context("de", "en", SLUG, f"source/{SLUG}.txt", KEEP, {"KI": "AI"})
EN_DE = Context("en", "de", SLUG, f"source/{SLUG}.txt")
DE_FR = Context("de", "fr", SLUG, f"source/{SLUG}.txt")


def findings(source: str, target: str, context: Context = DE_EN, comment: str = "") -> list[tuple[str, str]]:
    entry = polib.POEntry(msgid=source, msgstr=target, tcomment=comment, occurrences=[(f"source/{SLUG}.txt", "7")])
    return [(f.check, f.message) for f in check_entry(entry, context)]


def names(source: str, target: str, context: Context = DE_EN) -> list[str]:
    return [name for name, _ in findings(source, target, context)]


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("source, target", [
    ("Die Baukosten betrugen 5,6 Millionen US-Dollar.", "It cost $5.6 million to build."),
    ("Die Baukosten betrugen 5,6 Millionen US-Dollar.", "It cost $5,600,000 to build."),
    ("Die Baukosten betrugen 5,6 Millionen US-Dollar.", "It cost $5.6m to build."),
    ("Die Baukosten betrugen 5,6 Mio. US-Dollar.", "It cost 5.6 million dollars."),
    ("Ein Gewinn von 1,5 Milliarden Euro.", "A profit of €1.5bn."),
    ("Ein Gewinn von 1,5 Mrd. Euro.", "A profit of 1.5 billion euros."),
    ("Schulden von 2 Billionen Euro.", "Debts of 2 trillion euros."),
    ("Es waren 1.000.000 Menschen.", "There were 1,000,000 people."),
    ("Es waren 1.000.000 Menschen.", "There were a 1 million people."),
    ("Es waren 20.000 Menschen.", "There were 20,000 people."),
    ("Nur 10 % der Kosten.", "Just 10% of the cost."),
    ("Nur 10 % der Kosten.", "Just 10 percent of the cost."),
    ("Am 12. Juni 2025 war es so weit.", "On June 12th, 2025, the time had come."),
    ("Am 12. Juni 2025 war es so weit.", "On 12 June 2025 the time had come."),
    ("Am 12.06.2025 war es so weit.", "On 12 June 2025 the time had come."),
    ("Der 1. Platz und 3 Jahre Arbeit.", "First place and three years of work."),
    ("Im 21. Jahrhundert.", "In the 21st century."),
    ("In den 1990er Jahren.", "In the 1990s."),
    ("Version 3.5 ist da.", "Version 3.5 is out."),
    ("Die CO2-Emissionen steigen.", "Carbon emissions are rising."),
    ("DeepSeek-R1 kostet 2 Cent.", "DeepSeek-R1 costs 2 cents."),
])
def test_numbers_equal_by_value_in_the_rules_of_each_language(source, target):
    assert "numbers" not in names(source, target)


@pytest.mark.parametrize("source, target, message", [
    ("Die Baukosten betrugen 5,6 Millionen US-Dollar.", "It cost $5,6 million to build.",
     "5,6 Millionen (in en: 5.6 million) is not in the translation"),
    ("Die Baukosten betrugen 5,6 Millionen US-Dollar.", "It cost $5.6 to build.",
     "5,6 Millionen (in en: 5.6 million) is not in the translation"),
    ("Es waren 1.000.000 Menschen.", "There were 1.000.000 people.",
     "1.000.000 (in en: 1,000,000) is not in the translation"),
    ("Schulden von 2 Billionen Euro.", "Debts of 2 billion euros.",
     "2 Billionen (in en: 2 trillion) is not in the translation"),
    ("Ende Januar 2025 hat DeepSeek ChatGPT überholt.", "At the end of January 2024, DeepSeek overtook ChatGPT.",
     "2025 is not in the translation"),
    ("Nur 10 % der Kosten.", "Just part of the cost.", "10 is not in the translation"),
    ("Von 10 auf 10 Punkte.", "From 10 points.", "10 is not in the translation"),
    ("Der Wert stieg um 3,5 Prozent.", "The value rose by 35 percent.", "3,5 (in en: 3.5) is not in the translation"),
])
def test_numbers_missing_or_changed_are_errors_quoting_the_number(source, target, message):
    found = findings(source, target)
    assert ("numbers", message) in found, found
    assert CHECKS["numbers"].severity == "error"


def test_numbers_in_other_language_pairs():
    assert "numbers" not in names("It cost $5.6 million and 1,000,000 people came.",
                                  "Es kostete 5,6 Millionen Dollar, und 1.000.000 Menschen kamen.", EN_DE)
    assert ("numbers", "5.6 million (in de: 5,6 Millionen) is not in the translation") in \
        findings("It cost $5.6 million.", "Es kostete 5.6 Millionen Dollar.", EN_DE)
    # French groups with a narrow no-break space and writes "milliards"
    assert "numbers" not in names("20.000 Menschen und 1,5 Milliarden Euro.",
                                  "20\u202f000 personnes et 1,5 milliard d’euros.", DE_FR)


# ------------------------------------------------------- the other checks


def test_placeholders_urls_and_addresses_exactly():
    src = "Mehr unter https://example.org/a?x=1 oder an presse@example.org."
    assert "placeholders" not in names(src, "More at https://example.org/a?x=1 or from presse@example.org.")
    found = findings(src, "More at https://example.org/b?x=1 or from press@example.org.")
    assert ("placeholders", "URL https://example.org/a?x=1 is missing; the translation has https://example.org/b?x=1") \
        in found
    assert ("placeholders", "e-mail address presse@example.org is missing; the translation has press@example.org") \
        in found
    assert ("placeholders", "URL www.example.org is missing (1 of 2 times)") in \
        findings("www.example.org und www.example.org.", "www.example.org and the same.")


def test_markup_kept_and_balanced():
    src = "Ein **fetter** Satz mit `code`, [Link](/pfad) und <b>Tag</b> (hier)."
    assert "markup" not in names(src, "A **bold** sentence with `code`, [link](/pfad) and <b>tag</b> (here).")
    found = [m for n, m in findings(src, "A *bold* sentence with `kode`, [link](/path) and <b>tag (here.")
             if n == "markup"]
    assert "tag </b> is missing" in found
    assert "code `code` is missing" in found and "code `kode` is not in the source" in found
    assert "link target /pfad is missing" in found
    assert "emphasis marker ** appears 0 times, 2 in the source" in found
    assert "brackets do not pair up in the translation: 2 “(” and 1 “)”" in found
    # a bracket that is open in the source (the parenthesis goes on in the next sentence) is no error
    assert "markup" not in names("(Das ist der Anfang.", "(This is the beginning.")


MD = Context("de", "en", "ki-regulierung-europa", "source/ki-regulierung-europa.md", KEEP, {"KI": "AI"},
             check_markup)
MD_SOURCE = ("Den Rahmen setzt die [KI-Verordnung](https://eur-lex.europa.eu/eli/reg/2024/1689/oj \"Text\") "
             "(*AI Act*), seit dem **2. Februar 2025** mit `MIT`-Lizenz, <abbr>EU</abbr> und ~~alt~~ neu.[^1]")
MD_GOOD = ("The framework is set by the [AI Act](https://eur-lex.europa.eu/eli/reg/2024/1689/oj \"Text\") "
           "(*AI Act*), since **2 February 2025** with `MIT` licence, <abbr>EU</abbr> and ~~old~~ new.[^1]")


@pytest.mark.parametrize("target", [
    MD_GOOD,
    # moved, other emphasis delimiters, a translated link title: the same Markdown
    "Since __2 February 2025__, with `MIT` licence, ~~old~~ new <abbr>EU</abbr>: the "
    "[AI Act](https://eur-lex.europa.eu/eli/reg/2024/1689/oj 'The text') (_AI Act_) sets the framework.[^1]",
])
def test_markdown_markup_kept(target):
    assert "markup" not in names(MD_SOURCE, target, MD)
    assert list(check_markup(MD_SOURCE, target)) == []


@pytest.mark.parametrize("broken, message", [
    (MD_GOOD.replace("**2 February 2025**", "**2 February 2025*"),
     "strong emphasis **…** appears 0 times, 1 in the source"),
    (MD_GOOD.replace("**2 February 2025**", "**2 February** 2025**"),
     "** pairs with nothing, so Markdown shows it as typed (1 more than in the source)"),
    (MD_GOOD.replace("(*AI Act*)", "(*AI Act)"), "emphasis *…* appears 0 times, 1 in the source"),
    (MD_GOOD.replace("~~old~~", "~~old~"), "strikethrough ~~…~~ appears 0 times, 1 in the source"),
    (MD_GOOD.replace("[AI Act]", "AI Act]"),
     "link target https://eur-lex.europa.eu/eli/reg/2024/1689/oj is missing"),
    (MD_GOOD.replace("[AI Act]", "AI Act]"), "brackets do not pair up: 1 “[” and 2 “]”"),
    (MD_GOOD.replace("[AI Act](", "[AI Act] ("), "link target https://eur-lex.europa.eu/eli/reg/2024/1689/oj is missing"),
    (MD_GOOD.replace("1689/oj", "1689/oj/en"),
     "link target https://eur-lex.europa.eu/eli/reg/2024/1689/oj/en is not in the source"),
    (MD_GOOD.replace("`MIT` licence", "MIT licence"), "code `MIT` is missing"),
    (MD_GOOD.replace("`MIT` licence", "`MIT licence"), "` pairs with nothing, so Markdown shows it as typed "
                                                      "(1 more than in the source)"),
    (MD_GOOD.replace("</abbr>", ""), "HTML </abbr> is missing"),
    (MD_GOOD.replace("[^1]", ""), "footnote reference [^1] is missing"),
])
def test_markdown_markup_broken(broken, message):
    found = [m for n, m in findings(MD_SOURCE, broken, MD) if n == "markup"]
    assert message in found, found
    # the same translation in a plain-text article is checked by the text rules
    assert DE_EN.format_markup is None


def test_glossary_terms_kept_and_fixed_translations_used():
    src = "DeepSeek-R1 und ChatGPT bringen KI-Modelle."
    assert names(src, "DeepSeek-R1 and ChatGPT bring AI models.") == []
    assert names("Metas Modell DeepSeek.", "DeepSeek’s model.") == []  # "Meta" is not a word of the source
    found = findings(src, "Deepseek R1 and ChatGPT bring artificial intelligence models.")
    assert ("glossary-keep", "DeepSeek-R1 is not in the translation (glossary.keep: copy it as it is)") in found
    assert ("glossary-terms", "KI should be translated as AI (glossary.terms)") in found
    assert CHECKS["glossary-keep"].severity == "error" and CHECKS["glossary-terms"].severity == "warning"


def test_empty_untranslated_whitespace_punctuation():
    assert ("empty", "the translation is only white space (' ')") in findings("Ein Satz.", " ")
    long = "Das ist ein ganzer Satz auf Deutsch."
    assert ("untranslated", f"the translation is identical to the source: “{long}”") in findings(long, long)
    assert "untranslated" not in names("Charlotte Edmond", "Charlotte Edmond")  # a name: copied on purpose
    assert "untranslated" not in names("Open Source", "Open Source")  # too short to tell
    assert ("whitespace", "trailing white space differs: '' in the source, ' ' in the translation") in \
        findings("Ein Satz.", "A sentence. ")
    assert ("punctuation", "the source ends with “?”, the translation with “.”: “Has AI reached its moment.”") in \
        findings("Hat die KI ihren Moment erreicht?", "Has AI reached its moment.")
    assert ("punctuation", "the source ends with “.”, the translation without final punctuation: “A sentence”") in \
        findings("Ein Satz.", "A sentence")
    for source, target in [("Er sagte: „Ja.“", "He said: “Yes.”"), ("Es heißt „Sputnik-Moment“.", "It is called a “Sputnik moment.”"),
                           ("Und dann...", "And then …"), ("Charlotte Edmond", "Charlotte Edmond")]:
        assert "punctuation" not in names(source, target), (source, target)


def test_quotes_of_the_source_language_and_pairing():
    src = "Hat die KI ihren eigenen „Sputnik-Moment“ erreicht?"
    assert "quotes" not in names(src, "Has AI reached its own “Sputnik moment”?")
    found = findings(src, "Has AI reached its own „Sputnik moment“?")
    assert [n for n, _ in found] == ["quotes"]
    assert "„ is a quotation mark of the source language" in found[0][1] and "„Sputnik moment“?" in found[0][1]
    assert ("quotes", "quotation marks do not pair up: 2 “ but 0 ”") in \
        findings(src, "Has AI reached its own “Sputnik moment“?")
    assert "quotes" not in names("Der „Sputnik-Moment", "The “Sputnik moment")  # the quote goes on elsewhere
    assert "quotes" not in names("Das ist DeepSeeks Erfolg.", "That is DeepSeek’s success.")


def test_machine_translation_degeneration():
    src = "Das Modell ist kostenlos und quelloffen."
    assert ("repetition", "“of the model” is repeated 4 times in a row") in \
        findings(src, "The model is free of the model of the model of the model of the model.")
    assert ("repetition", "“free” is repeated 3 times in a row") in findings(src, "The model is free free free.")
    assert "repetition" not in names("Nein, nein, nein!", "No, no, no!")  # the source repeats it too
    assert ("length", "the translation has 8 characters, 20% of the 40 of the source") in \
        findings(src, "It's ok.")
    assert "length" in names(src, src.replace(".", " ") + "and much more to say about it in English, really a lot.")
    assert "length" not in names("Ja.", "Yes, indeed it is.")  # short units vary too much


def test_untranslated_entries_and_plural_forms():
    assert check_entry(polib.POEntry(msgid="Ein Satz mit 5 Wörtern.", msgstr=""), DE_EN) == []
    plural = polib.POEntry(msgid="%d Datei", msgid_plural="%d Dateien", msgstr_plural={0: "%d file", 1: ""})
    found = check_entry(plural, DE_EN)
    assert [(f.check, f.message) for f in found] == [("empty", "plural form 1: the translation is empty")]


# ---------------------------------------------------------------- silencing


@pytest.mark.gettext
def test_a_translator_comment_silences_checks_and_survives_msgcat(tmp_path):
    src, bad = "Nur 10 % der Kosten.", "Just part of the cost!"
    assert names(src, bad) == ["punctuation", "numbers"]
    assert findings(src, bad, comment="l10n-ignore: numbers") == [findings(src, bad)[0]]
    assert findings(src, bad, comment="Ein Kommentar.\nl10n-ignore: numbers, punctuation") == []
    found = findings(src, bad, comment="l10n-ignore: nubmers")
    assert found[0][0] == "ignore" and "`l10n-ignore: nubmers` names no check" in found[0][1]

    # A flag would not do: msgcat drops flags it does not know. The comment line stays.
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid=src, msgstr=bad, tcomment="l10n-ignore: numbers, punctuation",
                            flags=["no-l10n-check-numbers"]))
    path = tmp_path / "x.po"
    path.write_text(str(po), encoding="utf-8")
    out = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout
    assert "no-l10n-check-numbers" not in out and "# l10n-ignore: numbers, punctuation" in out
    path.write_text(out, encoding="utf-8")
    assert check_entry(read_catalog(path)[0], DE_EN) == []


def test_every_check_has_a_name_severity_and_doc():
    assert list(CHECKS) == ["empty", "untranslated", "whitespace", "punctuation", "numbers", "placeholders",
                            "markup", "structure", "glossary-keep", "glossary-terms", "quotes", "repetition", "length"]
    for chk in CHECKS.values():
        assert chk.severity in ("error", "warning") and chk.doc.endswith(".") and "\n" not in chk.doc


# ---------------------------------------------------------------- commands


def _catalog(project: Path, slug: str = SLUG) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"


def _plant(path: Path, changes: dict[str, tuple[str, str]], fuzzy: bool = False) -> None:
    """Replace part of the translation of the entries whose source contains a key."""
    po = read_catalog(path)
    for key, (old, new) in changes.items():
        entry = next(e for e in po if key in e.msgid)
        assert old in entry.msgstr, entry.msgstr
        entry.msgstr = entry.msgstr.replace(old, new)
        if fuzzy:
            entry.flags.append("fuzzy")
    write_catalog(path, po)


PLANTED = {
    "5,6 Millionen": ("$5.6 million", "$5,6 million"),  # numbers: error
    "Sputnik-Moment": ("“Sputnik moment”", "„Sputnik moment“"),  # quotes: warning
}


def test_the_sample_project_is_clean():
    out = run_l10n("check", cwd=REPO)
    assert out.stdout == "No problems found.\n"
    assert json.loads(run_l10n("check", "--json", cwd=REPO).stdout) == []
    assert run_checks(Project(REPO)) == []


def test_check_command_table_json_and_exit_codes(sample):
    _plant(_catalog(sample), PLANTED)
    before = snapshot(sample)
    proc = run_l10n("check", cwd=sample, check=False)
    assert proc.returncode == 1 and proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0] == f"en  {SLUG}"
    assert lines[1].split()[:3] == ["8", "warning", "quotes"]
    assert lines[2].split()[:3] == ["30", "error", "numbers"]
    assert "5,6 Millionen (in en: 5.6 million) is not in the translation" in lines[2]
    assert lines[-1] == "1 error, 1 warning in 1 catalog."

    rows = json.loads(run_l10n("check", "--json", cwd=sample, check=False).stdout)
    assert [set(r) for r in rows] == [{"article", "line", "msgid", "check", "severity", "message", "language"}] * 2
    numbers = next(r for r in rows if r["check"] == "numbers")
    assert numbers["article"] == SLUG and numbers["line"] == 30 and numbers["severity"] == "error"
    assert numbers["language"] == "en" and "5,6 Millionen" in numbers["msgid"]
    assert snapshot(sample) == before  # checking writes nothing

    # warnings alone: exit 0
    _plant(_catalog(sample), {"5,6 Millionen": ("$5,6 million", "$5.6 million")})
    proc = run_l10n("check", "--lang", "en", "--article", SLUG, cwd=sample)
    assert proc.stdout.splitlines()[-1] == "0 errors, 1 warning in 1 catalog."
    # silenced by the translator
    po = read_catalog(_catalog(sample))
    next(e for e in po if "Sputnik-Moment" in e.msgid).tcomment = "l10n-ignore: quotes"
    write_catalog(_catalog(sample), po)
    assert run_l10n("check", cwd=sample).stdout == "No problems found.\n"

    proc = run_l10n("check", "--lang", "fr", cwd=sample, check=False)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "'fr' is not a target language" in proc.stderr
    out = run_l10n("check", "--list-checks", cwd=sample).stdout
    assert out.splitlines()[4].split()[:2] == ["numbers", "error"]


def test_findings_of_run_checks(sample):
    _plant(_catalog(sample), PLANTED)
    found = run_checks(Project(sample), languages=["en"])
    assert [(f.check, f.line) for f in found] == [("quotes", 8), ("numbers", 30)]
    assert isinstance(found[0], Finding) and found[0].article == SLUG and found[0].as_dict()["language"] == "en"
    assert run_checks(Project(sample), articles=[SLUG], reviewed_only=True) == found


def test_findings_come_catalog_by_catalog_by_language_article_and_line(sample):
    """Languages and slugs in alphabetical order, not the settings' or the folder's (``a/b`` comes before
    ``a-b`` there), as sorting every finding of the project orders them; the JSON is ``json.dumps`` of them."""
    _plant(_catalog(sample), PLANTED)
    text = (sample / "l10n.yaml").read_text(encoding="utf-8")
    (sample / "l10n.yaml").write_text(text.replace("target_languages: [en]", "target_languages: [fr, en]"),
                                      encoding="utf-8")
    (sample / "source" / "a").mkdir()
    for slug in ("a/b", "a-b"):
        shutil.copy(sample / "source" / f"{SLUG}.txt", sample / "source" / f"{slug}.txt")
    for lang, slug in [("fr", SLUG), ("fr", "a/b"), ("fr", "a-b"), ("en", "a/b"), ("en", "a-b")]:
        target = sample / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(_catalog(sample), target)
    run_l10n("extract", cwd=sample)

    found = run_checks(Project(sample))
    assert found == ordered(found)
    catalogs = list(dict.fromkeys((f.language, f.article) for f in found))
    assert catalogs == [(lang, slug) for lang in ("en", "fr") for slug in ("a-b", "a/b", SLUG)]
    proc = run_l10n("check", cwd=sample, check=False)
    assert proc.returncode == 1
    assert [line for line in proc.stdout.splitlines() if not line.startswith(" ")][:-1] == \
        [f"{lang}  {slug}" for lang, slug in catalogs]
    errors = sum(f.severity == "error" for f in found)
    assert proc.stdout.splitlines()[-1] == f"{errors} errors, {len(found) - errors} warnings in 6 catalogs."
    proc = run_l10n("check", "--json", cwd=sample, check=False)
    assert proc.returncode == 1
    assert proc.stdout == json.dumps([f.as_dict() for f in found], ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("rows", [None, 3, "x", {"a": 1}, [3], ["abcde"], [[1, "m", "c", "s"]], [[True, "m", "c", "s", "t"]],
                                  [[1, "m", "c", "s", "t"], [1.0, "m", "c", "s", "t"]], [[1, "m", "c", "s", None]]])
def test_cached_findings_of_the_wrong_kind_are_not_used(rows):
    assert _from_cache(rows, "en", SLUG) is None


def test_cached_findings_are_findings():
    assert _from_cache([], "en", SLUG) == []
    assert _from_cache([[3, "m", "c", "error", "t"]], "en", SLUG) == [Finding(SLUG, 3, "m", "c", "error", "t", "en")]


def _two_articles(sample: Path) -> Path:
    """The sample with a second, fully reviewed copy of its article."""
    shutil.copy(sample / "source" / f"{SLUG}.txt", sample / "source" / "zweiter.txt")
    shutil.copy(_catalog(sample), _catalog(sample, "zweiter"))
    run_l10n("extract", cwd=sample)
    return sample


def test_publish_check_refuses_articles_with_errors_and_publishes_the_others(sample):
    project = _two_articles(sample)
    _plant(_catalog(project, "zweiter"), PLANTED)
    both = ("--article", SLUG, "--article", "zweiter")
    proc = run_l10n("publish", "--check", *both, cwd=project, check=False)
    assert proc.returncode == 1
    assert f"en: public/en/{SLUG}.txt (100% reviewed)" in proc.stdout
    assert "en: skipped zweiter: 1 QA error; see `l10n check --lang en --article zweiter`" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "Published 1 of 2 articles; 1 refused for QA errors."
    assert (project / "public" / "en" / f"{SLUG}.txt").exists()
    assert not (project / "public" / "en" / "zweiter.txt").exists()

    # errors only in fuzzy entries do not count unless those are published
    _plant(_catalog(project, "zweiter"), {"5,6 Millionen": ("$5,6 million", "$5,6 million")}, fuzzy=True)
    out = run_l10n("publish", "--check", *both, cwd=project).stdout
    assert out.splitlines()[-1] == "Published 2 of 2 articles."
    proc = run_l10n("publish", "--check", "--include-fuzzy", "--article", "zweiter", cwd=project, check=False)
    assert proc.returncode == 1 and "1 QA error" in proc.stdout
    # without --check, nothing is refused
    assert run_l10n("publish", *both, cwd=project).stdout.splitlines()[-1] == "Published 2 of 2 articles."
