"""``l10n report``: the static HTML review report, rendered in headless Chromium.

The project is a copy of the sample with a review in progress (see
:func:`review_in_progress`): machine suggestions of several confidences, a
fuzzy match with its old source text, a memory suggestion, untranslated
entries, and a second article whose units hold ``<``, ``&`` and a URL.

Run this file as a script to remake the README's screenshot:
``python tests/test_report.py docs/report.png``.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import REPO, find_chromium, run_l10n  # noqa: E402

from l10n.po import read_catalog, write_catalog  # noqa: E402
from l10n.notes import check_note, machine_note, memory_note, set_notes  # noqa: E402

SLUG = "open-source-ki-deepseek"
ENGINE = "argos de→en 1.9"
SECOND = """Preise & Löhne: <b>Was</b> sich 2025 ändert

Die Inflation lag im Januar bei 2,3 % & damit unter <2,5 %. Mehr dazu unter https://example.com/preise?a=1&b=2 im Netz.

Charlotte Edmond
"""
ESCAPED_TITLE = "Preise & Löhne: <b>Was</b> sich 2025 ändert"
ESCAPED_TITLE_EN = "Prices & wages: <b>what</b> changes in 2025"
CHROMIUM = find_chromium()


# ------------------------------------------------------------------ the project


def review_in_progress(project: Path) -> dict[str, str]:
    """Turn a fully reviewed copy of the sample into one in the middle of a review.

    Returns the state every entry of the sample article should show, by msgid.
    """
    (project / "source" / "preise.txt").write_text(SECOND, encoding="utf-8")
    run_l10n("extract", cwd=project)
    path = project / "locales" / "en" / "LC_MESSAGES" / f"{SLUG}.po"
    po = read_catalog(path)
    live = [e for e in po if not e.obsolete]
    # entry index -> what happens to it
    edits = {
        1: ("fuzzy", [machine_note(ENGINE, 0.41)]),
        2: ("untranslated", []),
        3: ("fuzzy", [memory_note("source/wef-initiative.txt")]),
        5: ("fuzzy", []),
        6: ("fuzzy", [machine_note(ENGINE, 0.27, pieces=True),
                      check_note("placeholder ⟦1⟧ lost; translated in pieces")]),
        8: ("untranslated", []),
        9: ("fuzzy", [machine_note(ENGINE, 0.64)]),
        13: ("untranslated", []),
        15: ("fuzzy", [machine_note(ENGINE, 0.83)]),
    }
    for index, (state, notes) in edits.items():
        entry = live[index]
        if state == "untranslated":
            entry.msgstr = ""
            entry.flags = []
        elif state == "fuzzy":
            entry.flags = ["fuzzy"]
        set_notes(entry, notes)
    live[4].tcomment = "Checked against the English original on the WEF site."
    live[5].previous_msgid = live[5].msgid.replace("günstigere", "billigere")
    # for the QA checks to find: a machine suggestion that lost a glossary term, a reviewed wrong number
    live[1].msgstr = live[1].msgstr.replace("US Apple App Store", "US app store")
    costs = next(e for e in live if e.msgid.startswith("Daten zeigen"))
    costs.msgstr = costs.msgstr.replace("5.6 million", "6.5 million")
    write_catalog(path, po)

    second = project / "locales" / "en" / "LC_MESSAGES" / "preise.po"
    po = read_catalog(second)
    for entry in po:
        if entry.msgid == ESCAPED_TITLE:
            entry.msgstr = ESCAPED_TITLE_EN
        elif entry.msgid.startswith("Die Inflation"):
            entry.msgstr = "Inflation in January was 2.3 % & thus below <2.5 %."
            entry.flags = ["fuzzy"]
            set_notes(entry, [machine_note(ENGINE, 0.58)])
    write_catalog(second, po)
    states = {}
    for entry in read_catalog(path):
        if not entry.obsolete:
            states[entry.msgid] = "untranslated" if not entry.msgstr else "fuzzy" if entry.fuzzy else "reviewed"
    return states


@pytest.fixture
def reviewing(sample: Path) -> tuple[Path, dict[str, str]]:
    return sample, review_in_progress(sample)


def status_rows(project: Path) -> dict[tuple[str, str], dict]:
    import json

    return {(r["language"], r["article"]): r for r in json.loads(run_l10n("status", "--json", cwd=project).stdout)}


# ------------------------------------------------------------------ a small DOM

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [n for n in self.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find(tag, cls, **attrs)
        assert len(found) == 1, (tag, cls, attrs, len(found))
        return found[0]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


# ------------------------------------------------------------------ Chromium


def chromium(tmp_path: Path, page: Path, *options: str) -> subprocess.CompletedProcess:
    """Headless Chromium on a file, offline and with a throwaway profile."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               "--force-device-scale-factor=1", f"--user-data-dir={profile}", *options, page.resolve().as_uri()]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def dom(tmp_path: Path, page: Path) -> Node:
    """The page as Chromium built it (parsed, styled, laid out), serialised back and parsed here."""
    return parse(chromium(tmp_path, page, "--dump-dom").stdout)


