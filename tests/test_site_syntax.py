"""Static-site generator syntax in Markdown articles: layout or protected markup, never text.

Hugo shortcodes, Jekyll/Liquid tags, VitePress/Docusaurus containers and MDX,
MkDocs admonitions, mdBook helpers and the prose inside HTML blocks; each
snippet is written in the shape such pages have.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import run_l10n
from test_markdown_format import VARIANTS, check_document

from l10n import config as config_module
from l10n.document import Unit
from l10n.formats import markdown
from l10n.formats.markdown.sitesyntax import ParameterUnit, find_tags
from l10n.mt.protect import Protector
from l10n.po import read_catalog, write_catalog

PLAIN = config_module.parse({"source_language": "de", "target_languages": ["en"]}, Path("."))
BY_PARAGRAPH = config_module.parse({"source_language": "de", "target_languages": ["en"], "segmentation": "paragraph"},
                                   Path("."))

HUGO = """\
---
title: "Pods"
---

{{% capture overview %}}
Ein _Pod_ ist die kleinste Einheit. Er läuft auf einem {{< glossary_tooltip text="Knoten" term_id="node" >}}.
{{% /capture %}}

{{< note >}}
Das ist der erste Satz. Und der zweite.
{{< /note >}}

{{< note >}}Direkt angeklebt. Noch ein Satz.{{< /note >}}

{{< figure
    src="/images/pod.svg"
    alt="Diagramm eines Pods"
    caption="Ein Pod mit zwei Containern" >}}

- {{< glossary_tooltip text="Deployment" term_id="deployment" >}}
- Siehe [die Referenz]({{< ref "docs/reference.md" >}}) für mehr.

> {{< warning >}}
> Vorsicht mit Knoten.
> {{< /warning >}}

{{< highlight go >}}
fmt.Println("Hallo. Welt.")
{{< /highlight >}}

| Spalte | Wert |
|---|---|
| Zelle mit {{< param "version" >}} | {{< glossary_tooltip text="Knoten" term_id="node" >}} |

`{{< note >}}` ist Code.
"""

JEKYLL = """\
---
layout: post
title: Willkommen
---

{% include toc.html %}

Willkommen auf {{ site.title }}. Hier gibt es [Beiträge]({{ site.baseurl }}{% link _posts/a.md %}).

{% if page.show %}
Dieser Absatz erscheint nur manchmal.
{% endif %}

{% raw %}
Hier steht {{ Liquid }} wörtlich.
{% endraw %}

{% comment %}
Ein Kommentar. Nicht übersetzen.
{% endcomment %}

{% include note.html title="Wichtiger Hinweis" %}

Ein Hinweis mit Klasse.
{: .notice--info}

## Über uns {#ueber-uns}
"""

VITEPRESS = """\
# Leitfaden

::: tip Hinweis
Das ist der erste Satz. Und der zweite.
:::

::: details Klick mich {open}
Versteckter Inhalt.
:::

::: code-group
```js
console.log("Kein Text.")
```
:::

> ::: warning Im Zitat
> Text im Zitat.
> :::

Der Wert ist {{ $frontmatter.title }}.

## Neu <Badge type="tip" text="beta" />
"""

DOCUSAURUS = """\
---
title: Einstieg
---

import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';
export const meta = {name: 'Kein Text'};

:::tip[Mein **Titel**]
Erster Satz im Kasten.
:::

::::info Außen
:::warning
Innen ist es warm.
:::
::::

:::note

Nur Inhalt.

:::

<Tabs groupId="os" values={[{label: 'Linux', value: 'linux'}]}>
<TabItem value="linux" label="Unter Linux">
Wenn a < b gilt, ist alles gut.
</TabItem>
</Tabs>

{/* Ein MDX-Kommentar. */}
"""

MKDOCS = """\
# Sicherung

!!! note "Hinweis zum Ablauf"
    Der erste Absatz. Noch ein Satz.

    - Punkt eins
    - Punkt zwei

    ??? tip "Verschachtelt"
        Ganz innen.

