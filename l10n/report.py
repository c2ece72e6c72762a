"""``l10n report``: a static HTML review report in ``<output>/report/``.

``index.html`` has a progress bar per language and article (reviewed, fuzzy,
untranslated, the same counts as ``l10n status``) and the least confident
machine suggestions; ``<lang>/<slug>.html`` shows one article's catalog
entry by entry, source beside translation, coloured by state, with the unit's
kind and line, where a suggestion came from (machine translation with its
confidence, translation memory, glossary), the old source text of a fuzzy
match, the translators' comments and, when the QA checks are available
(``l10n.checks``), their findings.

The pages are self-contained: inline CSS, no script, no font or image, and a
Content-Security-Policy that forbids loading anything, so they open from the
file system anywhere. Filtering by state and the "least confident first"
order are CSS alone (radio buttons, ``:has()`` and ``order``). The output
depends only on the project's files, so an unchanged project rewrites
nothing; all files are written atomically.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html import escape
from pathlib import Path
from urllib.parse import quote

import polib

from . import __version__
from .extract import read_document
from .fsutil import atomic_write_many
from .languages import language_name
from .po import read_catalog
from .project import Article, Project
from .status import Progress, measure
from .notes import NOTE, Provenance, provenance

REPORT_DIR = "report"
LEAST_CONFIDENT = 10  # machine suggestions listed per language on the index page
LOW_CONFIDENCE = 0.5  # below this, a confidence is shown as low


@dataclass
class Row:
    """One live catalog entry as the report shows it."""

    number: int  # 1-based position in the catalog, the anchor ``#unit-<number>``
    msgid: str
    msgstr: str
    state: str  # reviewed | fuzzy | untranslated
    lines: list[int]
    note: list[str]  # the extracted comment lines: what the unit is
    comments: list[str]  # translators' own comment lines
    origin: Provenance
    previous: str | None  # old source text of a fuzzy match (#| msgid)
    findings: list = field(default_factory=list)  # l10n.checks.Finding
    rank: int = 0  # position in "least confident first" order

    @property
    def kind(self) -> str:
        first = self.note[0].split(",")[0].split()[0] if self.note and self.note[0].split() else "unit"
        return first.lower()


@dataclass
class Page:
    """One article in one language."""

    language: str
    article: Article
    progress: Progress
    rows: list[Row] = field(default_factory=list)
    stale: int = 0  # units of the article that its catalog lacks (extract not run)
    catalog: str = ""  # the catalog's path, relative to the project
    findings: list = field(default_factory=list)  # findings not tied to one entry

    @property
    def href(self) -> str:
        """The page's path below the report folder."""
        return f"{self.language}/{self.article.slug}.html"

    @property
    def finding_count(self) -> int:
        return len(self.findings) + sum(len(row.findings) for row in self.rows)


@dataclass
class ReportResult:
    index: Path
    pages: int = 0  # article pages
    written: list[str] = field(default_factory=list)  # files created or changed
    checks: bool = False  # whether QA checks ran
    findings: int = 0


def report(project: Project, languages: list[str] | None = None) -> ReportResult:
    """Write the report for the chosen languages (default: all); returns what was done."""
    languages = list(project.languages(languages))
    articles = project.articles()
    findings = _findings(project, languages)
    pages: dict[str, list[Page]] = {}
    for lang in languages:
        pages[lang] = [_page(project, lang, article, findings) for article in articles]
    folder = project.config.output_path / REPORT_DIR
    files = [(folder / "index.html", _index_html(project, pages, findings is not None).encode("utf-8"))]
    count = 0
    for lang_pages in pages.values():
        for page in lang_pages:
            if page.progress.missing:
                continue
            files.append((folder / page.href, _article_html(project, page, findings is not None).encode("utf-8")))
            count += 1
    written = atomic_write_many(files)
    return ReportResult(index=folder / "index.html", pages=count, written=[project.rel(p) for p in written],
                        checks=findings is not None,
                        findings=sum(p.finding_count for ps in pages.values() for p in ps))


