"""What several checks share: letters, and text with protected spans blanked out."""

from __future__ import annotations

import re

from ..mt.protect import Protector

LETTERS = re.compile(r"[^\W\d_]")
# What the URL and e-mail address patterns of l10n.mt.protect start from: a text with none of these has neither.
LINK_MARK = re.compile(r"://|www\.|@")


def blank(text: str, protector: Protector, kinds: tuple[str, ...] | None = None) -> str:
    """``text`` with the spans ``protector`` finds (of ``kinds``) replaced by spaces, positions kept."""
    spans = protector.protect(text).spans
    if not spans:
        return text
    out = list(text)
    for span in spans:
        if kinds is None or span.kind in kinds:
            out[span.start:span.end] = " " * (span.end - span.start)
    return "".join(out)
