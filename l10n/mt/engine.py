"""Batched machine translation with CTranslate2 and Argos packages.

This bypasses ``argostranslate.translate.translate()``: that one splits text
with a sentence model it downloads when a package lacks one, and translates
one text at a time. Our units are already sentences, so they are encoded
with the package's own tokenizer and sent to
``ctranslate2.Translator.translate_batch`` in batches; nothing here touches
the network.

A text longer than the model accepts (its position encodings end somewhere)
is cut into pieces at sentence, then clause boundaries, then between words,
and the pieces are translated and joined again. A batch CTranslate2 fails on
is tried again one text at a time; a text that still fails gets an empty
suggestion saying why, and the others go on.

ctranslate2 and the tokenizers are imported when :meth:`Engine.translate`
first runs, never when this module is imported.
"""

from __future__ import annotations

import json
import math
import re
import struct
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..config import EngineConfig
from ..errors import L10nError
from .models import ModelPackage

# CTranslate2 divides a hypothesis's summed log-probability by its length to
# this power; 1.0 makes the score the mean log-probability per target token.
_LENGTH_PENALTY = 1.0

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


@dataclass(frozen=True)
class Suggestion:
    """A machine translation of one text.

    ``confidence`` is exp of the mean log-probability per generated target
    token (the end-of-sentence token included when it was generated), as
    CTranslate2 reports it with length_penalty 1.0; it lies in 0..1. For a
    pivot it is the product of both hops' confidences; for a text translated
    in pieces, the lowest of theirs. An empty input gives an empty text with
    confidence 1. When the model failed on the text, ``text`` is empty,
    ``confidence`` 0 and ``problem`` says why, in one line.
    """

    text: str
    confidence: float
    problem: str = ""


# A model of more than this many bytes is large enough that its replicas share the cores (two threads
# each) rather than one thread each: a rule of thumb, not measured on real Argos models here.
LARGE_MODEL_BYTES = 400 * 1000**2