???+ warning
    Ohne Titel.

=== "Deutsch"

    Inhalt des Tabs.

- Listenpunkt

    !!! info "In der Liste"
        Inhalt in der Liste.

[Knopf](start.md){ .md-button }

    Echter Code bleibt Code.
"""

MDBOOK = """\
{{#title Das Buch}}

# Kommentare

Alle Programmierer bemühen sich, ihren Code leicht verständlich zu machen.

{{#include ../listings/ch03/main.rs}}

```rust
{{#rustdoc_include ../listings/ch03/main.rs:here}}
```

Siehe {{#include ../hinweis.md}} oben.
"""

HTML = """\
<details>
<summary>Hier klicken</summary>
<p>Ein <b>Text</b> im Block. Zweiter Satz.</p>
</details>

<div class="box">
Text im Div.
<script>var x = "Kein Text.";</script>
<style>.x { content: "Kein Text" }</style>
<pre>Auch kein Text.</pre>
<!-- Kommentar: kein Text -->
<p>Nutze <code>ls -l</code> für Listen.</p>
<img src="a.png" alt="Ein Bild">
</div>
"""

SNIPPETS = {"hugo": HUGO, "jekyll": JEKYLL, "vitepress": VITEPRESS, "docusaurus": DOCUSAURUS, "mkdocs": MKDOCS,
            "mdbook": MDBOOK, "html": HTML}
_MARKER = re.compile(r"(?::::|!!!|\?\?\?|===|import |export |\{/\*)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def read(source: str, cfg=PLAIN):
    return markdown.read(source.encode(), "a.md", cfg)


def units(source: str, cfg=PLAIN):
    return [(u.kind, u.note, u.text) for u in read(source, cfg).units()]


def texts(source: str, cfg=PLAIN):
    return [u.text for u in read(source, cfg).units()]


def _only_syntax(text: str) -> bool:
    """Whether ``text`` holds nothing but site tags and HTML tags."""
    rest = list(text)
    for tag in find_tags(text):
        rest[tag.start:tag.end] = " " * (tag.end - tag.start)
    return not any(ch.isalnum() for ch in _HTML_TAG.sub(" ", "".join(rest)))


# ------------------------------------------------------------------ every snippet


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", SNIPPETS)
def test_identity_round_trip_is_byte_exact_and_units_are_slices(name, variant):
    source = VARIANTS[variant](SNIPPETS[name])
    data = source.encode()
    for cfg in (PLAIN, BY_PARAGRAPH):
        reader = markdown.Reader(markdown.decode_source(data, "a.md"), "a.md", cfg)
        doc = reader.document()
        assert reader.fallbacks == []
        assert doc.render() == data
        assert doc.render(lambda unit: unit.text) == data
        assert doc.render(lambda unit: unit.text, publish=True) == data
        pos, rebuilt = 0, []
        for part in doc.parts:  # each unit is the exact slice of the source where it stands
            piece = part if isinstance(part, str) else part.source if isinstance(part, Unit) else part.text
            assert source.startswith(piece, pos)
            pos += len(piece)
            rebuilt.append(piece)
        assert "".join(rebuilt) == source
        for unit in doc.units():
            assert unit.text and unit.text == unit.text.strip() and "\n" not in unit.text, unit
            assert list(markdown.check_markup(unit.text, unit.text)) == [], unit
            protected = Protector().protect(unit.text, markdown.protected_spans)
            assert protected.restore(protected.text).text == unit.text


@pytest.mark.parametrize("name", SNIPPETS)
def test_every_property_of_the_markdown_format_holds(name):
    """The Markdown format's own checks: an uppercase translation keeps the block structure and reads back."""

    for variant in VARIANTS.values():
        check_document(variant(SNIPPETS[name]))
        check_document(variant(SNIPPETS[name]), BY_PARAGRAPH)


@pytest.mark.parametrize("name", SNIPPETS)
def test_no_unit_is_only_site_syntax_or_starts_with_a_marker(name):
    found = texts(SNIPPETS[name])
    assert found
    for text in found:
        assert not _only_syntax(text), text
        assert not _MARKER.match(text), text
        first = next(iter(find_tags(text)), None)
        assert not (first and first.start == 0 and first.layout({"note", "warning", "capture"})), text


@pytest.mark.parametrize("name", SNIPPETS)
def test_a_translation_changes_no_layout_line(name):
    source = SNIPPETS[name]
    doc = read(source)
    out = doc.render(lambda unit: unit.text.upper()).decode()
    layout = [line for line in source.split("\n") if re.fullmatch(
        r"[ >]*(?::{3,} ?[a-z-]*|!!! \w+|\?\?\?\+? \w+|\{\{[<%] */?\w+ *[>%]\}\}|\{%[^%]*%\}|\{\{#[^}]*\}\}|"
        r"import .*|export .*|\{[:/].*\}|</?\w+[^<>]*>)", line) and '"' not in line and "[" not in line]
    assert layout
    for line in layout:
        assert line in out.split("\n"), line


# ------------------------------------------------------------------ the expected units


def test_hugo_shortcodes():
    found = units(HUGO)
    assert [text for kind, _note, text in found if kind != "front matter title"] == [
        "Ein _Pod_ ist die kleinste Einheit.",
        'Er läuft auf einem {{< glossary_tooltip text="Knoten" term_id="node" >}}.',
        "Das ist der erste Satz.", "Und der zweite.",
        "Direkt angeklebt.", "Noch ein Satz.",
        "Diagramm eines Pods", "Ein Pod mit zwei Containern",
        "Deployment",
        'Siehe [die Referenz]({{< ref "docs/reference.md" >}}) für mehr.',
        "Vorsicht mit Knoten.",
        "Spalte", "Wert", 'Zelle mit {{< param "version" >}}', "Knoten",
        "`{{< note >}}` ist Code.",
    ]
    notes = {text: (kind, note) for kind, note, text in found}
    assert notes["Diagramm eines Pods"] == ("parameter", "shortcode figure: alt")
    assert notes["Ein Pod mit zwei Containern"] == ("parameter", "shortcode figure: caption")
    assert notes["Deployment"] == ("parameter", "shortcode glossary_tooltip: text")


def test_jekyll_liquid_and_kramdown():
    assert texts(JEKYLL) == [
        "Willkommen", "Willkommen auf {{ site.title }}.",
        "Hier gibt es [Beiträge]({{ site.baseurl }}{% link _posts/a.md %}).",
        "Dieser Absatz erscheint nur manchmal.", "Wichtiger Hinweis", "Ein Hinweis mit Klasse.", "Über uns"]


def test_vitepress_containers():
    found = units(VITEPRESS)
    assert found == [
        ("heading", "heading", "Leitfaden"),
        ("heading", "container title", "Hinweis"),
        ("sentence", "paragraph 1, sentence 1 of 2", "Das ist der erste Satz."),
        ("sentence", "paragraph 1, sentence 2 of 2", "Und der zweite."),
        ("heading", "container title", "Klick mich"),
        ("sentence", "paragraph 2", "Versteckter Inhalt."),
        ("heading", "container title", "Im Zitat"),
        ("quote", "quote", "Text im Zitat."),
        ("sentence", "paragraph 3", "Der Wert ist {{ $frontmatter.title }}."),
        ("heading", "heading", 'Neu <Badge type="tip" text="beta" />'),
    ]


def test_docusaurus_containers_mdx_and_components():
    found = units(DOCUSAURUS)
    assert [(note, text) for _kind, note, text in found] == [
        ("front matter: title", "Einstieg"),
        ("container title", "Mein **Titel**"),
        ("paragraph 1", "Erster Satz im Kasten."),
        ("container title", "Außen"),
        ("paragraph 2", "Innen ist es warm."),
        ("paragraph 3", "Nur Inhalt."),
        ("component <TabItem>: label", "Unter Linux"),
        ("HTML <TabItem>", "Wenn a < b gilt, ist alles gut."),
    ]
    doc = read(":::tip[Titel]\nText.\n:::\n")  # a ] in a translated title is escaped
    assert doc.render(lambda u: "A [b] c" if u.note == "container title" else None) == b":::tip[A [b\\] c]\nText.\n:::\n"


def test_mkdocs_admonitions_read_their_indented_body_as_markdown():
    assert units(MKDOCS) == [
        ("heading", "heading", "Sicherung"),
        ("heading", "admonition title", "Hinweis zum Ablauf"),
        ("sentence", "paragraph 1, sentence 1 of 2", "Der erste Absatz."),
        ("sentence", "paragraph 1, sentence 2 of 2", "Noch ein Satz."),
        ("item", "list item", "Punkt eins"),
        ("item", "list item", "Punkt zwei"),
        ("heading", "admonition title", "Verschachtelt"),
        ("sentence", "paragraph 2", "Ganz innen."),
        ("sentence", "paragraph 3", "Ohne Titel."),
        ("heading", "tab title", "Deutsch"),
        ("sentence", "paragraph 4", "Inhalt des Tabs."),
        ("item", "list item", "Listenpunkt"),
        ("heading", "admonition title", "In der Liste"),
        ("item", "list item", "Inhalt in der Liste."),
        ("sentence", "paragraph 5", "[Knopf](start.md)"),
    ]
    # the translated body keeps its indentation: it is still the admonition's body
    out = read(MKDOCS).render(lambda u: "Second." if u.text == "Noch ein Satz." else None).decode()
    assert "    Der erste Absatz. Second.\n" in out


def test_mdbook_helpers_are_layout():
    assert texts(MDBOOK) == ["Kommentare",
                             "Alle Programmierer bemühen sich, ihren Code leicht verständlich zu machen.",
                             "Siehe {{#include ../hinweis.md}} oben."]


def test_prose_inside_html_blocks():
    assert units(HTML) == [
        ("sentence", "HTML <summary>", "Hier klicken"),
        ("sentence", "HTML <p>, sentence 1 of 2", "Ein <b>Text</b> im Block."),
        ("sentence", "HTML <p>, sentence 2 of 2", "Zweiter Satz."),
        ("sentence", "HTML <div>", "Text im Div."),
        ("sentence", "HTML <p>", "Nutze <code>ls -l</code> für Listen."),
        ("parameter", "HTML <img>: alt", "Ein Bild"),
    ]
    assert texts(HTML, BY_PARAGRAPH)[1] == "Ein <b>Text</b> im Block. Zweiter Satz."
    out = read(HTML).render(lambda u: {"Hier klicken": "Click here", "Ein Bild": 'A "picture"'}.get(u.text))
    assert b"<summary>Click here</summary>" in out and b'alt="A &quot;picture&quot;"' in out
    # HTML is raw up to a blank line: a translation starting a line there needs no Markdown escape
    out = read("<div>\nErster Schritt.\n</div>\n").render(lambda u: "1. Step")
    assert out == b"<div>\n1. Step\n</div>\n"


def test_parameter_values_are_written_back_inside_their_quotes():
    def unit(quote, escape):
        return ParameterUnit("x", "x", "parameter", 1, "", quote, escape)
    assert unit('"', "backslash").encode('Ein "Pod"\nhier') == 'Ein \\"Pod\\" hier'
    assert unit('"', "backslash").encode('schon \\"so\\"') == 'schon \\"so\\"'
    assert unit('"', "html").encode('A "b"') == "A &quot;b&quot;"
    assert unit("'", "html").encode("It's") == "It&#39;s"
    assert unit('"', "none").encode('A "b"') == "A ”b”"
    out = read(HUGO).render(lambda u: 'A "pod"' if u.text == "Ein Pod mit zwei Containern" else None).decode()
    assert '    caption="A \\"pod\\"" >}}' in out


# ------------------------------------------------------------------ the markup check and placeholders


TOOLTIP = 'Er läuft auf einem {{< glossary_tooltip text="Knoten" term_id="node" >}}.'


@pytest.mark.parametrize("translation, problems", [
    ('It runs on a {{< glossary_tooltip text="node" term_id="node" >}}.', []),
    ('It runs on a {{< glossary_tooltip text="node" term_id="Knoten" >}}.',
     ['shortcode {{< glossary_tooltip text="…" term_id="node" >}} is missing',
      'shortcode {{< glossary_tooltip text="…" term_id="Knoten" >}} is not in the source']),
    ("It runs on a node.", ['shortcode {{< glossary_tooltip text="…" term_id="node" >}} is missing']),
    ('It runs on a {{< glossary_tooltip text="node" term_id="node" >}} '
     '{{< glossary_tooltip text="node" term_id="node" >}}.',
     ['shortcode {{< glossary_tooltip text="…" term_id="node" >}} appears 2 times, 1 in the source']),
    ('It runs on a {{<glossary_tooltip text="node" term_id="node">}}.',
     ['shortcode {{< glossary_tooltip text="…" term_id="node" >}} is missing',
      'shortcode {{<glossary_tooltip text="…" term_id="node">}} is not in the source']),
])
def test_changed_shortcodes_are_markup_errors(translation, problems):
    assert list(markdown.check_markup(TOOLTIP, translation)) == problems


def test_other_tags_are_compared_too():
    check = markdown.check_markup
    assert list(check("Auf {{ site.title }}.", "On {{ site.name }}.")) == [
        "template tag {{ site.title }} is missing", "template tag {{ site.name }} is not in the source"]
    assert list(check("{% if a %}Text{% endif %}", "{% if b %}Text{% endif %}"))[0] == \
        "Liquid tag {% if a %} is missing"
    assert list(check("{{< b >}}Text{{< /b >}}", "{{< /b >}}Text{{< b >}}")) == [
        "shortcodes no longer nest: a closing tag comes before its opening tag"]
    # a tag's characters are not Markdown: an asterisk inside one pairs with nothing
    assert list(check('Ein {{< x a="*" >}} Satz.', 'A {{< x a="*" >}} sentence.')) == []
    # text attributes of inline HTML may change, the rest not
    assert list(check('<abbr title="Europäische Union">EU</abbr>', '<abbr title="European Union">EU</abbr>')) == []
    assert list(check('<abbr title="EU">EU</abbr>', '<abbr class="x" title="EU">EU</abbr>')) == [
        'HTML <abbr title="…"> is missing', 'HTML <abbr class="x" title="…"> is not in the source']


def test_machine_translation_placeholders_cover_shortcodes():
    text = ('Er läuft auf einem {{< glossary_tooltip text="Knoten" term_id="node" >}}, siehe '
            '[Referenz]({{< ref "docs/a.md" >}}) und {{% param "version" %}} oder <code>ls *</code>.')
    p = Protector().protect(text, markdown.protected_spans)
    assert [(s.kind, s.original) for s in p.spans] == [
        ("shortcode", '{{< glossary_tooltip text="'), ("shortcode", '" term_id="node" >}}'),
        ("link", ']({{< ref "docs/a.md" >}})'), ("shortcode", '{{% param "version" %}}'),
        ("code", "<code>ls *</code>")]
    assert p.text == "Er läuft auf einem QZ1 Knoten QZ2, siehe [Referenz QZ3 und QZ4 oder QZ5."
    model = "It runs on a QZ1 node QZ2, see [reference QZ3 and QZ4 or QZ5."
    restored = p.restore(model)
    assert restored.ok and restored.text == (
        'It runs on a {{< glossary_tooltip text="node" term_id="node" >}}, see '
        '[reference]({{< ref "docs/a.md" >}}) and {{% param "version" %}} or <code>ls *</code>.')
    assert list(markdown.check_markup(text, restored.text)) == []
    liquid = Protector().protect("Auf {{ site.title }} mit {% link a.md %}.", markdown.protected_spans)
    assert [s.kind for s in liquid.spans] == ["template", "template"]


# ------------------------------------------------------------------ l10n check and publish


def _project(root: Path) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en]\n", encoding="utf-8")
    (root / "source" / "pods.md").write_text(
        "---\ntitle: Pods\n---\n\n{{< note >}}\n" + TOOLTIP + "\n{{< /note >}}\n\n"
        '{{< figure src="/pod.svg" caption="Ein Pod" >}}\n\n::: tip Hinweis\nPods sind klein.\n:::\n',
        encoding="utf-8")
    run_l10n("extract", cwd=root)
    return root


def test_a_changed_shortcode_fails_check_and_publish_keeps_the_source(tmp_path):
    project = _project(tmp_path / "p")
    path = project / "locales" / "en" / "LC_MESSAGES" / "pods.po"
    po = read_catalog(path)
    assert sorted((e.comment, e.msgid) for e in po) == sorted([
        ("front matter: title", "Pods"), ("paragraph 1", TOOLTIP), ("shortcode figure: caption", "Ein Pod"),
        ("container title", "Hinweis"), ("paragraph 2", "Pods sind klein.")])
    broken = 'It runs on a {{< glossary_tooltip text="node" term_id="Knoten" >}}.'
    translations = {"Pods": "Pods", TOOLTIP: broken, "Ein Pod": 'A "pod"', "Hinweis": "Note",
                    "Pods sind klein.": "Pods are small."}
    for entry in po:
        entry.msgstr = translations[entry.msgid]
    write_catalog(path, po)

    proc = run_l10n("check", cwd=project, check=False)
    assert proc.returncode == 1
    rows = [line.split(None, 3) for line in proc.stdout.splitlines() if " markup " in line]
    assert [(line, severity) for line, severity, _check, _message in rows] == [("6", "error"), ("6", "error")]
    assert 'shortcode {{< glossary_tooltip text="…" term_id="node" >}} is missing' in rows[0][3]

    out = run_l10n("publish", cwd=project).stdout
    assert "en: public/en/pods.md (100% reviewed; 1 unit kept in German: broken markup)" in out
    published = (project / "public" / "en" / "pods.md").read_text(encoding="utf-8")
    assert published == ("---\ntitle: Pods\n---\n\n{{< note >}}\n" + TOOLTIP + "\n{{< /note >}}\n\n"
                         '{{< figure src="/pod.svg" caption="A \\"pod\\"" >}}\n\n'
                         "::: tip Note\nPods are small.\n:::\n")

    # a translation that changes only the text parameter is fine, and published
    po = read_catalog(path)
    next(e for e in po if e.msgid == TOOLTIP).msgstr = broken.replace('"Knoten"', '"node"')
    write_catalog(path, po)
    assert not [line for line in run_l10n("check", cwd=project).stdout.splitlines() if " markup " in line]
    run_l10n("publish", cwd=project)
    assert 'It runs on a {{< glossary_tooltip text="node" term_id="node" >}}.' in \
        (project / "public" / "en" / "pods.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the real corpus, where it is


SITES = Path(__file__).resolve().parent / "data" / "sites"


def _site_units(generator: str) -> list[str]:
    pages = sorted(p for p in (SITES / generator).rglob("*.md")) if (SITES / generator).is_dir() else []
    if not pages:
        pytest.skip(f"no {generator} pages in tests/data/sites")
    return [u.text for page in pages for u in markdown.read(page.read_bytes(), page.name, PLAIN).units()]


@pytest.mark.parametrize("generator", ["hugo", "vitepress", "docusaurus", "mkdocs", "mdbook"])
def test_real_pages_have_no_unit_of_only_site_syntax_nor_a_marker(generator):
    for text in _site_units(generator):
        assert not _MARKER.match(text), text
        assert not _only_syntax(text), text
