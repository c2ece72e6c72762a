"""Batched machine translation with CTranslate2 and Argos packages.

This bypasses ``argostranslate.translate.translate()``: that one splits text
with a sentence model it downloads when a package lacks one, and translates
one text at a time. Our units are already sentences, so they are encoded
with the package's own tokenizer and sent to
``ctranslate2.Translator.translate_batch`` in batches; nothing here touches
the network.

ctranslate2 and the tokenizers are imported when :meth:`Engine.translate`
first runs, never when this module is imported.
"""

from __future__ import annotations

import json
import math
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from l10n.errors import L10nError
from l10n.models import ModelPackage

# CTranslate2 divides a hypothesis's summed log-probability by its length to
# this power; 1.0 makes the score the mean log-probability per target token.
_LENGTH_PENALTY = 1.0


@dataclass(frozen=True)
class EngineSettings:
    """How to run CTranslate2; the defaults suit a CPU."""

    device: str = "cpu"  # cpu | cuda | auto
    threads: int = 0  # intra-op threads; 0 = ctranslate2's default (all cores)
    beam_size: int = 2
    batch_size: int = 32  # sentences per translate_batch call
    compute_type: str = "default"  # int8, int8_float16, float16, float32, ... (ctranslate2's names)

    def __post_init__(self) -> None:
        if self.device not in ("cpu", "cuda", "auto"):
            raise L10nError(f"unknown device {self.device!r}: use cpu, cuda or auto")
        if self.threads < 0 or self.beam_size < 1 or self.batch_size < 1:
            raise L10nError("threads must be >= 0, beam_size and batch_size >= 1")


@dataclass(frozen=True)
class Suggestion:
    """A machine translation of one text.

    ``confidence`` is exp of the mean log-probability per generated target
    token (the end-of-sentence token included when it was generated), as
    CTranslate2 reports it with length_penalty 1.0; it lies in 0..1. For a
    pivot it is the product of both hops' confidences. An empty input gives
    an empty text with confidence 1.
    """

    text: str
    confidence: float


def max_decoding_length(longest_input_tokens: int) -> int:
    """The cap on generated tokens for a batch whose longest input has this many."""
    return 2 * longest_input_tokens + 10


@dataclass
class _Hop:
    package: ModelPackage
    translator: object  # ctranslate2.Translator
    tokenizer: object  # argostranslate.tokenizer.Tokenizer
    target_prefix: str = ""
    prefix_tokens: list[str] = field(default_factory=list)


class Engine:
    """Translates sentences along a route of one or two Argos packages."""

    def __init__(self, route: list[ModelPackage], settings: EngineSettings | None = None):
        if not route:
            raise ValueError("an Engine needs at least one package")
        for a, b in zip(route, route[1:]):
            if a.to_code != b.from_code:
                raise ValueError(f"route does not chain: {a.pair} then {b.pair}")
        self.route = list(route)
        self.settings = settings or EngineSettings()
        self._hops: list[_Hop] | None = None
        # Sentences sent to the model, per hop (after deduplication).
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
        try:
            translator = ctranslate2.Translator(
                str(folder / "model"),
                device=s.device,
                compute_type=s.compute_type,
                inter_threads=1,
                intra_threads=s.threads,
            )
        except (RuntimeError, ValueError, OSError) as e:
            detail = " ".join(str(e).split())
            raise L10nError(f"{folder / 'model'}: cannot load the translation model: {detail}") from e
        prefix = metadata.get("target_prefix") or ""
        return _Hop(pkg, translator, tokenizer, prefix, [prefix] if prefix else [])

    # --------------------------------------------------------- translating

    def translate(
        self, texts: list[str], progress: Callable[[int], None] | None = None
    ) -> list[Suggestion]:
        """Translate each text (one sentence each); results are in input order.

        Identical texts are translated once. Texts are sorted by token length
        and translated in chunks of ``batch_size``; after each chunk (all hops
        done) ``progress`` gets the number of input texts finished so far,
        duplicates counted, ending at ``len(texts)``.
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

        def run(chunk: list[int]) -> list[tuple[str, float]]:
            out = self._run_hop(0, first, [encoded[k] for k in chunk])
            for h in range(1, len(hops)):  # pivot: the next hop translates this output
                following = self._run_texts(h, hops[h], [text for text, _ in out])
                out = [(text, c1 * c2) for (_, c1), (text, c2) in zip(out, following)]
            return out

        # One chunk is translated ahead in a worker thread (CTranslate2
        # releases the GIL), so the model keeps working while the caller
        # handles the chunk just finished: restoring, saving, progress.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="l10n-engine")
        try:
            ahead: deque[Future] = deque(pool.submit(run, c) for c in chunks[:2])
            following = 2
            for chunk in chunks:
                out = ahead.popleft().result()
                if following < len(chunks):
                    ahead.append(pool.submit(run, chunks[following]))
                    following += 1
                finished: list[int] = []
                suggestions: list[Suggestion] = []
                for k, (text, conf) in zip(chunk, out):
                    suggestion = Suggestion(text, conf)
                    for i in positions[todo[k]]:
                        finished.append(i)
                        suggestions.append(suggestion)
                yield finished, suggestions
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _encode(self, hop: _Hop, text: str) -> list[str]:
        return list(hop.tokenizer.encode(text))

    def _run_texts(self, index: int, hop: _Hop, texts: list[str]) -> list[tuple[str, float]]:
        """Translate plain texts (a later hop's input), each distinct one once."""
        distinct = list(dict.fromkeys(t for t in texts if t.strip()))
        translated = dict(zip(distinct, self._run_hop(index, hop, [self._encode(hop, t) for t in distinct])))
        return [translated.get(t, (t, 1.0)) for t in texts]

    def _run_hop(self, index: int, hop: _Hop, batch: list[list[str]]) -> list[tuple[str, float]]:
        """One translate_batch call; returns (text, confidence) per input."""
        if not batch:
            return []
        self.sentences_translated[index] += len(batch)
        longest = max(len(t) for t in batch)
        prefix = [list(hop.prefix_tokens) for _ in batch] if hop.prefix_tokens else None
        try:
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
                max_decoding_length=max_decoding_length(longest) + len(hop.prefix_tokens),
            )
        except (RuntimeError, ValueError) as e:
            detail = " ".join(str(e).split())
            raise L10nError(f"{hop.package.path}: translation failed: {detail}") from e
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
            out.append((text.strip(), confidence))
        return out
