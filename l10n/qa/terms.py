"""Text that must come through as it is or as fixed: URLs and e-mail addresses, glossary terms.

Protected text is found with :mod:`l10n.mt.protect`, exactly as
``l10n translate`` protects it from the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .common import LINK_MARK
from .registry import ERROR, WARNING, Context, check

_KINDS = {"url": "URL", "email": "e-mail address"}


@check("placeholders", ERROR, "URLs and e-mail addresses must be copied exactly, as often as in the source.")
def placeholders(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not LINK_MARK.search(source) and not LINK_MARK.search(target):
        return
    src = Counter((s.kind, s.original) for s in ctx.links.protect(source).spans)
    tgt = Counter((s.kind, s.original) for s in ctx.links.protect(target).spans)
    if src == tgt:
        return
    missing = src - tgt
    extra = tgt - src
    for (kind, text), n in missing.items():
        times = f" ({n} of {src[(kind, text)]} times)" if src[(kind, text)] > 1 else ""
        instead = [t for (k, t) in extra if k == kind]
        also = f"; the translation has {instead[0]}" if instead else ""
        yield f"{_KINDS[kind]} {text} is missing{times}{also}"
    for (kind, text), n in extra.items():
        if not any(k == kind for (k, _t) in missing):
            yield f"{_KINDS[kind]} {text} is not in the source"


# ---------------------------------------------------------------- glossary


@check("glossary-keep", ERROR, "A do-not-translate term of the glossary (glossary.keep) is changed or missing.")
def glossary_keep(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not ctx.keep:
        return
    wanted = {s.original for s in ctx.source_terms.protect(source).spans if s.kind == "keep"}
    if not wanted:
        return
    present = {s.original for s in ctx.target_terms.protect(target).spans}
    for term in sorted(wanted - present, key=source.find):
        yield f"{term} is not in the translation (glossary.keep: copy it as it is)"


@check("glossary-terms", WARNING, "A term with a fixed translation (glossary.terms) is not translated that way.")
def glossary_terms(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not ctx.terms:
        return
    wanted = {s.original: s.restore for s in ctx.source_terms.protect(source).spans if s.kind == "term"}
    if not wanted:
        return
    present = {s.original.casefold() for s in ctx.target_terms.protect(target).spans}
    for term, translation in sorted(wanted.items(), key=lambda kv: source.find(kv[0])):
        if translation.casefold() not in present:
            yield f"{term} should be translated as {translation} (glossary.terms)"

