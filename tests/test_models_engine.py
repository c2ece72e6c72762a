"""Argos packages and the batched engine, on tiny real packages (no mocks).

The packages are built by ``tests/argos_builder.py``: real CTranslate2 models
with random weights and real SentencePiece models, so every call below goes
through argostranslate, ctranslate2 and sentencepiece as in production; only
the translations are gibberish.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import math
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from argos_builder import build_argos_package, package_folder_name
from conftest import point_argos
from l10n.mt import models
from l10n.config import EngineConfig as EngineSettings
from l10n.mt.engine import Engine, Suggestion
from l10n.errors import L10nError

REPO = Path(__file__).resolve().parent.parent

# German sentences from the sample article; they train the SentencePiece
# models and serve as input.
CORPUS = [
    "Was bedeutet Open-Source-KI und warum ist DeepSeek anders?",
    "DeepSeek hat die KI-Branche aufgemischt und ChatGPT überholt, um die am häufigsten "
    "heruntergeladene kostenlose App im US-amerikanischen Apple App Store zu werden.",
    "Das entscheidende Unterscheidungsmerkmal von DeepSeek besteht darin, dass die chinesische "
    "App Open Source ist, d. h. jeder kann sie kopieren, herunterladen und weiterentwickeln.",
    "Die Initiative „AI for Industry Transformation“ des Weltwirtschaftsforums untersucht die "
    "Herausforderungen und Chancen KI-gestützter Innovationen.",
    "Hat die künstliche Intelligenz ihren eigenen „Sputnik-Moment“ erreicht?",
    "Mit anderen Worten: Hat das chinesische Unternehmen DeepSeek eine günstigere, "
    "energieeffizientere und benutzerfreundlichere Methode zur Entwicklung von KI-Modellen geschaffen?",
    "Das ist zumindest die Meinung von Marc Andreessen, einem bekannten Risikokapitalgeber im "
    "Technologiebereich.",
    "Er lobte DeepSeek als „einen der erstaunlichsten und beeindruckendsten Durchbrüche, die ich "
    "je gesehen habe, und als Open-Source-Technologie ist es ein großartiges Geschenk an die Welt.“",
    "Aber was ist Open-Source-KI?",
    "Warum ist dies ein wichtiger Durchbruch?",
    "Was macht DeepSeek anders?",
    "DeepSeek hat die Tech-Welt auf den Kopf gestellt.",
    "Die Financial Times verglich ihren Gründer Liang Wenfeng mit „David“, der „Goliath“, einen "
    "großen amerikanischen Technologiegiganten, herausforderte.",
    "DeepSeek hat seinen Hauptsitz in Hangzhou und wird vom chinesischen Hedgefonds-Unternehmen "
    "High Flyer finanziert.",
    "Es wurde erst im Jahr 2023 gegründet.",
    "Sein Flaggschiffmodell DeepSeek-R1, das im Januar 2025 auf den Markt kam, hat Denk- und "
    "Mathematikfähigkeiten bewiesen, die mit denen anderer führender KI-Modelle vergleichbar sind.",
    "Der Entwicklungsprozess unterscheidet sich jedoch in einigen wesentlichen Punkten von anderen "
    "KI-Modellen.",
    "Der Code und die umfassende technische Beschreibung werden kostenlos weitergegeben und können "
    "von Entwicklern und Organisationen auf der ganzen Welt abgerufen, geändert und eingesetzt werden.",
    "Die USA bleiben die wichtigste Quelle für KI-Modelle.",
    "Geringere Kosten, höhere Energieeffizienz",
    "Ein weiterer wichtiger Unterschied zwischen DeepSeek und anderen KI-Modellen sind die "
    "Einrichtungskosten.",
    "Daten zeigen, dass die Baukosten 5,6 Millionen US-Dollar betrugen, was nur 10 % der Kosten "
    "des Llama-Modells von Meta entspricht.",
    "Dies wirft die Frage auf, ob der enorme Finanzierungsbedarf des KI-Marktes, insbesondere in "
    "den USA, wirklich so notwendig ist wie zunächst angenommen.",
    "Infolgedessen fiel der Aktienkurs von Nvidia, einem Entwickler von Halbleitertechnologie für "
    "künstliche Intelligenz, Ende Januar stark.",
    "Der Ansatz von DeepSeek könnte einen nachhaltigeren Weg zur Skalierung künstlicher "
    "Intelligenz bieten.",
    "Die Vereinigten Staaten haben mehr in künstliche Intelligenz investiert als die Europäische "
    "Union und China.",
    "Wie verändert Open-Source-KI den Markt?",
    "Andere argumentieren, dass Open-Source-Modelle möglicherweise vertrauenswürdiger seien, weil "
    "Benutzer die Trainingsdaten abfragen könnten.",
    "Tatsächlich wurden gegen viele führende Models rechtliche Schritte gegen ihre Unternehmen "
    "eingeleitet, weil ihre Trainingsdaten nicht transparent waren.",
    "Allerdings wurde DeepSeek auch wegen Zensurproblemen in seinen Antworten und Trainingsdaten "
    "kritisiert.",
    "Auch die Regierungen einiger Länder haben die Nutzung von DeepSeek aus Datenschutzgründen verboten.",
    "Die Zahl der KI-bezogenen Vorschriften in den Vereinigten Staaten steigt rasant.",
    "Doch auf jeden Fall hat das Aufkommen von DeepSeek die Branche der künstlichen Intelligenz "
    "dazu gebracht, die Frage der Wettbewerbsfähigkeit zu überdenken.",
    "Während das Open-Source-Framework von DeepSeek Inklusivität und Transparenz fördert, wirft es "
    "auch wichtige Fragen zu Datenschutz, geopolitischen Dynamiken und Sicherheit auf.",
    "Viele Menschen gehen im Herbst gerne wandern.",
    "Welche Übungen können Bauchfett reduzieren?",
]



# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def argos(tmp_path_factory):
    """Point Argos at temporary folders and build the tiny packages once.

    See :func:`conftest.point_argos`: nothing here touches the user's home
    or the network.
    """
    root = tmp_path_factory.mktemp("argos")
    mp = pytest.MonkeyPatch()
    packages_dir = point_argos(mp, root)

    build = root / "built"
    de_en = build_argos_package(build, "de", "en", CORPUS)
    en_fr = build_argos_package(build, "en", "fr", CORPUS)
    models.install_file(de_en)
    models.install_file(en_fr)
    yield SimpleNamespace(root=root, packages_dir=packages_dir, de_en=de_en, en_fr=en_fr, build=build)
    mp.undo()


def _installed_names(argos) -> set[str]:
    return {p.name for p in argos.packages_dir.iterdir()}


def _one_line_error(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message and message
    return message


# ------------------------------------------------------------------- imports


def test_importing_models_and_engine_loads_no_heavy_module():
    code = "import l10n.mt.engine, l10n.mt.models"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert "l10n" in imported
    assert not imported & {"ctranslate2", "torch", "stanza", "argostranslate", "sentencepiece", "spacy"}


# ------------------------------------------------------------------- builder


def test_builder_is_deterministic_and_has_the_argos_layout(argos, tmp_path):
    again = build_argos_package(tmp_path, "de", "en", CORPUS)
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(argos.de_en.read_bytes()).digest()
    top = package_folder_name("de", "en", "1.0")
    with zipfile.ZipFile(again) as zf:
        names = set(zf.namelist())
        metadata = json.loads(zf.read(f"{top}/metadata.json"))
    for member in ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json",
                   "model/shared_vocabulary.json"):
        assert f"{top}/{member}" in names
    assert not any("/stanza/" in n or "/minisbd/" in n for n in names)  # no sentence model
    assert metadata["from_code"] == "de" and metadata["to_code"] == "en"
    assert metadata["package_version"] == "1.0"


# --------------------------------------------------------------------- install


def test_install_file_lists_the_package(argos):
    digest = hashlib.sha256(argos.de_en.read_bytes()).hexdigest()
    pkg = models.install_file(argos.de_en, sha256=digest.upper())
    assert (pkg.from_code, pkg.to_code, pkg.version) == ("de", "en", "1.0")
    assert pkg.path == argos.packages_dir / package_folder_name("de", "en", "1.0")
    assert (pkg.path / "model" / "model.bin").is_file()
    pairs = [(p.from_code, p.to_code) for p in models.installed()]
    assert pairs.count(("de", "en")) == 1  # reinstalling replaced, not duplicated
    listed = {(p.from_code, p.to_code): p for p in models.installed()}
    assert listed[("de", "en")].size == sum(f.stat().st_size for f in pkg.path.rglob("*") if f.is_file())
    assert listed[("en", "fr")].size > 10_000


def test_install_file_replaces_another_version_of_the_pair(argos, tmp_path):
    newer = build_argos_package(tmp_path, "de", "en", CORPUS, version="1.1")
    try:
        pkg = models.install_file(newer)
        assert pkg.version == "1.1"
        assert [p.version for p in models.installed() if p.from_code == "de" and p.to_code == "en"] == ["1.1"]
    finally:
        models.install_file(argos.de_en)
    assert package_folder_name("de", "en", "1.1") not in _installed_names(argos)


def test_checksum_mismatch_is_refused(argos):
    before = _installed_names(argos)
    with pytest.raises(L10nError) as excinfo:
        models.install_file(argos.en_fr, sha256="0" * 64)
    message = _one_line_error(excinfo)
    assert str(argos.en_fr) in message and "checksum mismatch" in message
    assert _installed_names(argos) == before


def _rewrite(source: Path, dest: Path, drop=(), extra=()) -> Path:
    """Copy an .argosmodel, leaving out members ending in ``drop``, adding ``extra``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w") as out:
        for info in src.infolist():
            if not any(info.filename.endswith(d) or f"/{d}" in info.filename for d in drop):
                out.writestr(info, src.read(info))
        for info, data in extra:
            out.writestr(info, data)
    return dest