# ------------------------------------------------------------------ data


def _findings(project: Project, languages: list[str]) -> dict | None:
    """QA findings by (language, article slug), or None when ``l10n.checks`` is not there."""
    if importlib.util.find_spec(f"{__package__}.checks") is None:
        return None
    checks = importlib.import_module(f"{__package__}.checks")
    slugs = {a.rel: a.slug for a in project.articles()}
    found: dict[tuple[str | None, str], list] = {}
    for finding in checks.run_checks(project, languages=languages):
        slug = slugs.get(finding.article, finding.article)
        found.setdefault((getattr(finding, "language", None), slug), []).append(finding)
    return found


def _page(project: Project, lang: str, article: Article, findings: dict | None) -> Page:
    path = project.catalog_path(lang, article.slug)
    page = Page(lang, article, Progress(lang, article.slug), catalog=project.rel(path))
    if not path.exists():
        page.progress.missing = True
        return page
    po = read_catalog(path)
    page.progress = measure(po, lang, article.slug)
    for entry in po:
        if entry.obsolete:
            continue
        page.rows.append(_row(len(page.rows) + 1, entry))
    known = {row.msgid for row in page.rows}
    page.stale = sum(1 for unit in read_document(project, article).units() if unit.text not in known)
    _rank(page.rows)
    if findings:
        mine = findings.get((lang, article.slug), []) + findings.get((None, article.slug), [])
        by_msgid = {row.msgid: row for row in page.rows}
        by_line = {line: row for row in page.rows for line in row.lines}
        for finding in mine:
            row = by_msgid.get(getattr(finding, "msgid", None)) or by_line.get(getattr(finding, "line", None))
            (row.findings if row else page.findings).append(finding)
    return page


def _row(number: int, entry: polib.POEntry) -> Row:
    if not entry.msgstr:
        state = "untranslated"
    elif entry.fuzzy:
        state = "fuzzy"
    else:
        state = "reviewed"
    lines = []
    for _, line in entry.occurrences:
        try:
            lines.append(int(line))
        except (TypeError, ValueError):
            pass
    comments = [line for line in (entry.tcomment or "").split("\n") if line and not line.startswith(NOTE)]
    note = [line for line in (entry.comment or "").split("\n") if line]
    return Row(number, entry.msgid, entry.msgstr, state, lines, note, comments, provenance(entry),
               entry.previous_msgid if entry.fuzzy else None)


def _rank(rows: list[Row]) -> None:
    """Least confident first: fuzzy machine suggestions by confidence, then the rest in catalog order."""
    machine = sorted((row for row in rows if _suggestion(row)), key=lambda row: (row.origin.confidence, row.number))
    order = machine + [row for row in rows if not _suggestion(row)]
    for rank, row in enumerate(order, 1):
        row.rank = rank


def _suggestion(row: Row) -> bool:
    return row.state == "fuzzy" and row.origin.kind == "machine" and row.origin.confidence is not None


# ------------------------------------------------------------------ HTML

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")

