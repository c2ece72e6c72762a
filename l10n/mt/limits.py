"""How long a model input may be, read from the model's file, and texts cut into pieces that fit.

A text longer than the model accepts (its position encodings end somewhere)
is cut at sentence, then clause boundaries, then between words; the pieces
are translated and joined again (:class:`l10n.mt.engine.Engine`).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Callable

# The most tokens one model input gets, whatever the model accepts: a model
# whose position encodings CTranslate2 computes on the fly has no limit of
# its own, and translate_batch would silently cut its input after this many
# (its max_input_length default). Longer texts are translated in pieces.
MAX_INPUT_TOKENS = 1024

# Where a text too long for the model is cut, coarsest first: after the end
# of a sentence (closing quotes and brackets kept with it), a semicolon, a
# colon, a comma, and at last at any white space. The white space after a
# cut stays with the piece before it, so the pieces join up again unchanged.
_BOUNDARIES = (
    re.compile(r"[.!?…][\"'’“”»«)\]]*\s+"),
    re.compile(r";\s+"),
    re.compile(r":\s+"),
    re.compile(r",\s+"),
    re.compile(r"\s+"),
)


def max_decoding_length(longest_input_tokens: int) -> int:
    """The cap on generated tokens for a batch whose longest input has this many."""
    return 2 * longest_input_tokens + 10


def position_limits(model_dir: Path) -> tuple[int | None, int | None]:
    """How many positions the encoder and the decoder of a CTranslate2 model have encodings for.

    Read from the shapes of ``encoder/position_encodings/encodings`` and
    ``decoder/position_encodings/encodings`` in ``model.bin`` (models
    converted from OpenNMT-py store them; its default is 5000). None for a side
    without stored encodings: sinusoidal ones computed for any length, or
    relative positions, so no limit. See the format in ctranslate2's
    ``specs/model_spec.py`` (``_serialize``) and ``src/models/model.cc``.
    """
    shapes: dict[str, tuple[int, ...]] = {}
    aliases: dict[str, str] = {}
    try:
        with open(Path(model_dir) / "model.bin", "rb") as f:
            read = _Reader(f)
            version = read.number("I")
            if version >= 2:
                read.string()  # spec name
                read.number("I")  # spec revision
            for _ in range(read.number("I")):
                name = read.string()
                shape = tuple(read.number("I") for _ in range(read.number("B")))
                item_size = read.number("B")  # the type id from binary version 4 on
                size = read.number("I") * (1 if version >= 4 else item_size)
                f.seek(size, 1)
                shapes[name] = shape
            if version >= 3:
                for _ in range(read.number("I")):
                    alias = read.string()
                    aliases[alias] = read.string()
    except (OSError, struct.error, UnicodeDecodeError, ValueError):
        return None, None  # ctranslate2 reports a broken model when it loads it

    def rows(side: str) -> int | None:
        name = f"{side}/position_encodings/encodings"
        shape = shapes.get(aliases.get(name, name))
        return shape[0] if shape and len(shape) == 2 else None

    return rows("encoder"), rows("decoder")


class _Reader:
    """Little-endian numbers and length-prefixed strings from a binary file."""

    def __init__(self, f):
        self.f = f

    def number(self, fmt: str) -> int:
        size = struct.calcsize("<" + fmt)
        return struct.unpack("<" + fmt, self.f.read(size))[0]

    def string(self) -> str:
        return self.f.read(self.number("H")).rstrip(b"\0").decode("utf-8")


def input_budget(encoder_positions: int | None, decoder_positions: int | None,
                 source_extra: int = 0, prefix_length: int = 0) -> int:
    """The most tokens one input may have so that neither it nor its decoding runs past the positions."""
    budget = MAX_INPUT_TOKENS
    if encoder_positions is not None:
        budget = min(budget, encoder_positions - source_extra)
    if decoder_positions is not None:  # leave room for max_decoding_length(budget)
        budget = min(budget, (decoder_positions - prefix_length - max_decoding_length(0)) // 2)
    return max(1, budget)


def split_text(text: str, fits: Callable[[str], bool], level: int = 0) -> list[str]:
    """Cut ``text`` into consecutive pieces that each ``fit``, at the coarsest boundaries that do.

    Joined, the pieces give ``text`` again. Neighbouring parts are put back
    together while they fit; a part that does not fit alone is cut at the
    next finer boundary, and a word longer than the budget in halves.
    """
    if fits(text) or len(text) < 2:
        return [text]
    if level == len(_BOUNDARIES):
        middle = len(text) // 2
        return split_text(text[:middle], fits, level) + split_text(text[middle:], fits, level)
    cuts = [m.end() for m in _BOUNDARIES[level].finditer(text) if m.end() < len(text)]
    parts = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    pieces: list[str] = []
    for part in parts:
        if pieces and fits(pieces[-1] + part):
            pieces[-1] += part
        else:
            pieces.append(part)
    return [small for piece in pieces for small in split_text(piece, fits, level + 1)]
