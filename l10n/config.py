"""``l10n.yaml``: the project settings, loaded with a safe YAML loader and validated.

Every mistake is reported as one line naming the key path and what was
expected, e.g. ``l10n.yaml: skip[1].scope: expected one of line, block, rest``;
a key given twice in one mapping is refused with both lines.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any

from .engine_settings import EngineConfig, parse_engine  # the engine section (EngineConfig is imported from here too)
from .errors import L10nError
from .fsutil import STATE_DIR
from .languages import normalize_language
from .yamlfile import load_yaml

CONFIG_NAME = "l10n.yaml"

SCOPES = ("line", "block", "rest")
PUBLISH_ACTIONS = ("keep", "drop")
SEGMENTATIONS = ("sentence", "paragraph")
# What a published file must not end in: catalogs, templates, settings (l10n.yaml).
PROTECTED_SUFFIXES = (".po", ".pot", ".yaml", ".yml")


def machine_cores() -> int:
    """The CPU cores this process may run on (its affinity where the system tells it, else all)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def check_threads(engine: EngineConfig) -> None:
    """Refuse more engine threads than this machine has cores (libgomp complains, and far more crash CTranslate2).

    Checked where the engine runs, not when the settings load: a project's
    settings are shared by machines of every size, and ``status`` on a
    laptop must not fail over the translation server's thread count. With
    ``backend: ray`` the models run on the cluster's machines instead.
    """
    if engine.backend == "ray":
        return
    cores = machine_cores()
    for key, value in (("threads", engine.threads), ("replicas", engine.replicas)):
        if value > cores:
            raise L10nError(f"{CONFIG_NAME}: engine.{key}: expected 0 (all cores) or 1 to {cores}, the cores of "
                            f"this machine, got {value}")


@dataclass(frozen=True)
class SkipRule:
    """Lines matching ``pattern`` are not translated.

    ``scope`` says how much is skipped from a matching line: the ``line``, its
    ``block`` (up to the next blank line) or the ``rest`` of the article;
    ``publish`` keeps the skipped text verbatim or drops it from published output.
    """

    pattern: re.Pattern[str]
    scope: str = "line"
    publish: str = "keep"


@dataclass(frozen=True)
class MemoryConfig:
    """Settings for the translation memory (``l10n translate``).

    ``fuzzy_threshold`` (percent, 50–100): when no reviewed translation of
    exactly the same unit exists, the closest one at least this similar is
    the suggestion instead of machine translation; 100 turns this off.
    """

    fuzzy_threshold: float = 85.0


# The fields of ``publish.path``, with what each is for ``source/news/bericht.md``.
PATH_FIELDS = {
    "lang": "the target language (en)",
    "path": "the path below the source folder (news/bericht.md)",
    "dir": "its folder, with a trailing / (news/), or nothing",
    "stem": "the file name without its extension (bericht)",
    "ext": "the extension with its dot (.md)",
}
_FRONT_MATTER_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_KEY_NAME = r"[^.\[\]\s](?:[^.\[\]]*[^.\[\]\s])?(?:\[\])*"
FRONT_MATTER_PATH = re.compile(rf"{_KEY_NAME}(?:\.{_KEY_NAME})*")  # title, menu.main.title, cards[].title, tags[]


@dataclass(frozen=True)
class PublishConfig:
    """Where and how articles are published.

    ``path`` is a template of the published file's path from the project
    root, with the fields of :data:`PATH_FIELDS` (empty: the default,
    ``<folders.output>/{lang}/{path}``, see :attr:`Config.publish_path`);
    ``front_matter_language_key`` names a front matter key that published
    Markdown articles get the target language in (empty: none);
    ``add_front_matter``: an article without front matter gets one for it.
    """

    path: str = ""
    front_matter_language_key: str = ""
    add_front_matter: bool = False


@dataclass(frozen=True)
class MarkdownConfig:
    """Settings of the Markdown format: the front matter key paths (``menu.main.title``, ``cards[].title``)
    whose values are translated."""

    front_matter: tuple[str, ...] = ("title", "description", "summary")


@dataclass(frozen=True)
class Glossary:
    """Terms machine translation must get right.

    ``keep`` lists names and terms copied as they are (``DeepSeek``);
    ``terms`` maps a term to its fixed translation per target language
    (``KI`` → ``{"en": "AI"}``). Both match case-sensitively as whole words.
    """

    keep: tuple[str, ...] = ()
    terms: dict[str, dict[str, str]] = field(default_factory=dict)

    def for_language(self, language: str) -> dict[str, str]:
        """The fixed translations into ``language`` (or its base language: ``pt`` for ``pt_BR``)."""
        base = language.split("_")[0]
        out = {}
        for term, translations in self.terms.items():
            translation = translations.get(language, translations.get(base))
            if translation is not None:
                out[term] = translation
        return out


