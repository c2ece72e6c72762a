"""Front matter values by key path (``menu.main.title``, ``cards[].title``), and publishing adds no front matter.

``markdown.front_matter`` lists key paths: keys joined by ``.``, each followed
by ``[]`` for every item of a list. The values they lead to are units, and a
translation goes back in place in the same YAML style as a top-level value.
``publish.add_front_matter`` (default false) decides whether an article with
no front matter gets one for ``publish.front_matter_language_key``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import run_l10n

from l10n import config as config_module
from l10n.errors import L10nError
from l10n.formats import FormatSettings
from l10n.formats import markdown

SITES = Path(__file__).resolve().parent / "data" / "sites"
K8S_HOME = SITES / "hugo" / "content" / "de" / "docs" / "home" / "_index.md"
MDBOOK_PAGE = SITES / "mdbook" / "src" / "ch03-04-comments.md"


def _config(**sections):
    return config_module.parse({"source_language": "de", "target_languages": ["en"], **sections}, Path("."))


def _settings(*paths: str) -> FormatSettings:
    return FormatSettings("de", front_matter=paths)


def _front(source: str, *paths: str) -> list[tuple[str, str, str]]:
    doc = markdown.read(source.encode(), "a.md", _settings(*paths))
    return [(u.kind, u.note, u.text) for u in doc.units() if u.kind.startswith("front matter")]


def _translate(source: str, paths: tuple[str, ...], translate) -> str:
    doc = markdown.read(source.encode(), "a.md", _settings(*paths))
    return doc.render(lambda u: translate(u.text) if u.kind.startswith("front matter") else None).decode()


def _yaml(page: str):
    return yaml.safe_load(page.split("---\n")[1])


# ------------------------------------------------------------------ l10n.yaml

def test_key_paths_are_accepted_and_kept_in_order():
    paths = ["title", "menu.main.title", "cards[].title", "params.description", "tags[]", "Meta Title", "og:title",
             "a[][].b"]
    assert _config(markdown={"front_matter": paths}).markdown.front_matter == tuple(paths)


@pytest.mark.parametrize("path", ["cards[.title", "cards].title", "a..b", ".title", "title.", "cards[0].title",
                                  "a[]b", "menu. main", "menu .main", "[]"])
def test_a_bad_key_path_is_one_line(path):
    with pytest.raises(L10nError) as info:
        _config(markdown={"front_matter": ["title", path]})
    message = str(info.value)
    assert message.startswith("l10n.yaml: markdown.front_matter[1]: "), message
    assert "\n" not in message
    assert "expected a key path such as title, menu.main.title or cards[].title" in message \
        or "expected a term without spaces around it" in message, message


def test_a_path_listed_twice_and_the_language_key_are_refused():
    with pytest.raises(L10nError, match=r"markdown.front_matter\[1\]: cards\[\].title is listed twice"):
        _config(markdown={"front_matter": ["cards[].title", "cards[].title"]})
    with pytest.raises(L10nError, match=r"markdown.front_matter\[0\]: lang is publish.front_matter_language_key"):
        _config(markdown={"front_matter": ["lang"]}, publish={"front_matter_language_key": "lang"})
    # a nested key of the same name is another key
    cfg = _config(markdown={"front_matter": ["params.lang"]}, publish={"front_matter_language_key": "lang"})
    assert cfg.markdown.front_matter == ("params.lang",)


def test_add_front_matter_is_false_by_default_and_must_be_true_or_false():
    assert _config().publish.add_front_matter is False
    assert FormatSettings.from_config(_config()).add_front_matter is False
    cfg = _config(publish={"front_matter_language_key": "lang", "add_front_matter": True})
    assert cfg.publish.add_front_matter is True and FormatSettings.from_config(cfg).add_front_matter is True
    with pytest.raises(L10nError) as info:
        _config(publish={"add_front_matter": "yes"})
    assert str(info.value) == "l10n.yaml: publish.add_front_matter: expected true or false, got a string"


# ------------------------------------------------------------------ extraction

NESTED = """\
---
title: Startseite
date: 2025-01-02
menu:
  main:
    title: "Dokumentation"
    weight: 20
params:
  description: Alles über die Plattform.
  weight: 3
cards:
- name: concepts
  title: "Verstehen Sie die Grundlagen"
  description: Lernen Sie die Konzepte kennen.
- name: tasks
  title: 'Aufgaben erledigen'
- name: leer
  title: ""
tags:
  - Wolken
  - 42