def _symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


@pytest.mark.parametrize(
    "case, reason",
    [
        ("traversal", "leaves the package folder"),
        ("absolute", "absolute path"),
        ("symlink", "symbolic link"),
        ("backslash", "backslash in path"),
        ("root_file", "outside the package folder"),
        ("no_metadata", "no metadata.json"),
        ("no_model", "no model/ folder"),
        ("not_zip", "not a zip archive"),
    ],
)
def test_unsafe_or_incomplete_archives_are_refused(argos, tmp_path, case, reason):
    top = package_folder_name("de", "en", "1.0")
    bad = tmp_path / f"{case}.argosmodel"
    if case == "traversal":
        _rewrite(argos.de_en, bad, extra=[(f"{top}/../../evil.txt", b"x")])
    elif case == "absolute":
        _rewrite(argos.de_en, bad, extra=[(zipfile.ZipInfo("/evil.txt"), b"x")])
    elif case == "symlink":
        _rewrite(argos.de_en, bad, extra=[(_symlink_member(f"{top}/link"), b"../../outside")])
    elif case == "backslash":
        _rewrite(argos.de_en, bad, extra=[(f"{top}\\..\\..\\evil.txt", b"x")])
    elif case == "root_file":
        _rewrite(argos.de_en, bad, extra=[("evil.txt", b"x")])
    elif case == "no_metadata":
        _rewrite(argos.de_en, bad, drop=["metadata.json"])
    elif case == "no_model":
        _rewrite(argos.de_en, bad, drop=["model/"])
    else:
        bad.write_text("not an archive\n")
    before = _installed_names(argos)
    with pytest.raises(L10nError) as excinfo:
        models.install_file(bad)
    message = _one_line_error(excinfo)
    assert str(bad) in message and reason in message
    assert _installed_names(argos) == before
    assert not list(argos.root.rglob("evil.txt"))


