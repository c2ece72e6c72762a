"""Batched machine translation with CTranslate2 and Argos packages.

This bypasses ``argostranslate.translate.translate()``: that one splits text
with a sentence model it downloads when a package lacks one, and translates
one text at a time. Our units are already sentences, so they are encoded
with the package's own tokenizer and sent to
``ctranslate2.Translator.translate_batch`` in batches; nothing here touches
the network.

A text longer than the model accepts (its position encodings end somewhere)
is cut into pieces (:mod:`l10n.mt.limits`),
and the pieces are translated and joined again. A batch CTranslate2 fails on
is tried again one text at a time; a text that still fails gets an empty
suggestion saying why, and the others go on.

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

from ..config import EngineConfig
from ..errors import L10nError
from .limits import MAX_INPUT_TOKENS, input_budget, max_decoding_length, position_limits, split_text
from .models import ModelPackage

# CTranslate2 divides a hypothesis's summed log-probability by its length to
# this power; 1.0 makes the score the mean log-probability per target token.
_LENGTH_PENALTY = 1.0

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


# What CTranslate2 allocates for a batch grows with its padded tokens (texts × the longest one's
# tokens; the encoder's attention with that × the longest again), and the threads' malloc arenas
# keep about the most they once held. So a chunk goes to CTranslate2 in batches of at most
# ``batch_size`` × this many padded tokens: texts of sentence length as one batch, a chunk of long
# paragraphs in several (batch_type "tokens"). At 12,000 generated articles, chunks of 32 texts of
# up to 400 tokens took `l10n translate` to a peak RSS of 263 MiB, against 168 MiB this way.
TOKENS_PER_TEXT = 64

# Chunks queued for each replica beyond the one it translates; a run killed
# loses at most these (the journal holds every chunk handed out before).
AHEAD_PER_REPLICA = 8

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
        self.device: str | None = None  # where the model runs: cpu or cuda, decided when it loads
        self.device_note = ""  # why device auto took the CPU
        # Inputs sent to the model, per hop (after deduplication; each piece of a long text counts).
        self.sentences_translated = [0] * len(self.route)

    @property
    def description(self) -> str:
        """For example ``argos de→en 1.9`` or ``argos de→en 1.9 + en→fr 1.9``."""
        return "argos " + " + ".join(f"{p.pair} {p.version}".rstrip() for p in self.route)

    # ------------------------------------------------------------- loading

    def load(self) -> None:
        """Load the models now (translating loads them when needed); L10nError if one cannot load."""
        self._load()

    def _load(self) -> list[_Hop]:
        if self._hops is None:
            self._hops = [self._load_hop(p) for p in self.route]
        return self._hops

    def _load_hop(self, pkg: ModelPackage) -> _Hop:
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
        translator, replicas = self._translator(folder / "model")
        prefix = metadata.get("target_prefix") or ""
        prefix_tokens = [prefix] if prefix else []
        encoder, decoder = position_limits(folder / "model")
        budget = input_budget(encoder, decoder, _source_extra(folder / "model"), len(prefix_tokens))
        return _Hop(pkg, translator, tokenizer, prefix, prefix_tokens, budget, decoder, replicas)

    def _translator(self, model: Path) -> tuple[object, int]:
        """(translator, replicas) for ``model`` where ``engine.device`` says.

        ``auto`` takes the GPU only when a token really translates there,
        else the CPU, and :attr:`device` and :attr:`device_note` say which and why.
        """
        from . import cuda

        wanted = self.settings.device
        if self.device is None and wanted != "cpu":
            problem = "" if cuda.cuda_devices() else "no CUDA device"
            if not problem:
                translator, replicas = self._open(model, "cuda")
                problem = cuda.trial(translator)
                if not problem:
                    self.device = "cuda"
                    return translator, replicas
                problem = f"the GPU failed ({problem}); `{cuda.GPU_EXTRA}` installs the CUDA libraries it needs"
            if wanted == "cuda":
                raise L10nError(f"l10n.yaml: engine.device is cuda, but CTranslate2 cannot translate on a GPU here: "
                                f"{problem}")
            self.device_note = problem
        self.device = self.device or "cpu"
        return self._open(model, self.device)

    def _open(self, model: Path, device: str) -> tuple[object, int]:
        import ctranslate2

        s = self.settings
        replicas, threads = split_cores(s, _model_bytes(model), device == "cpu")
        try:
            translator = ctranslate2.Translator(str(model), device=device, compute_type=s.compute_type,
                                                inter_threads=replicas, intra_threads=threads)
        except (RuntimeError, ValueError, OSError) as e:
            detail = " ".join(str(e).split())
            raise L10nError(f"{model}: cannot load the translation model: {detail}") from e
        return translator, replicas

    @property
    def where(self) -> str:
        """Where the model runs, once loaded: ``cpu``, ``cuda``, or for device auto ``cpu: no CUDA device``."""
        return f"{self.device}: {self.device_note}" if self.device_note else (self.device or "")

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
        encoded = self._encode_all(first, todo)
        order = sorted(range(len(todo)), key=lambda k: len(encoded[k]))
        size = self.settings.batch_size
        chunks = [order[start : start + size] for start in range(0, len(order), size)]

        def run(chunk: list[int]) -> list[_Out]:
            out = self._run_texts(0, first, [todo[k] for k in chunk], {todo[k]: encoded[k] for k in chunk})
            for h in range(1, len(hops)):  # pivot: the next hop translates this output
                following = self._run_texts(h, hops[h], [text for text, _, _ in out])
                out = [(text, c1 * c2, p1 or p2) for (_, c1, p1), (text, c2, p2) in zip(out, following)]
            return out

        # Each replica gets chunks from a worker thread of its own
        # (CTranslate2 releases the GIL), and more chunks wait, so every
        # replica keeps working while the caller handles the chunk just
        # finished: restoring, progress, and saving catalogs, which takes a
        # second or two on a large project.
        replicas = min(hop.replicas for hop in hops)
        pool = ThreadPoolExecutor(max_workers=replicas, thread_name_prefix="l10n-engine")
        try:
            depth = replicas * AHEAD_PER_REPLICA
            ahead: deque[Future] = deque(pool.submit(run, c) for c in chunks[:depth])
            following = depth
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

    def _encode_all(self, hop: _Hop, texts: list[str]) -> list[list[str]]:
        """The tokens of each text: a SentencePiece model encodes them in one call.

        One call, because each call lets go of the GIL and must wait to get it
        back while another thread runs Python: thousands of single calls
        would wait that long thousands of times. One thread, to leave the
        cores to the replicas.
        """
        from argostranslate.tokenizer import SentencePieceTokenizer

        if isinstance(hop.tokenizer, SentencePieceTokenizer):
            return hop.tokenizer.lazy_processor().encode(texts, out_type=str, num_threads=1)
        return [self._encode(hop, t) for t in texts]

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
            max_batch_size=self.settings.batch_size * TOKENS_PER_TEXT,
            batch_type="tokens",
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