def screenshot(tmp_path: Path, page: Path, out: Path, size: str = "1280,2000") -> Path:
    chromium(tmp_path, page, f"--screenshot={out}", f"--window-size={size}")
    assert out.is_file() and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return out


def png_colours(path: Path) -> set[tuple[int, int, int]]:
    """The distinct RGB colours of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    data = path.read_bytes()
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and not interlace, header
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b, c = previous[i], previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        colours.update(zip(line[0::channels], line[1::channels], line[2::channels]))
        previous = line
    return colours


def squash(text: str) -> str:
    """Text with runs of ASCII white space made one space, as a browser shows it."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


# ------------------------------------------------------------------ without a browser


def test_report_writes_an_index_and_a_page_per_article_and_language(reviewing):
    project, _ = reviewing
    out = run_l10n("report", cwd=project)
    slugs = sorted(p.stem for p in (project / "source").iterdir())  # the sample's articles and preise.txt
    assert "preise" in slugs and SLUG in slugs
    assert out.stdout.startswith(f"Report: public/report/index.html ({len(slugs)} article pages")
    folder = project / "public" / "report"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        f"en/{slug}.html" for slug in slugs] + ["index.html"]
    # the output depends only on the project: a second run writes nothing
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*.html")}
    assert "0 files written" in run_l10n("report", cwd=project).stdout
    assert before == {p: p.stat().st_mtime_ns for p in folder.rglob("*.html")}


def test_pages_are_self_contained(reviewing):
    project, _ = reviewing
    run_l10n("report", cwd=project)
    for page in (project / "public" / "report").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        root = parse(html)
        assert not root.find("script") and not root.find("link") and not root.find("img") and not root.find("iframe")
        csp = root.one("meta", http_equiv="Content-Security-Policy").attrs["content"]
        assert "default-src 'none'" in csp
        style = root.one("style").text()
        assert "url(" not in style and "@import" not in style and "http" not in style
        for node in root.walk():
            for name in ("src", "href", "srcset", "action", "poster", "data"):
                value = node.attrs.get(name)
                if value is not None:
                    assert ":" not in value.split("#")[0] and not value.startswith("//"), (page.name, name, value)


def test_missing_catalog_and_stale_article_are_shown(sample: Path):
    (sample / "source" / "neu.txt").write_text("Ein neuer Artikel\n\nEr hat noch keinen Katalog.\n", encoding="utf-8")
    article = sample / "source" / f"{SLUG}.txt"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("erst im Jahr 2023 gegründet", "erst 2023 gegründet"), encoding="utf-8")
    run_l10n("report", cwd=sample)
    index = parse((sample / "public" / "report" / "index.html").read_text(encoding="utf-8"))
    row = index.one("tr", data_article="neu")
    assert "missing" in row.classes and "no catalog" in row.text() and "l10n extract" in row.text()
    assert not (sample / "public" / "report" / "en" / "neu.html").exists()
    page = parse((sample / "public" / "report" / "en" / f"{SLUG}.html").read_text(encoding="utf-8"))
    assert "1 unit of the article is not in the catalog" in page.one(cls="stale").text()


