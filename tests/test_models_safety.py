"""Installing untrusted .argosmodel files, and texts longer than a model accepts, on tiny real packages.

Every archive here is a real package built by ``tests/argos_builder.py``,
repacked with one thing wrong; every translation goes through the real
ctranslate2 and sentencepiece (see ``tests/test_models_engine.py``).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from argos_builder import build_argos_package, package_folder_name
from l10n.mt import archive, models
from l10n.config import EngineConfig as EngineSettings
from l10n.mt.engine import Engine, Suggestion
from l10n.mt.limits import MAX_INPUT_TOKENS, input_budget, max_decoding_length, position_limits, split_text
from l10n.errors import L10nError

TOP = package_folder_name("de", "en", "1.0")
POSITIONS = 256  # of the position-limited package below


@pytest.fixture(scope="session")
def limited(argos_models, tmp_path_factory):
    """A de→en package whose model has position encodings for ``POSITIONS`` positions only."""
    return build_argos_package(tmp_path_factory.mktemp("limited"), "de", "en", argos_models.corpus,
                               max_positions=POSITIONS)


def _one_line(excinfo) -> str:
    message = str(excinfo.value)
    assert message and "\n" not in message
    return message


def _repack(source: Path, dest: Path, *, metadata: dict | None = None, top: str | None = None,
            extra: tuple[tuple[str, bytes], ...] = ()) -> Path:
    """Copy an .argosmodel, changing metadata.json keys, renaming its folder, adding members (deflated)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            name = info.filename
            if name == f"{TOP}/metadata.json" and metadata:
                data = json.dumps({**json.loads(data), **metadata}).encode()
            if top is not None:
                name = top + name[len(TOP):]
            out.writestr(name, data)
        for name, data in extra:
            out.writestr(name, data)
    return dest


def _staging_leftovers(argos_env) -> list[str]:
    return sorted(p.name for p in argos_env.packages_dir.parent.iterdir() if p.name.startswith(".l10n-"))


def _installed(argos_env) -> list[tuple[str, str]]:
    return [(p.from_code, p.to_code) for p in models.installed()]


# ------------------------------------------------------------------ zip bombs


def test_a_member_that_compresses_like_a_zip_bomb_is_refused_before_anything_is_written(argos_env, tmp_path):
    zeros = 3 * 1024 * 1024  # 3 MB of zeros deflate to about 3 KB: 1000:1
    bomb = _repack(argos_env.models.de_en, tmp_path / "bomb.argosmodel", extra=((f"{TOP}/padding.bin", bytes(zeros)),))
    assert bomb.stat().st_size < argos_env.models.de_en.stat().st_size + 10_000
    staging_parent = argos_env.packages_dir.parent.stat().st_mtime_ns
    with pytest.raises(L10nError) as excinfo:
        models.install_file(bomb)
    message = _one_line(excinfo)
    assert str(bomb) in message and "padding.bin" in message and f"{archive.MAX_COMPRESSION_RATIO}:1" in message
    assert _installed(argos_env) == [] and not any(argos_env.packages_dir.iterdir())
    # Refused before a staging folder was made: the folder it would go in did not change at all.
    assert argos_env.packages_dir.parent.stat().st_mtime_ns == staging_parent
    assert _staging_leftovers(argos_env) == []


def test_many_small_members_that_compress_like_a_zip_bomb_are_refused(argos_env, tmp_path, monkeypatch):
    # Each member stays below RATIO_FREE_BYTES, so only the whole archive's ratio can tell; with the
    # real ratio of 200:1 that would take some 80 MB of zeros beside the package's 400 KB.
    monkeypatch.setattr(archive, "MAX_COMPRESSION_RATIO", 5)
    parts = tuple((f"{TOP}/part{i}.bin", bytes(900_000)) for i in range(4))
    bomb = _repack(argos_env.models.de_en, tmp_path / "bombs.argosmodel", extra=parts)
    with pytest.raises(L10nError) as excinfo:
        models.install_file(bomb)
    message = _one_line(excinfo)
    assert str(bomb) in message and "the archive" in message and "zip bomb" in message
    assert not any(argos_env.packages_dir.iterdir())


def test_an_archive_that_unpacks_to_more_than_the_limit_is_refused(argos_env, monkeypatch):
    unpacked = sum(i.file_size for i in zipfile.ZipFile(argos_env.models.de_en).infolist())
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", unpacked - 1)  # the real limit is 4 GB
    with pytest.raises(L10nError) as excinfo:
        models.install_file(argos_env.models.de_en)
    message = _one_line(excinfo)
    assert str(argos_env.models.de_en) in message and "more than the limit" in message
    assert not any(argos_env.packages_dir.iterdir()) and _staging_leftovers(argos_env) == []
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", unpacked)
    assert models.install_file(argos_env.models.de_en).from_code == "de"  # exactly at the limit is fine