@dataclass(frozen=True)
class Config:
    root: Path
    source_language: str
    target_languages: tuple[str, ...]
    source_dir: str = "source"
    locales_dir: str = "locales"
    output_dir: str = "public"
    segmentation: str = "sentence"
    skip: tuple[SkipRule, ...] = ()
    engine: EngineConfig = field(default_factory=EngineConfig)
    name: str = ""
    glossary: Glossary = field(default_factory=Glossary)
    memory: MemoryConfig = field(default_factory=MemoryConfig)
    publish: PublishConfig = field(default_factory=PublishConfig)
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)

    @property
    def source_path(self) -> Path:
        return self.root / self.source_dir

    @property
    def locales_path(self) -> Path:
        return self.root / self.locales_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def publish_path(self) -> str:
        """The template of published paths: ``publish.path``, by default ``<folders.output>/{lang}/{path}``."""
        return self.publish.path or _default_publish_path(self.output_dir)


def _default_publish_path(output_dir: str) -> str:
    return output_dir.replace("{", "{{").replace("}", "}}") + "/{lang}/{path}"


def _keys(settings: type) -> tuple[str, ...]:
    """The keys of a section of ``l10n.yaml``: the fields of its dataclass, which also hold the defaults."""
    return tuple(f.name for f in fields(settings))


def load(root: Path) -> Config:
    """Read and validate ``root/l10n.yaml``."""
    path = root / CONFIG_NAME
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise L10nError(f"{path}: not found; run `l10n init` to start a project here, or pass -C DIR") from None
    except UnicodeDecodeError as exc:
        raise L10nError(f"{path}: byte {exc.start}: not valid UTF-8") from None
    return parse(load_yaml(text, str(path)), root, str(path))


def parse(data: Any, root: Path, where: str = CONFIG_NAME) -> Config:
    """Validate the loaded YAML ``data`` into a :class:`Config`."""
    v = _Validator(where)
    data = v.mapping(data, "", required=("source_language", "target_languages"),
                     optional=("name", "folders", "segmentation", "skip", "engine", "glossary", "memory",
                               "publish", "markdown"))
    folders = v.mapping(data.get("folders", {}), "folders", optional=("source", "locales", "output"))
    source_language = v.language(data["source_language"], "source_language")
    targets = v.sequence(data["target_languages"], "target_languages")
    if not targets:
        v.fail("target_languages", "expected at least one language code")
    target_languages = tuple(v.language(code, f"target_languages[{i}]") for i, code in enumerate(targets))
    for i, code in enumerate(target_languages):
        if code == source_language:
            v.fail(f"target_languages[{i}]", f"{code} is the source language")
        if code in target_languages[:i]:
            v.fail(f"target_languages[{i}]", f"{code} is listed twice")
    source_dir = v.folder(folders.get("source", "source"), "folders.source")
    locales_dir = v.folder(folders.get("locales", "locales"), "folders.locales")
    output_dir = v.folder(folders.get("output", "public"), "folders.output")
    return Config(
        root=root,
        name=v.string(data.get("name", root.resolve().name), "name"),
        source_language=source_language,
        target_languages=target_languages,
        source_dir=source_dir,
        locales_dir=locales_dir,
        output_dir=output_dir,
        segmentation=v.choice(data.get("segmentation", "sentence"), "segmentation", SEGMENTATIONS),
        skip=tuple(v.skip_rule(rule, f"skip[{i}]") for i, rule in enumerate(v.sequence(data.get("skip", []), "skip"))),
        engine=parse_engine(v, data.get("engine", {}), "engine"),
        glossary=v.glossary(data.get("glossary", {}), "glossary", target_languages),
        memory=v.memory(data.get("memory", {}), "memory"),
        publish=(publish := v.publish(data.get("publish", {}), "publish", locales_dir, output_dir)),
        markdown=v.markdown(data.get("markdown", {}), "markdown", publish),
    )


