"""Build a tiny but real Argos Translate package for tests, in about a second.

The package holds a CTranslate2 transformer with small seeded random weights,
a SentencePiece model trained on the given corpus, and the ``metadata.json``
Argos reads, zipped with the one top-level folder real ``.argosmodel`` files
have::

    translate-de_en-1_0/
        metadata.json
        README.md
        sentencepiece.model
        model/config.json
        model/model.bin
        model/shared_vocabulary.json

Its translations are gibberish, but they go through the real loading,
tokenising and decoding code of ctranslate2 and sentencepiece. There is no
sentence-splitting model (``stanza/`` or ``minisbd/``) in it, which is what
makes ``argostranslate.translate`` reach for the network: a package built
here shows whether a caller avoids that path.

Everything is seeded, so the same arguments give a byte-identical file.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np

LANGUAGE_NAMES = {
    "de": "German",
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
}

# Dimensions of the tiny transformer.
D_MODEL = 32
FFN_DIM = 64
NUM_LAYERS = 2
NUM_HEADS = 2
VOCAB_SIZE = 300

# (model width, feed-forward width, layers, heads, quantization) by size: "base" has the shape of the
# Transformer-base models Argos packages hold (6 + 6 layers of width 512, int8 weights), for benchmarks.
SIZES = {"tiny": (D_MODEL, FFN_DIM, NUM_LAYERS, NUM_HEADS, None), "base": (512, 2048, 6, 8, "int8")}

# A fixed timestamp for every zip member, so the archive is reproducible.
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def package_folder_name(from_code: str, to_code: str, version: str) -> str:
    """The top-level folder inside the archive, as argospm names packages."""
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"


def build_argos_package(
    dest_dir: Path,
    from_code: str,
    to_code: str,
    corpus: list[str],
    version: str = "1.0",
    *,
    seed: int | None = None,
    target_prefix: str = "",
    max_positions: int | None = None,
    size: str = "tiny",
) -> Path:
    """Write ``<from>_<to>.argosmodel`` into ``dest_dir`` and return its path.

    ``corpus`` (a few dozen sentences or more) trains the SentencePiece model;
    the vocabulary holds at most ``VOCAB_SIZE`` pieces. ``seed`` defaults to
    one derived from the language pair, so two pairs get different weights.
    ``target_prefix``, when set, is added to the vocabulary and written to
    ``metadata.json`` the way multilingual Argos packages declare it.
    ``max_positions``, when set, stores sinusoidal position encodings for
    that many positions in the model, as models converted from OpenNMT-py
    have them: the model then accepts no longer input or output. Without it
    CTranslate2 computes the encodings for any length. ``size`` is a key
    of ``SIZES``: the tiny model the tests use, or one of a real model's
    shape, whose random weights are scaled so that its outputs are about as
    long as the tiny one's.
    """
    import sentencepiece as spm

    if not corpus:
        raise ValueError("the corpus is empty")
    if seed is None:
        seed = int.from_bytes(hashlib.sha256(f"{from_code}-{to_code}".encode()).digest()[:4], "little")
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)

    # SentencePiece: trained in memory, one thread, input in the given order.
    sp_bytes = io.BytesIO()
    user_symbols = [target_prefix] if target_prefix else []
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=sp_bytes,
        vocab_size=VOCAB_SIZE,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        shuffle_input_sentence=False,
        user_defined_symbols=user_symbols,
        minloglevel=2,
    )
    sp_model = sp_bytes.getvalue()
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # CTranslate2 looks these up by name; SentencePiece puts them at 0, 1, 2.
    assert vocabulary[:3] == ["<unk>", "<s>", "</s>"], vocabulary[:3]

    with tempfile.TemporaryDirectory(prefix="argos-build-") as work:
        root = Path(work) / package_folder_name(from_code, to_code, version)
        model_dir = root / "model"
        model_dir.mkdir(parents=True)
        _transformer_spec(vocabulary, seed, max_positions, SIZES[size]).save(str(model_dir))
        (root / "sentencepiece.model").write_bytes(sp_model)
        metadata = {
            "package_version": version,
            "argos_version": "1.9",
            "from_code": from_code,
            "from_name": LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": LANGUAGE_NAMES.get(to_code, to_code),
            "type": "translate",
            "links": [],
        }
        if target_prefix:
            metadata["target_prefix"] = target_prefix
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        (root / "README.md").write_text(
            f"Tiny test package {from_code}→{to_code} {version}: random weights, gibberish output.\n",
            encoding="utf-8",
        )
        out = dest_dir / f"{from_code}_{to_code}.argosmodel"
        _zip_folder(root, out)
        shutil.rmtree(root)
    return out


def _transformer_spec(vocabulary: list[str], seed: int, max_positions: int | None, shape: tuple):
    """A TransformerSpec of ``shape`` (see ``SIZES``) with every required weight set from a seeded RNG."""
    from ctranslate2.specs import common_spec, transformer_spec

    d, ff, layers, heads, quantization = shape
    spec = transformer_spec.TransformerSpec.from_config(layers, heads)
    rng = np.random.default_rng(seed)
    v = len(vocabulary)
    # Wider layers sum more products: weights shrink with the width, so activations stay as in the tiny model.
    widths = {d: (D_MODEL / d) ** 0.5, ff: (FFN_DIM / ff) ** 0.5}

    def rand(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def linear(layer: common_spec.LinearSpec, out_dim: int, in_dim: int) -> None:
        layer.weight = rand(out_dim, in_dim, scale=0.2 * widths[in_dim])
        layer.bias = rand(out_dim, scale=0.02)

    def norm(layer: common_spec.LayerNormSpec) -> None:
        layer.gamma = np.ones(d, dtype=np.float32)
        layer.beta = np.zeros(d, dtype=np.float32)

    def attention(att, self_attention: bool) -> None:
        norm(att.layer_norm)
        if self_attention:  # fused query/key/value, then output
            linear(att.linear[0], 3 * d, d)
            linear(att.linear[1], d, d)
        else:  # query, fused key/value, output
            linear(att.linear[0], d, d)
            linear(att.linear[1], 2 * d, d)
            linear(att.linear[2], d, d)

    def ffn(layer) -> None:
        norm(layer.layer_norm)
        linear(layer.linear_0, ff, d)
        linear(layer.linear_1, d, ff)

    spec.encoder.embeddings[0].weight = rand(v, d, scale=1.0)
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        attention(layer.self_attention, True)
        ffn(layer.ffn)

    spec.decoder.embeddings.weight = rand(v, d, scale=1.0)
    norm(spec.decoder.layer_norm)
    for layer in spec.decoder.layer:
        attention(layer.self_attention, True)
        attention(layer.attention, False)
        ffn(layer.ffn)
    projection = spec.decoder.projection
    projection.weight = rand(v, d, scale=0.5 * widths[d])
    bias = rand(v, scale=0.1)
    # Favour the end token a little so most outputs stop before the length cap.
    bias[vocabulary.index("</s>")] += 2.5
    projection.bias = bias

    if max_positions is not None:
        spec.encoder.position_encodings.encodings = _sinusoidal_encodings(max_positions, d)
        spec.decoder.position_encodings.encodings = _sinusoidal_encodings(max_positions, d)

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=quantization)
    return spec


def _sinusoidal_encodings(positions: int, depth: int) -> np.ndarray:
    """The position encodings CTranslate2 computes itself when a model has none, for ``positions`` positions."""
    increment = np.log(10000.0) / (depth // 2 - 1)
    scaled = (np.arange(positions)[:, None] + 1) * np.exp(-increment * np.arange(depth // 2))[None, :]
    return np.concatenate([np.sin(scaled), np.cos(scaled)], axis=1).astype(np.float32)


def _zip_folder(root: Path, out: Path) -> None:
    """Zip ``root`` (as the archive's top folder) with fixed dates and order."""
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        paths = sorted(root.rglob("*"))
        for path in [root, *paths]:
            name = path.relative_to(root.parent).as_posix()
            if path.is_dir():
                info = zipfile.ZipInfo(name + "/", date_time=_ZIP_DATE)
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    tmp.replace(out)
