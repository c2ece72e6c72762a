"""Argos Translate model packages: list, install, remove, and pick a route.

``argostranslate`` reads its folders (``ARGOS_PACKAGES_DIR``, ``XDG_*_HOME``)
and index address (``ARGOS_PACKAGE_INDEX``) from the environment when it is
first imported, and importing it creates those folders. So it is imported
inside the functions here, never at module import: a command that does not
touch models does not pay for it, and a caller (or a test) can set the
environment first.

Every problem the user can fix ends in :class:`~l10n.errors.L10nError` with
one line; no network or archive exception leaks out as a traceback.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..errors import L10nError, one_line
from ..fsutil import atomic_write, process_alive
from . import archive

PIVOT = "en"
INDEX_TIMEOUT_S = 30
_INSTALL_HINT = "install a downloaded file with `l10n models install --file PATH`"

# Staging folders are named ``.l10n-staging-<pid>-<random>``: one whose
# process is gone was left by an install that was killed, and the next
# install removes it.
STAGING_PREFIX = ".l10n-staging-"
_STAGING_NAME = re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-[A-Za-z0-9_]+\Z")

@dataclass(frozen=True)
class ModelPackage:
    """An installed Argos package."""

    from_code: str
    to_code: str
    version: str
    size: int  # bytes on disk, all files of the package folder
    path: Path  # the package folder (holds metadata.json and model/)
    from_name: str = ""
    to_name: str = ""

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


@dataclass(frozen=True)
class IndexedPackage:
    """A package listed in the Argos package index (not necessarily installed)."""

    from_code: str
    to_code: str
    version: str
    from_name: str = ""
    to_name: str = ""
    links: tuple[str, ...] = ()

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


# ---------------------------------------------------------------- installed


def packages_dir() -> Path:
    """The folder packages are installed into (``ARGOS_PACKAGES_DIR``, or Argos's default)."""
    from argostranslate import settings

    return Path(settings.package_data_dir)


def installed() -> list[ModelPackage]:
    """The installed packages, sorted by language pair and version."""
    from argostranslate import package, settings

    try:
        packages = package.get_installed_packages()
    except (OSError, ValueError) as e:  # FileNotFoundError for a folder without metadata.json
        raise L10nError(f"{settings.package_data_dir}: unreadable Argos package folder: {one_line(e)}") from e
    result = [_from_argos(p) for p in packages if getattr(p, "type", "translate") == "translate"]
    return sorted(result, key=lambda m: (m.from_code, m.to_code, _version_key(m.version)))


def _from_argos(pkg) -> ModelPackage:
    path = Path(pkg.package_path)
    return ModelPackage(
        from_code=pkg.from_code or "",
        to_code=pkg.to_code or "",
        version=pkg.package_version or "",
        size=_folder_size(path),
        path=path,
        from_name=pkg.from_name or "",
        to_name=pkg.to_name or "",
    )


def _folder_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def _version_key(version: str):
    from packaging.version import InvalidVersion, Version  # an argostranslate dependency

    try:
        return (1, Version(version), version)
    except InvalidVersion:
        return (0, Version("0"), version)


def _find(from_code: str, to_code: str, packages: list[ModelPackage]) -> ModelPackage | None:
    """The newest installed package for a pair, or None."""
    matches = [p for p in packages if p.from_code == from_code and p.to_code == to_code]
    return max(matches, key=lambda p: _version_key(p.version)) if matches else None


# ------------------------------------------------------------------- route


def route(from_code: str, to_code: str) -> list[ModelPackage]:
    """The packages that translate ``from_code`` into ``to_code``, in order.

    A direct package when one is installed, else two packages pivoting
    through English (de→en, then en→fr).
    """
    if from_code == to_code:
        raise L10nError(f"source and target language are both {from_code!r}: nothing to translate")
    packages = installed()
    direct = _find(from_code, to_code, packages)
    if direct is not None:
        return [direct]
    if PIVOT in (from_code, to_code):
        raise L10nError(
            f"no Argos model installed for {from_code}→{to_code}; "
            f"install it with `l10n models install {from_code} {to_code}`"
        )
    first = _find(from_code, PIVOT, packages)
    second = _find(PIVOT, to_code, packages)
    if first is not None and second is not None:
        return [first, second]
    missing = [(a, b) for (a, b), have in (((from_code, PIVOT), first), ((PIVOT, to_code), second)) if have is None]
    pairs = " and ".join(f"{a}→{b}" for a, b in missing)
    commands = " and ".join(f"`l10n models install {a} {b}`" for a, b in missing)
    pronoun = "it" if len(missing) == 1 else "them"
    raise L10nError(
        f"no Argos model installed for {from_code}→{to_code}, nor {pairs} to pivot through English; "
        f"install {pronoun} with {commands}"
    )


# ----------------------------------------------------------------- install


def install_file(path: Path, sha256: str | None = None, pair: tuple[str, str] | None = None) -> ModelPackage:
    """Install an ``.argosmodel`` file after checking it.

    ``sha256``, when given, must match the file; ``pair`` (from, to), when
    given, must be the package's language pair. The archive must hold one
    package folder with ``metadata.json``, ``model/`` and a tokenizer, and no
    member that would be written outside that folder (absolute paths, ``..``,
    symbolic links); it must not unpack to more than ``MAX_UNPACKED_BYTES``
    nor compress more than ``MAX_COMPRESSION_RATIO`` (a zip bomb), and its
    metadata must name plain language codes and a plain version. An
    installed package for the same language pair is replaced; one of another
    pair never is.
    """
    from argostranslate import package, settings

    path = Path(path)
    _remove_stale_staging(Path(settings.package_data_dir).parent)
    if not path.is_file():
        raise L10nError(f"{path}: no such file")
    if sha256 is not None:
        expected = sha256.strip().lower()
        actual = _sha256(path)
        if actual != expected:
            raise L10nError(f"{path}: checksum mismatch: expected sha256 {expected}, got {actual}")
    top, metadata = archive.inspect(path)
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    if pair is not None and tuple(pair) != (from_code, to_code):
        raise L10nError(f"{path}: a {from_code}→{to_code} package, not {pair[0]}→{pair[1]}")

    target = Path(settings.package_data_dir) / top
    _check_target(path, target, from_code, to_code)
    # Unpacked beside the packages folder (argos loads every folder inside it),
    # checked, and only then moved into place: a failed or killed install
    # leaves the installed packages as they were. The archive's members were
    # checked above, so extracting it is safe. (argostranslate's own
    # install_from_path and uninstall import its translation stack, which
    # takes seconds, only to clear a cache.)
    staging = _staging_folder(target.parent)
    try:
        archive.extract(path, staging)
        try:
            package.Package(staging / top)
        except (OSError, ValueError, KeyError) as e:
            raise L10nError(f"{path}: installed package does not load: {one_line(e)}") from e
        for old in installed():
            if old.from_code == from_code and old.to_code == to_code:
                _remove_folder(old.path)
        if target.exists():
            _remove_folder(target)
        try:
            os.replace(staging / top, target)
        except OSError:  # another file system: copy instead
            shutil.copytree(staging / top, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _forget_installed_languages()
    try:
        return _from_argos(package.Package(target))
    except (OSError, ValueError) as e:
        shutil.rmtree(target, ignore_errors=True)
        raise L10nError(f"{path}: installed package does not load: {one_line(e)}") from e


def _check_target(path: Path, target: Path, from_code: str, to_code: str) -> None:
    """Refuse to install over anything at ``target`` but a package of the same pair."""
    if not (target.exists() or target.is_symlink()):
        return
    if not target.is_dir() or target.is_symlink():
        raise L10nError(f"{path}: cannot install: {target} exists and is not a package folder")
    try:
        old = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
        old_pair = (old.get("from_code"), old.get("to_code"))
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        old_pair = None
    if old_pair != (from_code, to_code):
        held = f"the {old_pair[0]}→{old_pair[1]} package" if old_pair else "no readable package"
        raise L10nError(f"{path}: cannot install: {target} holds {held}, not {from_code}→{to_code}")


def _staging_folder(packages_dir: Path) -> Path:
    """A new empty folder on the packages folder's file system, but outside it."""
    packages_dir.mkdir(parents=True, exist_ok=True)
    prefix = f"{STAGING_PREFIX}{os.getpid()}-"
    try:
        return Path(tempfile.mkdtemp(prefix=prefix, dir=packages_dir.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix=prefix))


def _remove_stale_staging(folder: Path) -> None:
    """Remove the staging folders in ``folder`` (and the temporary folder) that killed installs left."""
    for parent in dict.fromkeys((folder, Path(tempfile.gettempdir()))):
        try:
            entries = list(parent.iterdir())
        except OSError:
            continue
        for entry in entries:
            m = _STAGING_NAME.match(entry.name)
            if m and entry.is_dir() and not entry.is_symlink() and not process_alive(int(m[1])):
                shutil.rmtree(entry, ignore_errors=True)


def _remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    _forget_installed_languages()


def _forget_installed_languages() -> None:
    """Clear argostranslate's cache of installed languages, if this process has loaded it."""
    import sys

    translate = sys.modules.get("argostranslate.translate")
    if translate is not None:
        translate.get_installed_languages.cache_clear()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ------------------------------------------------------------------ remove


def remove(from_code: str, to_code: str) -> list[ModelPackage]:
    """Uninstall every installed package for the pair; return what was removed."""
    matches = [p for p in installed() if p.from_code == from_code and p.to_code == to_code]
    if not matches:
        raise L10nError(f"no Argos model installed for {from_code}→{to_code}")
    for p in matches:
        _remove_folder(p.path)
    return matches


# ------------------------------------------------------------------- index


def available() -> list[IndexedPackage]:
    """The packages in the Argos package index (fetched now)."""
    from argostranslate import package

    _update_index()
    try:
        entries = package.get_available_packages()
    except (OSError, ValueError, RecursionError) as e:
        raise L10nError(f"cannot read the Argos package index: {one_line(e)}") from e
    result = [
        IndexedPackage(
            from_code=e.from_code or "",
            to_code=e.to_code or "",
            version=e.package_version or "",
            from_name=e.from_name or "",
            to_name=e.to_name or "",
            links=tuple(e.links or ()),
        )
        for e in entries
        if getattr(e, "type", "translate") == "translate" and e.from_code and e.to_code
    ]
    return sorted(result, key=lambda p: (p.from_code, p.to_code, _version_key(p.version)))


def install_from_index(from_code: str, to_code: str) -> ModelPackage:
    """Download the newest indexed package for the pair and install it."""
    from argostranslate import package

    _update_index()
    try:
        entries = package.get_available_packages()
    except (OSError, ValueError, RecursionError) as e:
        raise L10nError(f"cannot read the Argos package index: {one_line(e)}") from e
    matches = [e for e in entries if e.from_code == from_code and e.to_code == to_code]
    if not matches:
        raise L10nError(f"the Argos package index has no {from_code}→{to_code} package")
    entry = max(matches, key=lambda e: _version_key(e.package_version or ""))
    # download() reuses any file already at its destination: drop a stale one.
    from argostranslate import settings

    stale = Path(settings.downloads_dir) / (package.argospm_package_name(entry) + ".argosmodel")
    stale.unlink(missing_ok=True)
    try:
        downloaded = Path(entry.download())
    except Exception as e:  # argos raises a bare Exception when every link fails
        raise L10nError(
            f"cannot download the {from_code}→{to_code} package: {one_line(e)}; {_INSTALL_HINT}"
        ) from e
    try:
        return install_file(downloaded)
    finally:
        downloaded.unlink(missing_ok=True)


def _update_index() -> None:
    """Fetch the package index into the file argos reads it from.

    Done here rather than by ``argostranslate.package.update_package_index``:
    that one has no timeout and only logs a failure, after which
    ``get_available_packages`` calls it again and again without end when no
    index was ever saved.
    """
    from argostranslate import settings

    url = settings.remote_package_index
    try:
        with urllib.request.urlopen(url, timeout=INDEX_TIMEOUT_S) as response:
            data = response.read()
    except urllib.error.URLError as e:
        reason = e.reason if not isinstance(e, urllib.error.HTTPError) else f"HTTP {e.code}"
        raise L10nError(f"cannot reach the Argos package index: {url}: {one_line(reason)}; {_INSTALL_HINT}") from e
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise L10nError(f"cannot reach the Argos package index: {url}: {one_line(e)}; {_INSTALL_HINT}") from e
    try:
        index = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise L10nError(f"the Argos package index at {url} is not valid JSON: {one_line(e)}") from e
    if not isinstance(index, list) or not all(isinstance(x, dict) for x in index):
        raise L10nError(f"the Argos package index at {url} is not a list of packages")
    atomic_write(Path(settings.local_package_index), data)
