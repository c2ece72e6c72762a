"""What every source format is: :class:`Format`, and the settings it reads with, :class:`FormatSettings`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .. import segment
from ..config import Config, MarkdownConfig, SkipRule
from ..document import Document, Unit
from ..errors import L10nError


@dataclass(frozen=True)
class FormatSettings:
    """The few settings of ``l10n.yaml`` the formats use; :meth:`from_config` takes them from a Config.

    Sentence segmentation of a source language l10n has no sentence rules
    for is refused (one line saying to set ``segmentation: paragraph``), so
    an article is never split with another language's rules.
    """

    source_language: str
    segmentation: str = "sentence"  # sentence | paragraph
    skip: tuple[SkipRule, ...] = ()
    front_matter: tuple[str, ...] = MarkdownConfig.front_matter  # markdown.front_matter (key paths)
    language_key: str = ""  # publish.front_matter_language_key
    add_front_matter: bool = False  # publish.add_front_matter: may publishing add a front matter block?

    def __post_init__(self) -> None:
        if self.segmentation == "sentence" and segment.rules_for(self.source_language) is None:
            raise L10nError(
                f"l10n.yaml: segmentation: sentence: l10n has sentence rules for {', '.join(segment.LANGUAGES)} "
                f"only, not for the source language {self.source_language}; set `segmentation: paragraph` "
                "(one unit per paragraph)")

    @classmethod
    def from_config(cls, config: Config) -> FormatSettings:
        return cls(config.source_language, config.segmentation, config.skip, config.markdown.front_matter,
                   config.publish.front_matter_language_key, config.publish.add_front_matter)

    @classmethod
    def of(cls, settings: FormatSettings | Config) -> FormatSettings:
        """``settings``, or the settings of a Config."""
        return settings if isinstance(settings, FormatSettings) else cls.from_config(settings)

    @property
    def split_sentences(self) -> bool:
        return self.segmentation == "sentence"

    @property
    def splitter(self) -> segment.Splitter:
        """The source language's sentence splitter (one span per paragraph for a language without rules)."""
        return segment.splitter_for(self.source_language)


class Format(ABC):
    """A source format. A subclass reads articles; the rest has defaults for formats without markup.

    * :meth:`read` parses an article into a :class:`~l10n.document.Document`;
    * :meth:`localize` is applied to each rendered article when it is
      published (Markdown sets the language in the front matter); by default
      the article is unchanged;
    * :attr:`check_markup` ``(source, translation) -> messages``: what a
      translation breaks of a unit's markup, as the format reads it. The
      ``markup`` check of ``l10n check`` uses it for the format's articles, and
      ``l10n publish`` keeps the source text of a unit it finds problems in.
      None (the default): the format reads no markup, and ``l10n check`` looks
      for markup the generic way;
    * :meth:`protected_spans` ``(text) -> [(start, end, kind)]``: markup a
      model must not change, which ``l10n translate`` replaces by
      placeholders; by default none;
    * :meth:`check_structure` ``(document, translate) -> units``: the units
      whose translation would change the structure of the page (Markdown:
      its blocks), which ``l10n publish`` keeps in the source text, and
      :meth:`structure_problems`, what the ``structure`` check of ``l10n
      check`` reports of one entry; by default none (plain text has no
      structure a translation could change).
    """

    name = ""
    suffixes: tuple[str, ...] = ()
    check_markup: Callable[[str, str], Iterable[str]] | None = None

    @abstractmethod
    def read(self, data: bytes, path: str, settings: FormatSettings | Config) -> Document:
        """Parse the source file ``path`` (relative to the project)."""

    def localize(self, data: bytes, path: str, language: str, settings: FormatSettings | Config) -> bytes:
        """The rendered article ``path`` in ``language`` as it is published."""
        return data

    def protected_spans(self, text: str) -> list[tuple[int, int, str]]:
        """What a model must not change in the unit ``text``: ``(start, end, kind)`` in order."""
        return []

    def check_structure(self, doc: Document, translate: Callable[[Unit], str | None]) -> list[Unit]:
        """The units of ``doc`` whose translation ``translate(unit)`` (None: none) changes the page's structure."""
        return []

    def structure_problems(self, doc: Document, msgid: str, translation: str) -> list[tuple[bool, str]]:
        """``(kept, message)`` for what publishing ``translation`` of the units ``msgid`` of ``doc`` does to keep
        the page's structure: kept in the source text (True), or escaped or folded (False)."""
        return []

    def __repr__(self) -> str:
        return f"<{self.name} format {' '.join(self.suffixes)}>"