_CSS = """
:root {
  --ink: #1f2328; --muted: #5d6772; --faint: #8c959f; --line: #d8dee4; --rule: #eaeef2;
  --page: #f5f7f9; --card: #ffffff; --accent: #0b63ce;
  --reviewed: #1f883d; --reviewed-bg: #ffffff; --reviewed-soft: #dafbe1;
  --fuzzy: #bf8700; --fuzzy-bg: #fffbeb; --fuzzy-soft: #fff1c2; --fuzzy-ink: #7d4e00;
  --untranslated: #cf222e; --untranslated-bg: #fff5f5; --untranslated-soft: #ffe1de; --untranslated-ink: #a40e26;
  --empty: #e3e8ee;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans",
        Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 28px 32px 64px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace;
  font-size: 0.9em; background: #eef1f4; padding: 1px 5px; border-radius: 4px; }
.crumbs { font-size: 13px; color: var(--muted); margin-bottom: 6px; }
.crumbs span { color: var(--faint); margin: 0 6px; }
h1 { font-size: 26px; line-height: 1.25; font-weight: 650; letter-spacing: -0.01em; margin: 0 0 6px; }
h2 { font-size: 18px; font-weight: 650; margin: 0; }
.sub { color: var(--muted); font-size: 14px; margin: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px;
  margin: 20px 0; box-shadow: 0 1px 2px rgba(31, 35, 40, 0.04); }
.card-head { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; margin-bottom: 12px; }
.bar { display: flex; height: 10px; border-radius: 5px; overflow: hidden; background: var(--empty); min-width: 120px; }
.bar.big { height: 14px; border-radius: 7px; }
.bar > span { display: block; height: 100%; }
.bar .reviewed { background: var(--reviewed); }
.bar .fuzzy { background: var(--fuzzy); }
.bar .untranslated { background: var(--untranslated); opacity: 0.75; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 20px; margin-top: 10px; font-size: 13px; color: var(--muted); }
.legend b { color: var(--ink); font-weight: 600; font-variant-numeric: tabular-nums; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }
.dot.reviewed { background: var(--reviewed); } .dot.fuzzy { background: var(--fuzzy); }
.dot.untranslated { background: var(--untranslated); opacity: 0.75; }
.pct { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.pct small { font-size: 13px; font-weight: 500; color: var(--muted); }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase;
  letter-spacing: 0.04em; padding: 8px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 10px; border-bottom: 1px solid var(--rule); vertical-align: middle; }
tr:last-child td { border-bottom: 0; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.progress { width: 30%; }
td.where { white-space: nowrap; }
table.articles { margin-top: 14px; }
td.nocat { color: var(--muted); font-style: italic; }
.count-fuzzy { color: var(--fuzzy-ink); } .count-untranslated { color: var(--untranslated-ink); }
.zero { color: var(--faint); }
.confidence { font-variant-numeric: tabular-nums; font-weight: 600; }
.confidence.low { color: var(--untranslated-ink); }
.banner { border-radius: 8px; padding: 10px 14px; margin: 16px 0; font-size: 14px;
  background: var(--fuzzy-soft); color: var(--fuzzy-ink); border: 1px solid #f0d58a; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 24px; margin: 20px 0 12px; font-size: 13px; }
.toolbar .group { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.toolbar .caption { color: var(--muted); margin-right: 2px; }
.toolbar input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.toolbar label { cursor: pointer; padding: 4px 11px; border: 1px solid var(--line); border-radius: 999px;
  background: var(--card); color: var(--ink); user-select: none; }
.toolbar label b { font-weight: 600; font-variant-numeric: tabular-nums; margin-left: 1px; color: var(--muted); }
.toolbar input:checked + label { background: var(--ink); border-color: var(--ink); color: #fff; }
.toolbar input:checked + label b { color: #d0d7de; }
.toolbar input:focus-visible + label { outline: 2px solid var(--accent); outline-offset: 2px; }
.units { display: flex; flex-direction: column; background: var(--card); border: 1px solid var(--line);
  border-radius: 10px; overflow: hidden; box-shadow: 0 1px 2px rgba(31, 35, 40, 0.04); }
.unit { display: grid; grid-template-columns: 168px minmax(0, 1fr) minmax(0, 1fr); border-top: 1px solid var(--rule);
  border-left: 4px solid transparent; }
.unit > div { padding: 11px 16px; }
.unit .source { border-right: 1px solid var(--rule); }
.units > .head { order: -1; border-top: 0; background: #f6f8fa; font-size: 12px; font-weight: 600;
  color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
.units > .head > div { padding: 8px 16px; }
.unit.reviewed { border-left-color: var(--reviewed); }
.unit.fuzzy { border-left-color: var(--fuzzy); background: var(--fuzzy-bg); }
.unit.untranslated { border-left-color: var(--untranslated); background: var(--untranslated-bg); }
.meta { font-size: 12px; color: var(--muted); line-height: 1.45; }
.meta .where { display: flex; align-items: center; gap: 8px; margin-bottom: 4px; }
.meta .line { color: var(--ink); font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meta .note { display: block; }
.state { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 7px; border-radius: 999px;
  line-height: 18px; }
.state.reviewed { background: var(--reviewed-soft); color: #116329; }
.state.fuzzy { background: var(--fuzzy-soft); color: var(--fuzzy-ink); }
.state.untranslated { background: var(--untranslated-soft); color: var(--untranslated-ink); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.text.none { color: var(--faint); font-style: italic; }
.origin { margin-top: 6px; font-size: 12px; color: var(--muted); }
.origin .kind { font-weight: 600; color: var(--ink); }
.previous { margin-top: 6px; font-size: 12px; color: var(--muted); }
.previous .old { white-space: pre-wrap; overflow-wrap: anywhere; }
.previous del { text-decoration: line-through; text-decoration-color: rgba(164, 14, 38, 0.6);
  background: var(--untranslated-soft); color: var(--untranslated-ink); border-radius: 3px; padding: 0 2px; }
.comment { margin-top: 6px; font-size: 12px; color: var(--muted); font-style: italic; }
.findings { list-style: none; margin: 8px 0 0; padding: 0; }
.finding { font-size: 13px; line-height: 1.4; margin-top: 6px; padding: 6px 10px; border-radius: 6px;
  background: #fff; border: 1px solid var(--line); border-left: 3px solid var(--faint); }
.finding .check { font-weight: 600; margin-right: 6px; }
.finding.error { border-left-color: var(--untranslated); background: #fffafa; }
.finding.warning { border-left-color: var(--fuzzy); background: #fffdf5; }
.empty-filter { display: none; padding: 24px; color: var(--muted); text-align: center; }
footer { margin-top: 32px; font-size: 12px; color: var(--faint); }
body:has(#show-reviewed:checked) .unit:not(.head):not(.reviewed),
body:has(#show-fuzzy:checked) .unit:not(.head):not(.fuzzy),
body:has(#show-untranslated:checked) .unit:not(.head):not(.untranslated),
body:has(#show-findings:checked) .unit:not(.head):not(.has-findings) { display: none; }
body:has(#order-confidence:checked) .unit { order: var(--rank); }
@media (max-width: 820px) {
  main { padding: 20px 14px 48px; }
  .unit { grid-template-columns: 1fr; }
  .unit .source { border-right: 0; }
  .units > .head { display: none; }
}
"""