def test_bad_language_is_one_line_error(sample: Path):
    proc = run_l10n("report", "--lang", "fr", cwd=sample, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["l10n: error: l10n.yaml: 'fr' is not a target language (targets: en)"]
    assert not (sample / "public").exists()


def test_open_starts_the_browser_on_the_index(sample: Path, tmp_path: Path, monkeypatch):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}"\n')
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    run_l10n("report", "--open", cwd=sample)
    assert opened.read_text() == (sample / "public" / "report" / "index.html").resolve().as_uri()


def test_report_does_not_import_the_engine(sample: Path):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "l10n", "report"], cwd=sample,
                          capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert not imported & {"ctranslate2", "torch", "stanza", "argostranslate", "sentencepiece"}


# ------------------------------------------------------------------ in Chromium


@pytest.mark.chromium
def test_index_in_chromium_shows_the_progress_of_status(reviewing, tmp_path: Path):
    project, _ = reviewing
    run_l10n("report", cwd=project)
    rows = status_rows(project)
    root = dom(tmp_path, project / "public" / "report" / "index.html")
    assert root.one("title").text() == "Review report — l10n sample"
    section = root.one("section", cls="language", data_lang="en")
    for (lang, article), expected in rows.items():
        row = section.one("tr", data_article=article)
        cells = [td.text().strip() for td in row.find("td")]
        assert cells[0] == article
        assert cells[2:8] == [str(expected[k]) for k in ("units", "words", "reviewed", "fuzzy", "untranslated")] + [
            f"{expected['percent_reviewed']:.1f}\u202f%"]
        assert {k: int(row.attrs[f"data-{k}"]) for k in ("units", "reviewed", "fuzzy", "untranslated")} == {
            k: expected[k] for k in ("units", "reviewed", "fuzzy", "untranslated")}
        bar = row.one(cls="bar")
        assert bar.attrs["aria-label"] == (f"{expected['reviewed']} reviewed, {expected['fuzzy']} fuzzy, "
                                           f"{expected['untranslated']} untranslated")
        widths = {span.attrs["class"]: float(span.attrs["style"].split(":")[1].rstrip("%"))
                  for span in bar.find("span")}
        for state in ("reviewed", "fuzzy", "untranslated"):
            share = 100 * expected[state] / expected["units"]
            assert widths.get(state, 0.0) == pytest.approx(share, abs=0.01)
        assert row.one("a").attrs["href"] == f"en/{article}.html"
    total = {k: sum(r[k] for r in rows.values()) for k in ("units", "reviewed", "fuzzy", "untranslated")}
    assert {k: int(section.attrs[f"data-{k}"]) for k in total} == total
    legend = squash(section.one(cls="legend").text())
    assert f"{total['reviewed']} reviewed {total['fuzzy']} fuzzy {total['untranslated']} untranslated" in legend
    # the least confident machine suggestions, lowest first, linking to their unit
    least = root.one("section", cls="least-confident")
    found = [(tr.find("td")[0].text(), tr.one("a").attrs["href"]) for tr in least.find("tr", cls="suggestion")]
    assert [c for c, _ in found] == ["0.27", "0.41", "0.58", "0.64", "0.83"]
    assert found[0][1] == f"en/{SLUG}.html#unit-7" and found[2][1] == "en/preise.html#unit-2"
    assert "low" in least.find("span", cls="confidence")[0].classes