class _Validator:
    """Small typed accessors that fail with the key path and what was expected."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, key: str, expected: str) -> None:
        raise L10nError(f"{self.where}: {key or 'top level'}: {expected}")

    def mapping(self, value: Any, key: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> dict:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(key, f"expected a mapping, got {_kind(value)}")
        for name in value:
            if name not in required and name not in optional:
                allowed = ", ".join(required + optional)
                self.fail(_join(key, str(name)), f"unknown key (expected one of: {allowed})")
        for name in required:
            if name not in value:
                self.fail(_join(key, name), "missing required key")
        return value

    def sequence(self, value: Any, key: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {_kind(value)}")
        return value

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_kind(value)}")
        return value

    def integer(self, value: Any, key: str, minimum: int, maximum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number, got {_kind(value)}")
        if maximum is not None and not minimum <= value <= maximum:
            self.fail(key, f"expected a whole number from {minimum} to {maximum}, got {value}")
        if value < minimum:
            self.fail(key, f"expected a whole number of at least {minimum}, got {value}")
        return value

    def choice(self, value: Any, key: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(key, f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    def language(self, value: Any, key: str) -> str:
        code = normalize_language(self.string(value, key))
        if code is None:
            self.fail(key, f"unknown language code {value!r} (expected a code such as de, en, fr, pt_BR)")
        return code

    def folder(self, value: Any, key: str) -> str:
        text = self.string(value, key)
        parts = Path(text).parts
        if not text or Path(text).is_absolute() or ".." in parts:
            self.fail(key, f"expected a folder inside the project, got {text!r}")
        return Path(text).as_posix()

    def skip_rule(self, value: Any, key: str) -> SkipRule:
        rule = self.mapping(value, key, required=("match",), optional=("scope", "publish"))
        try:
            pattern = re.compile(self.string(rule["match"], f"{key}.match"))
        except re.error as exc:
            self.fail(f"{key}.match", f"invalid regular expression: {exc}")
        return SkipRule(
            pattern=pattern,
            scope=self.choice(rule.get("scope", "line"), f"{key}.scope", SCOPES),
            publish=self.choice(rule.get("publish", "keep"), f"{key}.publish", PUBLISH_ACTIONS),
        )

    def memory(self, value: Any, key: str) -> MemoryConfig:
        memory = self.mapping(value, key, optional=_keys(MemoryConfig))
        threshold = memory.get("fuzzy_threshold", MemoryConfig.fuzzy_threshold)
        where = f"{key}.fuzzy_threshold"
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            self.fail(where, f"expected a percentage from 50 to 100, got {_kind(threshold)}")
        if not 50 <= threshold <= 100:
            self.fail(where, f"expected a percentage from 50 to 100, got {threshold:g}")
        return MemoryConfig(float(threshold))

    def publish(self, value: Any, key: str, locales_dir: str, output_dir: str) -> PublishConfig:
        publish = self.mapping(value, key, optional=_keys(PublishConfig))
        path = ""
        if "path" in publish:
            path = self.path_template(publish["path"], f"{key}.path")
            self.publish_target(path, f"{key}.path", repr(path), locales_dir)
        else:
            self.publish_target(_default_publish_path(output_dir), "folders.output", repr(output_dir), locales_dir)
        language_key = ""
        if publish.get("front_matter_language_key") is not None:
            where = f"{key}.front_matter_language_key"
            language_key = self.string(publish["front_matter_language_key"], where)
            if not _FRONT_MATTER_KEY.fullmatch(language_key):
                self.fail(where, f"expected a plain key name (letters, digits, _ . -), got {language_key!r}")
        add = publish.get("add_front_matter", False)
        if not isinstance(add, bool):
            self.fail(f"{key}.add_front_matter", f"expected true or false, got {_kind(add)}")
        return PublishConfig(path, language_key, add)

    def path_template(self, value: Any, key: str) -> str:
        text = self.string(value, key)
        fields = ", ".join("{" + name + "}" for name in PATH_FIELDS)
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError:
            self.fail(key, f"expected a path template with the fields {fields}; write a brace that is no field "
                           f"as {{{{ or }}}}, got {text!r}")
        used = set()
        for _literal, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in PATH_FIELDS or spec or conversion:
                shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                self.fail(key, f"unknown field {shown} (expected {fields})")
            used.add(name)
        if "lang" not in used:
            self.fail(key, f"expected {{lang}} in the path, so that languages do not overwrite each other, got {text!r}")
        if not used & {"path", "stem"}:
            self.fail(key, f"expected {{path}} or {{stem}} in the path, so that articles do not overwrite each "
                           f"other, got {text!r}")
        example = Path(text.format(lang="en", path="news/a.md", dir="news/", stem="a", ext=".md"))
        if text.endswith("/") or example.is_absolute() or ".." in example.parts or not example.parts:
            self.fail(key, f"expected the path of a file inside the project, got {text!r}")
        return text

    def publish_target(self, template: str, key: str, shown: str, locales_dir: str) -> None:
        """Refuse a ``publish.path`` that visibly leads onto the project's own files.

        What depends on the article (``{dir}``, a symbolic link) is checked
        per file when publishing (:func:`l10n.publish.publish`).
        """
        example = PurePosixPath(template.format(lang="en", path="news/a.md", dir="news/", stem="a", ext=".md"))
        locales = PurePosixPath(locales_dir).parts
        if locales and example.parts[:len(locales)] == locales:
            self.fail(key, f"expected a path outside the locales folder ({locales_dir}), got {shown}")
        if example.parts[0] == STATE_DIR:
            self.fail(key, f"expected a path outside {STATE_DIR}, got {shown}")
        if example.suffix.lower() in PROTECTED_SUFFIXES:
            self.fail(key, f"expected a path that is no catalog, template or settings file "
                           f"({', '.join(PROTECTED_SUFFIXES)}), got {shown}")

    def markdown(self, value: Any, key: str, publish: PublishConfig) -> MarkdownConfig:
        markdown = self.mapping(value, key, optional=_keys(MarkdownConfig))
        if "front_matter" not in markdown:
            return MarkdownConfig()
        keys: list[str] = []
        where = f"{key}.front_matter"
        for i, name in enumerate(self.sequence(markdown["front_matter"], where)):
            name = self.term(name, f"{where}[{i}]")
            if not FRONT_MATTER_PATH.fullmatch(name):
                self.fail(f"{where}[{i}]", f"expected a key path such as title, menu.main.title or cards[].title, "
                                           f"got {name!r}")
            if name in keys:
                self.fail(f"{where}[{i}]", f"{name} is listed twice")
            if name == publish.front_matter_language_key:
                self.fail(f"{where}[{i}]", f"{name} is publish.front_matter_language_key, whose value is the "
                                           "target language, not a translation")
            keys.append(name)
        return MarkdownConfig(tuple(keys))

    def term(self, value: Any, key: str) -> str:
        text = self.string(value, key)
        if not text.strip():
            self.fail(key, "expected a term, got an empty string")
        if text != text.strip():
            self.fail(key, f"expected a term without spaces around it, got {text!r}")
        return text

    def glossary(self, value: Any, key: str, targets: tuple[str, ...]) -> Glossary:
        glossary = self.mapping(value, key, optional=("keep", "terms"))
        keep = tuple(self.term(t, f"{key}.keep[{i}]")
                     for i, t in enumerate(self.sequence(glossary.get("keep", []), f"{key}.keep")))
        terms: dict[str, dict[str, str]] = {}
        raw = glossary.get("terms", {})
        if raw is not None and not isinstance(raw, dict):
            self.fail(f"{key}.terms", f"expected a mapping of terms to translations, got {_kind(raw)}")
        for name, translations in (raw or {}).items():
            where = f"{key}.terms.{name}"
            term = self.term(name, where)
            if term in keep:
                self.fail(where, f"{term!r} is also in {key}.keep; a term is either kept or translated")
            if isinstance(translations, str):  # one translation for every target language
                terms[term] = {lang: self.term(translations, where) for lang in targets}
                continue
            if not isinstance(translations, dict) or not translations:
                self.fail(where, f"expected a translation, or a mapping of language codes to translations, "
                                 f"got {_kind(translations)}")
            terms[term] = {self.language(lang, f"{where}.{lang}"): self.term(text, f"{where}.{lang}")
                           for lang, text in translations.items()}
        return Glossary(keep, terms)


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def render_new(source_language: str, target_languages: list[str], sentences: bool = True) -> str:
    """The text of a fresh ``l10n.yaml`` written by ``l10n init``; ``sentences``: l10n can split the source's sentences."""
    targets = ", ".join(target_languages)
    segmentation = "sentence" if sentences else "paragraph"
    return f"""\
# l10n project settings; see the README for every key.
source_language: {source_language}
target_languages: [{targets}]
folders:
  source: source      # articles to translate (.txt, .md)
  locales: locales    # templates/<slug>.pot and <lang>/LC_MESSAGES/<slug>.po
  output: public      # published articles: <output>/<lang>/<file>
segmentation: {segmentation}  # sentence: one unit per sentence; paragraph: one per paragraph
# Lines that are not translated. scope: line | block | rest (to the end of the
# article); publish: keep (verbatim) | drop (left out of published articles).
skip: []
#  - match: '^Artikel empfehlen$'
#    scope: rest
#    publish: drop
engine:                 # machine translation (`l10n translate`)
  device: cpu           # cpu | cuda | auto
  beam_size: 2
  batch_size: 32
  backend: local        # local: this machine | ray: a Ray cluster (pip install "l10n[ray]"; see docs/ray.md)
#  ray:                 # where backend: ray translates
#    address: auto      # auto | ray://host:10001 (Ray Client) | host:port of a running cluster's head
#    workers: 0         # model copies: 0: as many as the cluster's CPUs hold | a number | per-gpu
# Terms machine translation must get right (whole words, case-sensitive).
glossary:
  keep: []              # names copied as they are, e.g. [DeepSeek, OpenAI]
  terms: {{}}             # fixed translations, e.g. {{KI: {{en: AI, fr: IA}}}}
memory:                 # translation memory (`l10n translate`, `l10n memory`)
  fuzzy_threshold: 85   # percent: closest reviewed translation before machine translation; 100: exact only
"""
