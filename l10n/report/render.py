"""The report's HTML: Jinja2 templates in ``templates/`` (autoescaped) and the style sheet ``report.css``.

The style sheet is inlined into every page, which loads nothing else.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files
from urllib.parse import quote

import jinja2

from .. import __version__
from ..languages import language_name
from ..project import Project
from ..status import Progress, with_totals
from .pages import Page, least_confident

LEAST_CONFIDENT = 10  # machine suggestions listed per language on the index page
LOW_CONFIDENCE = 0.5  # below this, a confidence is shown as low
STATES = ("reviewed", "fuzzy", "untranslated")


def index_html(project: Project, pages: dict[str, list[Page]]) -> str:
    """``index.html``: per language, the progress of every article and the least confident suggestions."""
    cfg = project.config
    # with_totals puts a language's total last (a language with one article: that article)
    totals = {row.language: row for row in with_totals([page.progress for ps in pages.values() for page in ps])}
    return _render("index.html", name=cfg.name, source_language=cfg.source_language, pages=pages,
                   totals={lang: totals.get(lang) or Progress(lang, "all articles") for lang in pages},
                   suggestions={lang: least_confident(ps) for lang, ps in pages.items()},
                   articles=len(next(iter(pages.values()), [])), locales=project.rel(cfg.locales_path))


def article_html(project: Project, page: Page) -> str:
    """``<lang>/<slug>.html``: one article's catalog entry by entry, source beside translation."""
    return _render("article.html", name=project.config.name, source_language=project.config.source_language,
                   page=page, index="../" * page.href.count("/") + "index.html")


def _render(template: str, **values) -> str:
    return _environment().get_template(template).render(**values)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(url=quote, label=language_label, pct=percent, plural=plural, clip=clip, removed=removed)
    env.globals.update(version=__version__, states=STATES, least_confident=LEAST_CONFIDENT,
                       low_confidence=LOW_CONFIDENCE,
                       css=files(__package__).joinpath("report.css").read_text(encoding="utf-8"))
    return env


# ------------------------------------------------------------------ filters


def language_label(code: str) -> str:
    try:
        name = language_name(code)
    except Exception:  # an odd code: show it as it is
        name = code
    return f"{name} ({code})" if name != code else code


def percent(progress: Progress) -> str:
    return f"{progress.percent_reviewed:.1f}\u202f%"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


_WORDS = re.compile(r"\S+|\s+")


def removed(old: str, new: str) -> list[tuple[str, bool]]:
    """``old`` in pieces, each with whether ``new`` no longer has it (shown as ``<del>``)."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for tag, i1, i2, _, _ in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        chunk = "".join(a[i1:i2])
        out.append((chunk, tag in ("replace", "delete") and bool(chunk.strip())))
    return out