@pytest.mark.chromium
def test_article_page_in_chromium_shows_each_unit_beside_its_translation(reviewing, tmp_path: Path):
    project, states = reviewing
    run_l10n("report", cwd=project)
    po = [e for e in read_catalog(project / "locales" / "en" / "LC_MESSAGES" / f"{SLUG}.po") if not e.obsolete]
    root = dom(tmp_path, project / "public" / "report" / "en" / f"{SLUG}.html")
    summary = root.one("section", cls="summary")
    expected = status_rows(project)[("en", SLUG)]
    assert {k: int(summary.attrs[f"data-{k}"]) for k in ("units", "reviewed", "fuzzy", "untranslated")} == {
        k: expected[k] for k in ("units", "reviewed", "fuzzy", "untranslated")}
    assert f"{expected['percent_reviewed']:.1f}\u202f% reviewed" in squash(summary.one(cls="pct").text())
    units = [n for n in root.one(cls="units").find("div", cls="unit") if "head" not in n.classes]
    assert len(units) == len(po) == expected["units"]
    for n, (node, entry) in enumerate(zip(units, po), 1):
        assert node.attrs["id"] == f"unit-{n}"
        state = states[entry.msgid]
        assert state in node.classes and node.attrs["data-state"] == state
        assert node.one(cls="state").text() == state
        assert node.one(cls="source").find(cls="text")[0].text() == entry.msgid
        target = node.one(cls="target").find(cls="text")[0]
        assert target.text() == (entry.msgstr or "not translated")
        lines = ", ".join(line for _, line in entry.occurrences)
        assert node.one(cls="line").text() == f"line {lines}"
        assert [s.text() for s in node.find(cls="note")] == entry.comment.split("\n")
    # provenance and confidence of suggestions, the old text of a fuzzy match, a translator's comment
    assert squash(units[1].one(cls="origin").text()) == f"machine translation · {ENGINE}, confidence 0.41"
    assert "low" in units[1].one(cls="confidence").classes
    assert "translation memory · source/wef-initiative.txt" in units[3].one(cls="origin").text()
    assert "machine translation in pieces" in units[6].one(cls="origin").text()
    assert "placeholder ⟦1⟧ lost" in units[6].one("li", cls="finding").text()
    assert units[4].one(cls="comment").text() == "Checked against the English original on the WEF site."
    previous = units[5].one(cls="previous")
    assert previous.text() == "was: " + po[5].msgid.replace("günstigere", "billigere")
    assert [d.text() for d in previous.find("del")] == ["billigere,"]
    # "least confident first" is a CSS order: the fuzzy machine suggestions by confidence, then the rest
    ranks = {int(u.attrs["style"].split(":")[1]): u.attrs["id"] for u in units}
    assert [ranks[r] for r in range(1, 6)] == ["unit-7", "unit-2", "unit-10", "unit-16", "unit-1"]
    # the filters: one radio per state, with the counts
    labels = {label.attrs["for"]: squash(label.text()) for label in root.one(cls="toolbar").find("label")}
    assert labels["show-all"] == f"All {expected['units']}"
    assert labels["show-fuzzy"] == f"Fuzzy {expected['fuzzy']}"
    assert labels["show-untranslated"] == f"Untranslated {expected['untranslated']}"
    assert not root.find("script")


@pytest.mark.chromium
def test_markup_in_units_is_text_not_html(reviewing, tmp_path: Path):
    project, _ = reviewing
    run_l10n("report", cwd=project)
    root = dom(tmp_path, project / "public" / "report" / "en" / "preise.html")
    units = [n for n in root.one(cls="units").find("div", cls="unit") if "head" not in n.classes]
    title = units[0]
    assert title.one(cls="source").find(cls="text")[0].text() == ESCAPED_TITLE
    assert title.one(cls="target").find(cls="text")[0].text() == ESCAPED_TITLE_EN
    for text in root.one(cls="units").find(cls="text"):
        assert all(isinstance(child, str) for child in text.children), "markup in a unit became an element"
    sentence = units[1]
    inflation = "Die Inflation lag im Januar bei 2,3 % & damit unter <2,5 %."
    assert sentence.one(cls="source").find(cls="text")[0].text() == inflation
    assert "https://example.com/preise?a=1&b=2" in units[2].one(cls="source").text()
    # a URL in a unit stays text: no element of the page refers to anything outside it
    for node in root.walk():
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            value = node.attrs.get(name)
            assert value is None or ":" not in value.split("#")[0], (name, value)