# ----------------------------------------------------------------------- route


def test_route_direct_and_pivot(argos):
    assert [(p.from_code, p.to_code) for p in models.route("de", "en")] == [("de", "en")]
    assert [(p.from_code, p.to_code) for p in models.route("de", "fr")] == [("de", "en"), ("en", "fr")]


def test_route_names_the_missing_pairs_and_the_command(argos):
    with pytest.raises(L10nError) as excinfo:
        models.route("de", "es")
    message = _one_line_error(excinfo)
    assert "de→es" in message and "en→es" in message and "`l10n models install en es`" in message
    assert "install de en" not in message  # that half is installed

    with pytest.raises(L10nError) as excinfo:
        models.route("fr", "de")
    message = _one_line_error(excinfo)
    assert "`l10n models install fr en`" in message and "`l10n models install en de`" in message

    with pytest.raises(L10nError) as excinfo:
        models.route("en", "es")
    assert "`l10n models install en es`" in _one_line_error(excinfo)


# ---------------------------------------------------------------------- index


def test_index_offline_is_one_line(argos):
    for call in (models.available, functools.partial(models.install_from_index, "de", "es")):
        with pytest.raises(L10nError) as excinfo:
            call()
        message = _one_line_error(excinfo)
        assert message.startswith("cannot reach the Argos package index: ")
        assert "`l10n models install --file PATH`" in message


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_install_from_a_local_index_and_remove(argos, tmp_path, monkeypatch):
    from argostranslate import settings

    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    site = tmp_path / "site"
    build_argos_package(site, "nl", "en", CORPUS)
    with _serve(site) as base:
        index = [{
            "type": "translate", "code": "translate-nl_en", "package_version": "1.0", "argos_version": "1.9",
            "from_code": "nl", "from_name": "Dutch", "to_code": "en", "to_name": "English",
            "links": [base + "nl_en.argosmodel"],
        }]
        (site / "index.json").write_text(json.dumps(index))
        monkeypatch.setattr(settings, "remote_package_index", base + "index.json")
        assert [(p.from_code, p.to_code, p.version) for p in models.available()] == [("nl", "en", "1.0")]
        pkg = models.install_from_index("nl", "en")
        with pytest.raises(L10nError) as excinfo:
            models.install_from_index("nl", "fr")
        assert "no nl→fr package" in _one_line_error(excinfo)
    assert (pkg.from_code, pkg.to_code) == ("nl", "en")
    assert not list(Path(settings.downloads_dir).iterdir())  # the download was removed
    assert [p.pair for p in models.remove("nl", "en")] == ["nl→en"]
    assert ("nl", "en") not in {(p.from_code, p.to_code) for p in models.installed()}
    with pytest.raises(L10nError) as excinfo:
        models.remove("nl", "en")
    assert "no Argos model installed for nl→en" in _one_line_error(excinfo)