def test_a_member_that_hides_its_size_gives_no_more_than_it_declares(argos_env, tmp_path):
    """The declared sizes pass the checks; the data behind them is 3 MB: unpacking stops, nothing is installed."""
    name = f"{TOP}/hidden.bin"
    bomb = _repack(argos_env.models.de_en, tmp_path / "hidden.argosmodel", extra=((name, bytes(3 * 1024 * 1024)),))
    data = bytearray(bomb.read_bytes())
    local = zipfile.ZipFile(bomb).getinfo(name).header_offset
    struct.pack_into("<I", data, local + 22, 1000)  # uncompressed size in the local header
    struct.pack_into("<I", data, _central_entry(data, name) + 24, 1000)  # and in the central directory
    bomb.write_bytes(bytes(data))
    assert zipfile.ZipFile(bomb).getinfo(name).file_size == 1000
    with pytest.raises(L10nError) as excinfo:
        models.install_file(bomb)
    message = _one_line(excinfo)
    assert str(bomb) in message and "cannot install" in message
    assert not any(argos_env.packages_dir.iterdir()) and _staging_leftovers(argos_env) == []


def _central_entry(data: bytes, name: str) -> int:
    """The offset of ``name``'s central directory header."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} is not in the central directory")


# ------------------------------------------------------------------ metadata


@pytest.mark.parametrize(
    "metadata, top, bad",
    [
        ({"from_code": "../../x"}, None, "from_code"),
        ({"to_code": "en/../fr"}, None, "to_code"),
        ({"to_code": "e.n"}, None, "to_code"),
        ({"from_code": "d"}, None, "from_code"),
        ({"package_version": "../1"}, None, "package_version"),
        ({"package_version": "1/0"}, None, "package_version"),
        ({"package_version": 1.0}, None, "package_version"),
        (None, ".translate-de_en", "package folder"),
        (None, "translate de_en", "package folder"),
    ],
)
def test_metadata_and_folder_names_must_be_plain(argos_env, tmp_path, metadata, top, bad):
    models.install_file(argos_env.models.en_fr)
    before = sorted(p.name for p in argos_env.packages_dir.iterdir())
    archive = _repack(argos_env.models.de_en, tmp_path / "bad.argosmodel", metadata=metadata, top=top)
    with pytest.raises(L10nError) as excinfo:
        models.install_file(archive)
    message = _one_line(excinfo)
    assert str(archive) in message and bad in message
    assert sorted(p.name for p in argos_env.packages_dir.iterdir()) == before
    assert _installed(argos_env) == [("en", "fr")]


def test_plain_codes_with_a_region_or_script_are_accepted(argos_env, tmp_path):
    archive = _repack(argos_env.models.de_en, tmp_path / "pt.argosmodel",
                      metadata={"from_code": "pt_BR", "to_code": "zh_Hant", "package_version": "1.0.2a1"})
    pkg = models.install_file(archive)
    assert (pkg.from_code, pkg.to_code, pkg.version) == ("pt_BR", "zh_Hant", "1.0.2a1")


def test_a_package_never_replaces_a_package_of_another_pair(argos_env, tmp_path):
    models.install_file(argos_env.models.de_en)
    impostor = _repack(argos_env.models.de_en, tmp_path / "de_fr.argosmodel", metadata={"to_code": "fr"})
    with pytest.raises(L10nError) as excinfo:
        models.install_file(impostor)  # its folder is named like the de→en package's
    message = _one_line(excinfo)
    assert str(impostor) in message and "de→en" in message and "de→fr" in message
    assert _installed(argos_env) == [("de", "en")]
    assert Engine(models.route("de", "en")).translate(["Was macht DeepSeek anders?"])[0].text


# ------------------------------------------------------------------- staging


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_install_removes_stale_staging_folders_of_its_own_only(argos_env):
    parent = argos_env.packages_dir.parent
    dead = _dead_pid()
    stale = parent / f"{models.STAGING_PREFIX}{dead}-k3x9_a"  # as a killed install leaves it
    (stale / TOP / "model").mkdir(parents=True)
    (stale / TOP / "model" / "model.bin").write_bytes(bytes(1000))
    running = subprocess.Popen(["sleep", "60"])
    try:
        keep = [
            parent / f"{models.STAGING_PREFIX}{running.pid}-live01",  # another process's install, running
            parent / f"{models.STAGING_PREFIX}{os.getpid()}-live02",  # this process's
            parent / f"{models.STAGING_PREFIX}{dead}",  # not our naming: no random part
            parent / f"l10n-staging-{dead}-abc",  # not our naming: no dot
            parent / ".l10n-installing-abc",  # the old naming: no pid to tell
        ]
        for folder in keep:
            folder.mkdir()
        not_a_folder = parent / f"{models.STAGING_PREFIX}{dead}-file01"
        not_a_folder.write_text("x")

        models.install_file(argos_env.models.de_en)
        assert not stale.exists()
        assert all(folder.is_dir() for folder in keep) and not_a_folder.is_file()
        assert _installed(argos_env) == [("de", "en")]
    finally:
        running.kill()
        running.wait()


def test_staging_folders_are_named_with_the_process_id(argos_env):
    staging = models._staging_folder(argos_env.packages_dir)
    try:
        assert staging.parent == argos_env.packages_dir.parent  # beside the packages, not among them
        assert staging.name.startswith(f"{models.STAGING_PREFIX}{os.getpid()}-")
        assert models._STAGING_NAME.match(staging.name)
    finally:
        staging.rmdir()


# -------------------------------------------------------------------- engine


def _long_text(corpus: list[str], chars: int = 1200) -> str:
    text = ""
    for sentence in corpus:
        if len(text) >= chars:
            break
        text += (" " if text else "") + sentence
    return text


def test_position_limits_are_read_from_the_model(argos_env, limited, tmp_path):
    models.install_file(argos_env.models.de_en)
    (plain,) = models.route("de", "en")
    assert position_limits(plain.path / "model") == (None, None)  # computed for any length
    pkg = models.install_file(limited)
    assert position_limits(pkg.path / "model") == (POSITIONS, POSITIONS)
    assert position_limits(tmp_path) == (None, None)  # no model.bin: ctranslate2 will say so
    budget = input_budget(POSITIONS, POSITIONS, prefix_length=1)
    assert 1 + max_decoding_length(budget) <= POSITIONS and budget <= POSITIONS
    assert input_budget(None, None) == MAX_INPUT_TOKENS


def test_split_text_cuts_at_the_coarsest_boundary_that_fits():
    text = "Eins zwei drei. Vier, fünf; sechs: sieben acht neun zehn elf."
    assert split_text(text, lambda s: len(s) <= 80) == [text]
    assert split_text(text, lambda s: len(s.strip()) <= 16) == [
        "Eins zwei drei. ", "Vier, fünf; ", "sechs: ", "sieben acht neun ", "zehn elf."]
    assert "".join(split_text(text, lambda s: len(s.strip()) <= 3)) == text
    assert all(len(p.strip()) <= 3 for p in split_text(text, lambda s: len(s.strip()) <= 3))


def test_a_unit_longer_than_the_model_accepts_is_translated_in_pieces(argos_env, limited):
    pkg = models.install_file(limited)
    text = _long_text(argos_env.models.corpus)
    engine = Engine([pkg], EngineSettings(beam_size=1))
    hop = engine._load()[0]
    assert len(text) >= 1000 and len(engine._encode(hop, text)) > POSITIONS  # more than the model has positions for
    (result,) = engine.translate([text])
    assert result.text.strip() and result.problem == "" and 0.0 < result.confidence <= 1.0

    # The same as translating its pieces one by one and joining them; the confidence is their lowest.
    pieces = split_text(text, lambda s: len(engine._encode(hop, s.strip())) <= hop.max_input_tokens)
    assert len(pieces) > 1 and "".join(pieces) == text
    alone = [Engine([pkg], EngineSettings(beam_size=1)).translate([p.strip()])[0] for p in pieces]
    assert result.text == " ".join(r.text for r in alone)
    assert result.confidence == pytest.approx(min(r.confidence for r in alone), rel=1e-4)
    assert engine.sentences_translated == [len(pieces)]


def test_a_unit_beyond_what_ctranslate2_reads_is_translated_in_pieces_not_cut(argos_env):
    """A model without a position limit: translate_batch would silently drop all after 1024 tokens."""
    pkg = models.install_file(argos_env.models.de_en)
    engine = Engine([pkg], EngineSettings(beam_size=1))
    text = _long_text(argos_env.models.corpus, chars=3500)
    assert len(engine._encode(engine._load()[0], text)) > MAX_INPUT_TOKENS
    (result,) = engine.translate([text])
    assert result.text.strip() and result.problem == "" and 0.0 < result.confidence <= 1.0
    assert engine.sentences_translated[0] >= 2


def test_a_batch_with_a_long_unit_gives_every_unit_a_result(argos_env, limited):
    pkg = models.install_file(limited)
    corpus = argos_env.models.corpus
    texts = corpus[3:9] + [_long_text(corpus[10:])] + corpus[20:23]
    results = Engine([pkg], EngineSettings(batch_size=4)).translate(texts)
    assert len(results) == len(texts)
    assert all(r.text.strip() and r.problem == "" and 0.0 < r.confidence <= 1.0 for r in results)


def test_a_text_the_model_fails_on_spoils_only_itself(argos_env, limited):
    """CTranslate2's own error for one input of a batch: that input gets an empty suggestion with the reason."""
    pkg = models.install_file(limited)
    corpus = argos_env.models.corpus
    engine = Engine([pkg], EngineSettings(batch_size=8))
    engine._load()[0].max_input_tokens = 10 * POSITIONS  # as if the limit were unknown: nothing is split
    long = _long_text(corpus[10:])
    texts = corpus[3:6] + [long] + corpus[20:23]
    results = engine.translate(texts)
    failed = results[texts.index(long)]
    assert failed == Suggestion("", 0.0, failed.problem)
    assert failed.problem.startswith("translation failed: ") and "position" in failed.problem
    assert "\n" not in failed.problem
    others = [r for t, r in zip(texts, results) if t != long]
    assert all(r.text.strip() and r.problem == "" and r.confidence > 0 for r in others)
    assert Suggestion("x", 0.5) == Suggestion("x", 0.5, "")  # the positional constructor still works