def split_cores(settings: EngineConfig, model_bytes: int, on_cpu: bool) -> tuple[int, int]:
    """(replicas, threads per replica) for a model of ``model_bytes`` on this machine.

    On the CPU, CTranslate2 is fastest with several replicas translating
    batches side by side, each on few threads, rather than one replica on
    every core (``benchmarks/translate.py`` measures the splits side by
    side). Given values are kept; 0 is chosen. On a GPU, one replica unless set.
    """
    from ..config import machine_cores

    if not on_cpu:
        return settings.replicas or 1, settings.threads
    cores = machine_cores()
    threads = settings.threads or (2 if model_bytes > LARGE_MODEL_BYTES and cores > 2 else 1)
    replicas = settings.replicas or max(1, cores // threads)
    return replicas, threads


def _model_bytes(model: Path) -> int:
    try:
        return (model / "model.bin").stat().st_size
    except OSError:
        return 0


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


@dataclass
class _Hop:
    package: ModelPackage
    translator: object  # ctranslate2.Translator
    tokenizer: object  # argostranslate.tokenizer.Tokenizer
    target_prefix: str = ""
    prefix_tokens: list[str] = field(default_factory=list)
    max_input_tokens: int = MAX_INPUT_TOKENS  # longer texts go in pieces
    max_decoding: int | None = None  # the decoder's positions, when limited
    replicas: int = 1  # the translator's replicas (CTranslate2's inter_threads)


# (text, confidence, problem) of one translated text.
_Out = tuple[str, float, str]


class Engine:
    """Translates sentences along a route of one or two Argos packages."""

    def __init__(self, route: list[ModelPackage], settings: EngineConfig | None = None):
        if not route:
            raise ValueError("an Engine needs at least one package")
        for a, b in zip(route, route[1:]):
            if a.to_code != b.from_code:
                raise ValueError(f"route does not chain: {a.pair} then {b.pair}")
        self.route = list(route)
        self.settings = settings or EngineConfig()
        self._hops: list[_Hop] | None = None
        # Inputs sent to the model, per hop (after deduplication; each piece of a long text counts).
        self.sentences_translated = [0] * len(self.route)

    @property
    def description(self) -> str:
        """For example ``argos de→en 1.9`` or ``argos de→en 1.9 + en→fr 1.9``."""
        return "argos " + " + ".join(f"{p.pair} {p.version}".rstrip() for p in self.route)

    # ------------------------------------------------------------- loading

    def _load(self) -> list[_Hop]:
        if self._hops is None:
            self._hops = [self._load_hop(p) for p in self.route]
        return self._hops

    def _load_hop(self, pkg: ModelPackage) -> _Hop:
        import ctranslate2
        from argostranslate.tokenizer import BPETokenizer, SentencePieceTokenizer

        folder = Path(pkg.path)
        try:
            metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise L10nError(f"{folder / 'metadata.json'}: cannot read: {e}") from e
        if (folder / "sentencepiece.model").is_file():
            tokenizer = SentencePieceTokenizer(folder / "sentencepiece.model")
        elif (folder / "bpe.model").is_file():
            tokenizer = BPETokenizer(folder / "bpe.model", pkg.from_code, pkg.to_code)
        else:
            raise L10nError(f"{folder}: package has neither sentencepiece.model nor bpe.model")
        s = self.settings
        on_cpu = s.device == "cpu" or (s.device == "auto" and not ctranslate2.get_cuda_device_count())
        replicas, threads = split_cores(s, _model_bytes(folder / "model"), on_cpu)
        try:
            translator = ctranslate2.Translator(
                str(folder / "model"),
                device=s.device,
                compute_type=s.compute_type,
                inter_threads=replicas,
                intra_threads=threads,
            )
        except (RuntimeError, ValueError, OSError) as e:
            detail = " ".join(str(e).split())
            raise L10nError(f"{folder / 'model'}: cannot load the translation model: {detail}") from e
        prefix = metadata.get("target_prefix") or ""
        prefix_tokens = [prefix] if prefix else []
        encoder, decoder = position_limits(folder / "model")
        budget = input_budget(encoder, decoder, _source_extra(folder / "model"), len(prefix_tokens))
        return _Hop(pkg, translator, tokenizer, prefix, prefix_tokens, budget, decoder, replicas)

    # --------------------------------------------------------- translating

    def translate(
        self, texts: list[str], progress: Callable[[int], None] | None = None
    ) -> list[Suggestion]:
        """Translate each text (one sentence each); results are in input order.

        Identical texts are translated once. Texts are sorted by token length
        and translated in chunks of ``batch_size``; after each chunk (all hops
        done) ``progress`` gets the number of input texts finished so far,
        duplicates counted, ending at ``len(texts)``. A text too long for the
        model is translated in pieces; one the model fails on gets an empty
        :class:`Suggestion` with its ``problem``.
        """
        texts = list(texts)
        results: list[Suggestion | None] = [None] * len(texts)
        done = 0
        blank_only_chunk_first = any(not t.strip() for t in texts) and any(t.strip() for t in texts)
        for positions, suggestions in self.translate_iter(texts):
            for i, suggestion in zip(positions, suggestions):
                results[i] = suggestion
            done += len(positions)
            if blank_only_chunk_first:  # reported together with the first real chunk
                blank_only_chunk_first = False
                continue
            if progress is not None:
                progress(done)
        return results  # type: ignore[return-value]

    def translate_iter(self, texts: list[str]) -> Iterator[tuple[list[int], list[Suggestion]]]:
        """Translate chunk by chunk: yields the input positions finished and their suggestions.

        The same work as :meth:`translate` (deduplicated, sorted by token
        length, ``batch_size`` distinct texts per chunk), but each chunk is
        handed out as soon as it is done, so a caller can save results while
        the rest is translated. Every position is yielded exactly once;
        blank texts come first, in one chunk, without loading the model.
        """
        texts = list(texts)
        positions: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            positions.setdefault(text, []).append(i)

        todo = []
        blank_positions: list[int] = []
        blank_results: list[Suggestion] = []
        for text, where in positions.items():
            if text.strip():
                todo.append(text)
            else:
                blank_positions.extend(where)
                blank_results.extend(Suggestion(text, 1.0) for _ in where)
        if blank_positions:
            yield blank_positions, blank_results
        if not todo:
            return

        hops = self._load()
        first = hops[0]
        encoded = [self._encode(first, t) for t in todo]
        order = sorted(range(len(todo)), key=lambda k: len(encoded[k]))
        size = self.settings.batch_size
        chunks = [order[start : start + size] for start in range(0, len(order), size)]

        def run(chunk: list[int]) -> list[_Out]:
            out = self._run_texts(0, first, [todo[k] for k in chunk], {todo[k]: encoded[k] for k in chunk})
            for h in range(1, len(hops)):  # pivot: the next hop translates this output
                following = self._run_texts(h, hops[h], [text for text, _, _ in out])
                out = [(text, c1 * c2, p1 or p2) for (_, c1, p1), (text, c2, p2) in zip(out, following)]
            return out

        # Each replica gets a chunk from a worker thread of its own
        # (CTranslate2 releases the GIL), and one more chunk waits, so every
        # replica keeps working while the caller handles the chunk just
        # finished: restoring, saving, progress.
        replicas = min(hop.replicas for hop in hops)
        pool = ThreadPoolExecutor(max_workers=replicas, thread_name_prefix="l10n-engine")
        try:
            ahead: deque[Future] = deque(pool.submit(run, c) for c in chunks[:replicas + 1])
            following = replicas + 1
            for chunk in chunks:
                out = ahead.popleft().result()
                if following < len(chunks):
                    ahead.append(pool.submit(run, chunks[following]))
                    following += 1
                finished: list[int] = []
                suggestions: list[Suggestion] = []
                for k, (text, conf, problem) in zip(chunk, out):
                    suggestion = Suggestion(text, conf, problem)
                    for i in positions[todo[k]]:
                        finished.append(i)
                        suggestions.append(suggestion)
                yield finished, suggestions
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _encode(self, hop: _Hop, text: str) -> list[str]:
        return list(hop.tokenizer.encode(text))

    def _run_texts(self, index: int, hop: _Hop, texts: list[str],
                   known: dict[str, list[str]] | None = None) -> list[_Out]:
        """Translate texts with one hop, each distinct one once; one too long for the model in pieces.

        ``known`` holds the tokens of texts already encoded with this hop's tokenizer.
        """
        tokens: dict[str, list[str]] = dict(known or {})

        def encode(text: str) -> list[str]:
            if text not in tokens:
                tokens[text] = self._encode(hop, text)
            return tokens[text]

        def fits(piece: str) -> bool:
            return len(encode(piece.strip())) <= hop.max_input_tokens

        distinct = list(dict.fromkeys(t for t in texts if t.strip()))
        pieces = {t: [t] if fits(t) else split_text(t, fits) for t in distinct}
        cores = list(dict.fromkeys(p.strip() for ps in pieces.values() for p in ps if p.strip()))
        translated = dict(zip(cores, self._run_hop(index, hop, [encode(c) for c in cores])))
        joined = {t: _join(ps, translated) for t, ps in pieces.items()}
        return [joined.get(t, (t, 1.0, "")) for t in texts]

    def _run_hop(self, index: int, hop: _Hop, batch: list[list[str]]) -> list[_Out]:
        """Translate a batch; if CTranslate2 fails on it, each input alone, so one bad input spoils only itself."""
        if not batch:
            return []
        self.sentences_translated[index] += len(batch)
        try:
            return self._translate_batch(hop, batch)
        except (RuntimeError, ValueError) as e:
            if len(batch) == 1:
                return [("", 0.0, _failure(e))]
        return [self._translate_one(hop, tokens) for tokens in batch]

    def _translate_one(self, hop: _Hop, tokens: list[str]) -> _Out:
        try:
            (out,) = self._translate_batch(hop, [tokens])
        except (RuntimeError, ValueError) as e:
            return "", 0.0, _failure(e)
        return out

    def _translate_batch(self, hop: _Hop, batch: list[list[str]]) -> list[_Out]:
        """One translate_batch call; returns (text, confidence, "") per input."""
        longest = max(len(t) for t in batch)
        prefix = [list(hop.prefix_tokens) for _ in batch] if hop.prefix_tokens else None
        decoding = max_decoding_length(longest) + len(hop.prefix_tokens)
        if hop.max_decoding is not None:
            decoding = min(decoding, hop.max_decoding)
        results = hop.translator.translate_batch(
            batch,
            target_prefix=prefix,
            max_batch_size=self.settings.batch_size,
            batch_type="examples",
            beam_size=self.settings.beam_size,
            num_hypotheses=1,
            length_penalty=_LENGTH_PENALTY,
            replace_unknowns=True,
            return_scores=True,
            max_input_length=0,  # never cut an input: a long one was split above
            max_decoding_length=decoding,
        )
        out = []
        for result in results:
            tokens = list(result.hypotheses[0])
            if hop.prefix_tokens and tokens[: len(hop.prefix_tokens)] == hop.prefix_tokens:
                tokens = tokens[len(hop.prefix_tokens) :]
            text = hop.tokenizer.decode(tokens)
            if hop.target_prefix and text.startswith(hop.target_prefix):
                text = text[len(hop.target_prefix) :]  # as argostranslate does
            score = result.scores[0] if result.scores else 0.0
            confidence = min(1.0, math.exp(score))
            out.append((text.strip(), confidence, ""))
        return out


def _join(pieces: list[str], translated: dict[str, _Out]) -> _Out:
    """Put the translations of a text's pieces together, keeping the white space between them."""
    out: list[str] = []
    confidence = 1.0
    for piece in pieces:
        core = piece.strip()
        if not core:
            out.append(piece)
            continue
        text, conf, problem = translated[core]
        if problem:
            return "", 0.0, problem
        start = piece.index(core)
        out.append(piece[:start] + text + piece[start + len(core) :])
        confidence = min(confidence, conf)
    return "".join(out).strip(), confidence, ""


def _failure(e: Exception) -> str:
    return "translation failed: " + (" ".join(str(e).split()) or type(e).__name__)


def _source_extra(model_dir: Path) -> int:
    """How many tokens CTranslate2 adds to each input (``add_source_bos``/``add_source_eos`` in config.json)."""
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    if not isinstance(config, dict):
        return 0
    return int(bool(config.get("add_source_bos"))) + int(bool(config.get("add_source_eos")))