# --------------------------------------------------------------------- engine


_connections: list[tuple] | None = None


def _audit(event: str, args: tuple) -> None:
    if _connections is not None and event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _connections.append((event, args))


@contextlib.contextmanager
def _network_watch():
    """Record every socket connection or URL request made inside the block."""
    global _connections
    if not getattr(_network_watch, "installed", False):
        sys.addaudithook(_audit)
        _network_watch.installed = True
    _connections = []
    try:
        yield _connections
    finally:
        _connections = None


def test_engine_translates_in_order_once_per_distinct_text_offline(argos):
    texts = CORPUS[:12] + [CORPUS[3], "", CORPUS[0], "   "] + CORPUS[12:20]
    distinct = {t for t in texts if t.strip()}
    engine = Engine(models.route("de", "en"), EngineSettings(batch_size=5))
    assert engine.description == "argos de→en 1.0"
    calls: list[int] = []
    with _network_watch() as connections:
        results = engine.translate(texts, progress=calls.append)
    assert connections == []  # no sentence model was fetched, nothing at all
    assert len(results) == len(texts)
    assert all(isinstance(r, Suggestion) for r in results)
    assert results[texts.index("")] == Suggestion("", 1.0)
    assert results[texts.index("   ")].text == "   "
    for text, result in zip(texts, results):
        if text.strip():
            assert result.text.strip() and 0.0 < result.confidence <= 1.0
    assert results[12] == results[3] and results[14] == results[0]
    # each distinct text went to the model once, in chunks of 5
    assert engine.sentences_translated == [len(distinct)]
    assert len(calls) == math.ceil(len(distinct) / 5)
    assert calls == sorted(calls) and calls[-1] == len(texts)

    # order is restored: reversed input gives reversed output (same single batch)
    forward = Engine(engine.route, EngineSettings(batch_size=64)).translate(CORPUS[:20])
    backward = Engine(engine.route, EngineSettings(batch_size=64)).translate(CORPUS[:20][::-1])
    assert [r.text for r in backward[::-1]] == [r.text for r in forward]
    # The scores are not bit for bit the same: CTranslate2's float32 sums depend on how the batch is
    # ordered and padded and on the CPU's vector instructions (seen: 8th digit). A mean over at most
    # ~60 tokens of log-probabilities, each off by a few float32 ulps, stays within 1e-4 relative.
    for b, f in zip(backward[::-1], forward):
        assert b.confidence == pytest.approx(f.confidence, rel=1e-4)
    assert len({r.text for r in forward}) > 1


def test_pivot_is_two_hops_and_multiplies_confidence(argos):
    pivot = Engine(models.route("de", "fr"), EngineSettings(beam_size=1))
    assert pivot.description == "argos de→en 1.0 + en→fr 1.0"
    first = Engine(models.route("de", "en"), EngineSettings(beam_size=1))
    second = Engine(models.route("en", "fr"), EngineSettings(beam_size=1))
    with _network_watch() as connections:
        (result,) = pivot.translate([CORPUS[5]])
        (mid,) = first.translate([CORPUS[5]])
        (end,) = second.translate([mid.text])
    assert connections == []
    assert result.text == end.text
    assert result.confidence == pytest.approx(mid.confidence * end.confidence, rel=1e-5)
    assert 0.0 < result.confidence <= 1.0
    results = pivot.translate(CORPUS)
    assert len(results) == len(CORPUS) and all(0.0 < r.confidence <= 1.0 for r in results)
    assert pivot.sentences_translated[0] == len(set(CORPUS)) + 1


def test_target_prefix_is_forced_and_removed(argos, tmp_path):
    built = build_argos_package(tmp_path, "de", "it", CORPUS, target_prefix="__it__")
    pkg = models.install_file(built)
    try:
        results = Engine([pkg]).translate(CORPUS[:6])
        assert all(not r.text.startswith("__it__") and 0.0 < r.confidence <= 1.0 for r in results)
    finally:
        models.remove("de", "it")


def test_engine_reports_a_broken_model_in_one_line(argos, tmp_path):
    (pkg,) = models.route("de", "en")
    broken = tmp_path / "broken"
    shutil.copytree(pkg.path, broken)
    (broken / "model" / "model.bin").write_bytes(b"garbage")
    engine = Engine([models.ModelPackage("de", "en", "1.0", 0, broken)])
    with pytest.raises(L10nError) as excinfo:
        engine.translate(["Hallo Welt."])
    assert "cannot load the translation model" in _one_line_error(excinfo)
