"""What ``l10n translate`` reports: per language, what was filled from where, and what was skipped."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LanguageReport:
    """What one language got (or, in a dry run, would get)."""

    language: str
    label: str = ""  # the language pair, e.g. de→en, or de→fr (via en)
    engine_name: str = ""  # e.g. argos de→en 1.9, when the engine was (or would be) used
    device: str = ""  # where the engine ran: cpu, cuda, or (device auto) cpu: why not the GPU
    memory: int = 0  # filled from the translation memory
    similar: int = 0  # of those: the translation of a similar unit (a fuzzy match)
    engine: int = 0  # filled by machine translation
    recovered: int = 0  # of those: translated by an interrupted run, taken from its journal
    glossary: int = 0  # filled from the glossary alone, or copied (nothing to translate)
    flagged: int = 0  # placeholders lost or mangled: translated in pieces, marked for checking
    no_output: int = 0  # the model gave back nothing: left untranslated
    failed: list[tuple[str, str]] = field(default_factory=list)  # (msgid, why): the model could not take it
    merged: list[str] = field(default_factory=list)  # catalogs someone saved during the run: merged, not overwritten
    skipped_reviewed: int = 0
    skipped_fuzzy: int = 0  # fuzzy entries kept (refreshed only with retranslate_fuzzy)
    skipped_other: int = 0  # plural or context entries, which l10n does not produce
    written: list[str] = field(default_factory=list)
    seconds: float = 0.0
    problem: str = ""  # dry run: why the engine could not run

    @property
    def filled(self) -> int:
        return self.memory + self.engine + self.glossary

    @property
    def skipped(self) -> int:
        return self.skipped_reviewed + self.skipped_fuzzy + self.skipped_other

    @property
    def units_per_second(self) -> float:
        return self.filled / self.seconds if self.seconds > 0 else 0.0


@dataclass
class TranslateResult:
    languages: list[LanguageReport]
    seconds: float
    dry_run: bool = False

    # Each language's catalogs in the order of their names: saves of two windows of articles may overlap.

    @property
    def written(self) -> list[str]:
        return [path for report in self.languages for path in sorted(report.written)]

    @property
    def merged(self) -> list[str]:
        return [path for report in self.languages for path in sorted(report.merged)]