_STATES = ("reviewed", "fuzzy", "untranslated")
_STATE_LABELS = {"reviewed": "reviewed", "fuzzy": "fuzzy", "untranslated": "untranslated"}


def _document(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="l10n {escape(__version__)}">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def _bar(progress: Progress, big: bool = False) -> str:
    total = progress.units or 1
    parts = []
    for state in _STATES:
        n = getattr(progress, state)
        if n:
            parts.append(f'<span class="{state}" style="width:{100 * n / total:.3f}%"></span>')
    label = f"{progress.reviewed} reviewed, {progress.fuzzy} fuzzy, {progress.untranslated} untranslated"
    return (f'<div class="bar{" big" if big else ""}" role="img" aria-label="{label}">{"".join(parts)}</div>')


def _legend(progress: Progress) -> str:
    items = "\n".join(f'<span class="{state}"><i class="dot {state}"></i><b>{getattr(progress, state)}</b> '
                    f"{_STATE_LABELS[state]}</span>" for state in _STATES)
    return (f'<div class="legend">{items}\n<span class="units-words"><b>{progress.units}</b> units, '
            f"<b>{progress.words}</b> words</span></div>")


def _counts(progress: Progress) -> str:
    return " ".join(f'data-{name}="{getattr(progress, name)}"'
                    for name in ("units", "words", "reviewed", "fuzzy", "untranslated"))


def _pct(progress: Progress) -> str:
    return f"{progress.percent_reviewed:.1f}\u202f%"


def _num(n: int, css: str = "") -> str:
    if not n:
        return f'<td class="num zero">{n}</td>'
    return f'<td class="num {css}">{n}</td>' if css else f'<td class="num">{n}</td>'


def _language_label(code: str) -> str:
    try:
        name = language_name(code)
    except Exception:  # an odd code: show it as it is
        name = code
    return f"{name} ({code})" if name != code else code


def _index_html(project: Project, pages: dict[str, list[Page]], checks: bool) -> str:
    cfg = project.config
    source = _language_label(cfg.source_language)
    out = [f'<header>\n<div class="crumbs">l10n review report</div>\n<h1>{escape(cfg.name)}</h1>\n'
           f'<p class="sub">{escape(source)} \u2192 '
           f'{escape(", ".join(_language_label(lang) for lang in pages))}'
           f" \u00b7 {_plural(len(next(iter(pages.values()), [])), 'article')}</p>\n</header>\n"]
    for lang, lang_pages in pages.items():
        total = Progress(lang, "all articles")
        for page in lang_pages:
            total.add(page.progress)
        out.append(f'<section class="card language" id="lang-{escape(lang)}" data-lang="{escape(lang)}" '
                   f"{_counts(total)}>\n"
                   f'<div class="card-head"><h2>{escape(_language_label(lang))}</h2>'
                   f'<div class="pct">{_pct(total)} <small>reviewed</small></div></div>\n'
                   f"{_bar(total, big=True)}\n{_legend(total)}\n")
        head = ["Article", "Progress", "Units", "Words", "Reviewed", "Fuzzy", "Untranslated", "Reviewed %"]
        if checks:
            head.append("Findings")
        out.append('<table class="articles">\n<thead><tr>' + "".join(
            f'<th{"" if i < 2 else " class=num"}>{h}</th>' for i, h in enumerate(head)) + "</tr></thead>\n<tbody>\n")
        for page in lang_pages:
            slug = escape(page.article.slug)
            link = f'<a href="{escape(quote(page.href))}">{slug}</a>'
            if page.progress.missing:
                out.append(f'<tr class="article missing" data-article="{slug}"><td>{slug}</td>'
                           f'<td class="nocat" colspan="{len(head) - 1}">no catalog \u2014 run '
                           f"<code>l10n extract</code></td></tr>\n")
                continue
            p = page.progress
            cells = [f"<td>{link}</td>", f'<td class="progress">{_bar(p)}</td>', _num(p.units), _num(p.words),
                     _num(p.reviewed), _num(p.fuzzy, "count-fuzzy"), _num(p.untranslated, "count-untranslated"),
                     f'<td class="num">{_pct(p)}</td>']
            if checks:
                cells.append(_num(page.finding_count, "count-findings"))
            out.append(f'<tr class="article" data-article="{slug}" {_counts(p)}>{"".join(cells)}</tr>\n')
        out.append("</tbody>\n</table>\n</section>\n")
        out.append(_least_confident_html(lang, lang_pages))
    if not checks:
        note = "QA checks are not part of this version of l10n: the report shows no findings."
    else:
        note = "QA findings come from <code>l10n.checks</code>."
    out.append(f"<footer>Made by <code>l10n report</code> (l10n {escape(__version__)}) from the catalogs in "
               f"<code>{escape(project.rel(cfg.locales_path))}/</code>. {note}</footer>\n")
    return _document(f"Review report \u2014 {cfg.name}", "".join(out))


def _least_confident_html(lang: str, pages: list[Page]) -> str:
    found = [(row.origin.confidence, page, row) for page in pages for row in page.rows if _suggestion(row)]
    if not found:
        return ""
    found.sort(key=lambda item: (item[0], item[1].article.slug, item[2].number))
    rows = []
    for confidence, page, row in found[:LEAST_CONFIDENT]:
        href = escape(quote(page.href) + f"#unit-{row.number}")
        line = f":{row.lines[0]}" if row.lines else ""
        rows.append(f'<tr class="suggestion"><td class="num">{_confidence(confidence)}</td>'
                    f'<td class="where"><a href="{href}">{escape(page.article.slug)}{line}</a></td>'
                    f'<td><span class="text">{escape(_clip(row.msgid, 110))}</span></td></tr>\n')
    more = "unreviewed, lowest first"
    if len(found) > LEAST_CONFIDENT:
        more = f"the {LEAST_CONFIDENT} lowest of {len(found)}"
    return (f'<section class="card least-confident" data-lang="{escape(lang)}">\n'
            '<div class="card-head"><h2>Least confident machine suggestions '
            f'\u00b7 {escape(_language_label(lang))}</h2>'
            f'<span class="sub">{more}</span></div>\n'
            '<table>\n<thead><tr><th class="num">Confidence</th><th>Where</th><th>Source</th></tr></thead>\n'
            f"<tbody>\n{''.join(rows)}</tbody>\n</table>\n</section>\n")


def _confidence(value: float) -> str:
    low = " low" if value < LOW_CONFIDENCE else ""
    return f'<span class="confidence{low}">{value:.2f}</span>'


def _article_html(project: Project, page: Page, checks: bool) -> str:
    cfg = project.config
    depth = page.href.count("/")
    index = "../" * depth + "index.html"
    p = page.progress
    lang = escape(page.language)
    out = [f'<header>\n<div class="crumbs"><a href="{escape(quote(index))}">{escape(cfg.name)}</a><span>/</span>'
           f'<a href="{escape(quote(index))}#lang-{lang}">{escape(_language_label(page.language))}</a></div>\n'
           f"<h1>{escape(page.article.slug)}</h1>\n"
           f'<p class="sub"><code>{escape(page.article.rel)}</code> \u2192 <code>{escape(page.catalog)}</code></p>\n'
           "</header>\n"]
    out.append(f'<section class="card summary" data-lang="{lang}" data-article="{escape(page.article.slug)}" '
               f"{_counts(p)}>\n"
               '<div class="card-head"><h2>Progress</h2>'
               f'<div class="pct">{_pct(p)} <small>reviewed</small></div></div>\n'
               f"{_bar(p, big=True)}\n{_legend(p)}\n</section>\n")
    if page.stale:
        out.append(f'<p class="banner stale">{_plural(page.stale, "unit")} of the article '
                   f"{'is' if page.stale == 1 else 'are'} not in the catalog: run <code>l10n extract</code>.</p>\n")
    for finding in page.findings:
        out.append(f'<ul class="findings page-findings">{_finding_html(finding)}</ul>\n')
    with_findings = sum(1 for row in page.rows if row.findings)
    filters = [("all", "All", p.units)] + [(s, s.capitalize(), getattr(p, s)) for s in _STATES]
    if checks:
        filters.append(("findings", "With findings", with_findings))
    toolbar = ['<div class="toolbar">\n<div class="group" role="radiogroup" aria-label="Show">'
               '<span class="caption">Show</span>']
    for key, label, n in filters:
        checked = " checked" if key == "all" else ""
        toolbar.append(f'<input type="radio" name="show" id="show-{key}"{checked}>'
                       f'<label for="show-{key}">{label} <b>{n}</b></label>')
    toolbar.append('</div>\n<div class="group" role="radiogroup" aria-label="Order"><span class="caption">Order</span>'
                   '<input type="radio" name="order" id="order-article" checked>'
                   '<label for="order-article">Article</label>'
                   '<input type="radio" name="order" id="order-confidence">'
                   '<label for="order-confidence" title="Unreviewed machine suggestions, lowest confidence first">'
                   "Least confident first</label></div>\n</div>\n")
    out.append("".join(toolbar))
    source_lang = escape(cfg.source_language)
    out.append('<div class="units">\n<div class="unit head"><div>Unit</div>'
               f"<div>Source \u00b7 {escape(_language_label(cfg.source_language))}</div>"
               f"<div>Translation \u00b7 {escape(_language_label(page.language))}</div></div>\n")
    for row in page.rows:
        out.append(_unit_html(row, source_lang, lang))
    out.append("</div>\n")
    out.append(f'<footer>Made by <code>l10n report</code> (l10n {escape(__version__)}). '
               f'<a href="{escape(quote(index))}">All articles</a></footer>\n')
    return _document(f"{page.article.slug} ({page.language}) \u2014 {cfg.name}", "".join(out))


def _unit_html(row: Row, source_lang: str, lang: str) -> str:
    classes = ["unit", row.state, f"kind-{escape(row.kind)}"]
    if row.findings:
        classes.append("has-findings")
    lines = ", ".join(str(n) for n in row.lines)
    where = f'<span class="line">line {lines}</span>' if lines else ""
    note = "".join(f'<span class="note">{escape(line)}</span>' for line in row.note)
    meta = (f'<div class="meta"><div class="where">{where}<span class="state {row.state}">'
            f"{_STATE_LABELS[row.state]}</span></div>{note}</div>")
    source = f'<div class="source"><div class="text" lang="{source_lang}">{escape(row.msgid)}</div>'
    if row.previous is not None and row.previous != row.msgid:
        source += (f'<div class="previous">was: <span class="old" lang="{source_lang}">'
                   f"{_removed(row.previous, row.msgid)}</span></div>")
    source += "</div>"
    if row.msgstr:
        target = f'<div class="target"><div class="text" lang="{lang}">{escape(row.msgstr)}</div>'
    else:
        target = '<div class="target"><div class="text none">not translated</div>'
    target += _origin_html(row.origin)
    target += "".join(f'<div class="comment">{escape(line)}</div>' for line in row.comments)
    if row.findings:
        target += '<ul class="findings">' + "".join(_finding_html(f) for f in row.findings) + "</ul>"
    target += "</div>"
    return (f'<div class="{" ".join(classes)}" id="unit-{row.number}" data-state="{row.state}" '
            f'style="--rank:{row.rank}">{meta}{source}{target}</div>\n')


def _removed(old: str, new: str) -> str:
    """``old`` as HTML with the words that ``new`` no longer has marked ``<del>``."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for tag, i1, i2, _, _ in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        chunk = escape("".join(a[i1:i2]))
        out.append(f"<del>{chunk}</del>" if tag in ("replace", "delete") and chunk.strip() else chunk)
    return "".join(out)


_WORDS = re.compile(r"\S+|\s+")


def _origin_html(origin: Provenance) -> str:
    parts = []
    if origin.kind == "machine":
        how = "machine translation in pieces" if origin.pieces else "machine translation"
        confidence = "" if origin.confidence is None else f", confidence {_confidence(origin.confidence)}"
        parts.append(f'<span class="kind">{how}</span> \u00b7 {escape(origin.engine)}{confidence}')
    elif origin.kind == "memory":
        parts.append(f'<span class="kind">translation memory</span> \u00b7 {escape(origin.source)}')
    elif origin.kind == "glossary":
        parts.append('<span class="kind">glossary</span> (nothing else to translate)')
    elif origin.kind == "copy":
        parts.append('<span class="kind">copied</span> (nothing to translate)')
    html = f'<div class="origin origin-{origin.kind}">{parts[0]}</div>' if parts else ""
    if origin.checks:
        html += '<ul class="findings">' + "".join(
            f'<li class="finding warning"><span class="check">check</span>{escape(problem)}</li>'
            for problem in origin.checks) + "</ul>"
    return html


def _finding_html(finding) -> str:
    severity = str(getattr(finding, "severity", "") or "").lower()
    css = "".join(c for c in severity if c.isalnum() or c == "-") or "info"
    check = escape(str(getattr(finding, "check", "") or ""))
    message = escape(str(getattr(finding, "message", "") or ""))
    return (f'<li class="finding {css}" data-check="{check}"><span class="check">{check}</span>'
            f"{message}</li>")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