keywords: [Container, 'Kleine Dienste']
meta: {description: Eine Seite}
---

Text.
"""
PATHS = ("title", "menu.main.title", "params.description", "cards[].title", "cards[].description", "tags[]",
         "keywords[]", "meta.description", "missing.key", "title.sub", "cards[].title[]")


def test_values_by_path_are_units_with_their_concrete_path():
    assert _front(NESTED, *PATHS) == [
        ("front matter title", "front matter: title", "Startseite"),
        ("front matter menu.main.title", "front matter: menu.main.title", "Dokumentation"),
        ("front matter params.description", "front matter: params.description", "Alles über die Plattform."),
        ("front matter cards[0].title", "front matter: cards[0].title", "Verstehen Sie die Grundlagen"),
        ("front matter cards[0].description", "front matter: cards[0].description", "Lernen Sie die Konzepte kennen."),
        ("front matter cards[1].title", "front matter: cards[1].title", "Aufgaben erledigen"),
        ("front matter tags[0]", "front matter: tags[0]", "Wolken"),  # 42 is no string
        ("front matter keywords[0]", "front matter: keywords[0]", "Container"),
        ("front matter keywords[1]", "front matter: keywords[1]", "Kleine Dienste"),
        ("front matter meta.description", "front matter: meta.description", "Eine Seite"),
    ]


def test_only_listed_paths_and_top_level_keys_at_the_line_start():
    assert _front(NESTED, "title") == [("front matter title", "front matter: title", "Startseite")]
    assert _front(NESTED, "description") == []  # nested descriptions are not the top-level one
    assert _front(NESTED, "cards") == [] and _front(NESTED, "menu.main") == []  # a mapping or list is no value
    assert _front(NESTED, "cards.title") == []  # a list needs []
    assert _front(NESTED, "menu[].title") == []  # a mapping is no list


def test_anchored_and_aliased_values_are_left_alone_and_counted_once():
    source = "---\nbase: &b\n  title: Basis\nother: *b\nnamed: &n Anker\n---\n\nText.\n"
    assert _front(source, "base.title", "other.title") == [
        ("front matter base.title", "front matter: base.title", "Basis")]
    assert _front(source, "named") == []


def test_default_keys_still_read_the_top_level_values():
    doc = markdown.read(NESTED.encode(), "a.md", FormatSettings("de"))
    assert [u.note for u in doc.units() if u.kind.startswith("front matter")] == ["front matter: title"]


# ------------------------------------------------------------------ translations in place

def test_translations_go_back_in_place_in_their_style():
    page = _translate(NESTED, PATHS, lambda text: "EN " + text)
    assert page.startswith("---\ntitle: EN Startseite\ndate: 2025-01-02\n")
    assert '\nmenu:\n  main:\n    title: "EN Dokumentation"\n' in page
    assert "\n  description: EN Alles über die Plattform.\n  weight: 3\n" in page
    assert "\n  title: 'EN Aufgaben erledigen'\n" in page and '\n  title: ""\n' in page
    assert "\n  - EN Wolken\n  - 42\n" in page
    assert "\nkeywords: [\"EN Container\", 'EN Kleine Dienste']\nmeta: {description: \"EN Eine Seite\"}\n" in page
    data, before = _yaml(page), _yaml(NESTED)
    assert data["cards"][0] == {"name": "concepts", "title": "EN Verstehen Sie die Grundlagen",
                                "description": "EN Lernen Sie die Konzepte kennen."}
    assert data["date"] == before["date"] and data["menu"]["main"]["weight"] == 20
    assert page.endswith("---\n\nText.\n")


def test_a_translation_the_plain_style_cannot_hold_is_quoted():
    tricky = {"Startseite": "Home: start", "Dokumentation": 'Say "docs"', "Aufgaben erledigen": "It's done",
              "Container": "a, b", "Wolken": "- clouds", "Kleine Dienste": "it's [small]"}
    page = _translate(NESTED, PATHS, lambda text: tricky.get(text, text))
    data = _yaml(page)
    assert data["title"] == "Home: start" and 'title: "Home: start"\n' in page
    assert data["menu"]["main"]["title"] == 'Say "docs"' and r'title: "Say \"docs\""' in page
    assert data["cards"][1]["title"] == "It's done" and "title: 'It''s done'" in page
    assert data["tags"] == ["- clouds", 42]
    assert data["keywords"] == ["a, b", "it's [small]"]


def test_block_scalars_keep_their_nested_indentation():
    source = "---\nmenu:\n  main:\n    post: >\n      <p>Erfahren Sie mehr.</p>\n    weight: 1\n---\n# T\n"
    assert _front(source, "menu.main.post") == [
        ("front matter menu.main.post", "front matter: menu.main.post", "<p>Erfahren Sie mehr.</p>")]
    page = _translate(source, ("menu.main.post",), lambda text: "<p>Learn more.</p>")
    assert page == "---\nmenu:\n  main:\n    post: >\n      <p>Learn more.</p>\n    weight: 1\n---\n# T\n"


def test_the_kubernetes_home_page_by_paths():
    data = K8S_HOME.read_bytes()
    paths = ("title", "linkTitle", "menu.main.title", "menu.main.post", "overview", "cards[].title",
             "cards[].description", "cards[].button")
    doc = markdown.read(data, "_index.md", _settings(*paths))
    front = [u for u in doc.units() if u.kind.startswith("front matter")]
    assert len(front) == 5 + 8 + 8 + 6  # title, linkTitle, menu title and post, overview; 8 cards, 6 with a button
    assert [u.note for u in front[:6]] == ["front matter: title", "front matter: linkTitle",
                                          "front matter: menu.main.title", "front matter: menu.main.post",
                                          "front matter: overview", "front matter: cards[0].title"]
    assert doc.render(lambda u: u.text) == data
    page = doc.render(lambda u: "EN " + u.text).decode()
    fields = _yaml(page)
    original = _yaml(data.decode())
    assert fields["menu"]["main"]["title"] == "EN Dokumentation" and fields["menu"]["main"]["weight"] == 20
    assert [c["title"] for c in fields["cards"]] == ["EN " + c["title"] for c in original["cards"]]
    assert [c.get("button_path") for c in fields["cards"]] == [c.get("button_path") for c in original["cards"]]
    assert fields["overview"].startswith("EN Kubernetes ist ein Open-Source-System")
    assert {k: v for k, v in fields.items() if k not in ("title", "linkTitle", "menu", "overview", "cards")} == \
        {k: v for k, v in original.items() if k not in ("title", "linkTitle", "menu", "overview", "cards")}


# ------------------------------------------------------------------ publish adds no front matter by default

def test_localize_adds_no_front_matter_unless_configured():
    plain = _config(publish={"front_matter_language_key": "lang"})
    added = _config(publish={"front_matter_language_key": "lang", "add_front_matter": True})
    assert markdown.localize(b"# T\n\nText.\n", "a.md", "en", plain) == b"# T\n\nText.\n"
    assert markdown.localize(b"# T\n\nText.\n", "a.md", "en", added) == b"---\nlang: en\n---\n# T\n\nText.\n"
    # a page with a front matter gets the language either way
    assert markdown.localize(b"---\ntitle: T\n---\nText.\n", "a.md", "en", plain) == \
        b"---\ntitle: T\nlang: en\n---\nText.\n"
    toml = b"+++\ntitle = 'T'\n+++\nText.\n"
    assert markdown.localize(toml, "a.md", "en", added) == toml
    assert markdown.set_front_matter_key("# T\n", "lang", "en", add=False) == "# T\n"


def test_publish_leaves_an_mdbook_page_without_front_matter(tmp_path: Path):
    project = tmp_path / "book"
    (project / "src").mkdir(parents=True)
    (project / "src" / MDBOOK_PAGE.name).write_bytes(MDBOOK_PAGE.read_bytes())
    (project / "src" / "mit.md").write_text("---\ntitle: Mit\n---\n\n# Mit\n\nEin Satz.\n", encoding="utf-8")
    (project / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en]\nfolders:\n  source: src\n"
                                       "publish:\n  front_matter_language_key: lang\n", encoding="utf-8")
    run_l10n("extract", cwd=project)
    run_l10n("publish", cwd=project)
    assert (project / "public" / "en" / MDBOOK_PAGE.name).read_bytes() == MDBOOK_PAGE.read_bytes()
    published = (project / "public" / "en" / "mit.md").read_text(encoding="utf-8")
    assert published.startswith("---\ntitle: Mit\nlang: en\n---\n")
    with (project / "l10n.yaml").open("a", encoding="utf-8") as config:
        config.write("  add_front_matter: true\n")
    run_l10n("publish", cwd=project)
    assert (project / "public" / "en" / MDBOOK_PAGE.name).read_bytes() == b"---\nlang: en\n---\n" + \
        MDBOOK_PAGE.read_bytes()