@pytest.mark.chromium
def test_screenshot_is_styled_and_filters_work(reviewing, tmp_path: Path):
    project, _ = reviewing
    run_l10n("report", cwd=project)
    page = project / "public" / "report" / "en" / f"{SLUG}.html"
    colours = png_colours(screenshot(tmp_path, page, tmp_path / "all.png", "1000,1400"))
    # the inline CSS applied: state backgrounds and the reviewed bar are there
    for colour in ("#fffbeb", "#fff5f5", "#1f883d", "#f5f7f9"):
        assert _rgb(colour) in colours, colour
    # "Fuzzy" checked: no untranslated unit left on the page (CSS only, no script)
    html = page.read_text(encoding="utf-8")
    html = html.replace('id="show-all" checked', 'id="show-all"').replace('id="show-fuzzy"', 'id="show-fuzzy" checked')
    fuzzy_only = page.with_name("fuzzy-only.html")
    fuzzy_only.write_text(html, encoding="utf-8")
    colours = png_colours(screenshot(tmp_path, fuzzy_only, tmp_path / "fuzzy.png", "1000,1400"))
    assert _rgb("#fffbeb") in colours and _rgb("#fff5f5") not in colours


@pytest.mark.chromium
def test_findings_of_the_checks_are_shown_inline(reviewing, tmp_path: Path):
    import l10n.qa.run as checks
    project, _ = reviewing
    from l10n.project import Project

    findings = checks.run_checks(Project(project))
    assert findings
    out = run_l10n("report", cwd=project)
    assert f"{len(findings)} QA finding" in out.stdout
    for article in ("preise", SLUG):
        root = dom(tmp_path, project / "public" / "report" / "en" / f"{article}.html")
        mine = [f for f in findings if f.article == article]
        shown = root.find("li", cls="finding")
        assert len([li for li in shown if li.attrs.get("data-check")]) == len(mine)
        units = {u.one(cls="source").find(cls="text")[0].text(): u
                 for u in root.one(cls="units").find("div", cls="unit") if "head" not in u.classes}
        for finding in mine:
            unit = units[finding.msgid]
            assert "has-findings" in unit.classes
            assert any(li.attrs.get("data-check") == finding.check and finding.message in li.text()
                       and finding.severity in li.classes for li in unit.find("li", cls="finding"))
    index = dom(tmp_path, project / "public" / "report" / "index.html")
    row = index.one("tr", data_article=SLUG)
    assert row.one("td", cls="count-findings").text() == str(sum(1 for f in findings if f.article == SLUG))
    assert any(f.check == "numbers" and f.msgid.startswith("Daten zeigen") for f in findings)


# ------------------------------------------------------------------ the README's screenshot


def make_screenshot(out: Path) -> None:
    """The README's picture: the sample article in the middle of a review."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "sample"
        project.mkdir()
        shutil.copy(REPO / "l10n.yaml", project / "l10n.yaml")
        shutil.copytree(REPO / "source", project / "source")
        shutil.copytree(REPO / "locales", project / "locales")
        review_in_progress(project)
        run_l10n("report", cwd=project)
        screenshot(Path(tmp), project / "public" / "report" / "en" / f"{SLUG}.html", out.resolve(), "1280,1200")


if __name__ == "__main__":
    if CHROMIUM is None:
        sys.exit("chromium is not installed")
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report.png")
    make_screenshot(target)
    print(f"wrote {target}")
