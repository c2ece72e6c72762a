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
import stat
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from l10n.errors import L10nError
from l10n.fsutil import atomic_write

PIVOT = "en"
INDEX_TIMEOUT_S = 30
_INSTALL_HINT = "install a downloaded file with `l10n models install --file PATH`"


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
        raise L10nError(f"{settings.package_data_dir}: unreadable Argos package folder: {_one_line(e)}") from e
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
    symbolic links). An installed package for the same language pair is
    replaced.
    """
    from argostranslate import package, settings

    path = Path(path)
    if not path.is_file():
        raise L10nError(f"{path}: no such file")
    if sha256 is not None:
        expected = sha256.strip().lower()
        actual = _sha256(path)
        if actual != expected:
            raise L10nError(f"{path}: checksum mismatch: expected sha256 {expected}, got {actual}")
    top, metadata = _inspect_archive(path)
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    if pair is not None and tuple(pair) != (from_code, to_code):
        raise L10nError(f"{path}: a {from_code}→{to_code} package, not {pair[0]}→{pair[1]}")

    target = Path(settings.package_data_dir) / top
    if (target.exists() or target.is_symlink()) and (not target.is_dir() or target.is_symlink()):
        raise L10nError(f"{path}: cannot install: {target} exists and is not a package folder")
    # Unpacked beside the packages folder (argos loads every folder inside it),
    # checked, and only then moved into place: a failed or killed install
    # leaves the installed packages as they were. The archive's members were
    # checked above, so extracting it is safe. (argostranslate's own
    # install_from_path and uninstall import its translation stack, which
    # takes seconds, only to clear a cache.)
    staging = _staging_folder(target.parent)
    try:
        try:
            with zipfile.ZipFile(path) as zf:
                zf.extractall(staging)
        except (OSError, zipfile.BadZipFile, ValueError) as e:
            raise L10nError(f"{path}: cannot install: {_one_line(e)}") from e
        try:
            package.Package(staging / top)
        except (OSError, ValueError, KeyError) as e:
            raise L10nError(f"{path}: installed package does not load: {_one_line(e)}") from e
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
        raise L10nError(f"{path}: installed package does not load: {_one_line(e)}") from e


def _staging_folder(packages_dir: Path) -> Path:
    """A new empty folder on the packages folder's file system, but outside it."""
    import tempfile

    packages_dir.mkdir(parents=True, exist_ok=True)
    try:
        return Path(tempfile.mkdtemp(prefix=".l10n-installing-", dir=packages_dir.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="l10n-installing-"))


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


_DRIVE = re.compile(r"^[A-Za-z]:")


def _inspect_archive(path: Path) -> tuple[str, dict]:
    """Check an .argosmodel zip; return its package folder name and metadata."""
    if not zipfile.is_zipfile(path):
        raise L10nError(f"{path}: not a zip archive (an .argosmodel file is one)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            tops: set[str] = set()
            files: dict[str, zipfile.ZipInfo] = {}
            for info in infos:
                name = info.filename
                if name.startswith("/") or _DRIVE.match(name):
                    raise L10nError(f"{path}: refusing member {name!r}: absolute path")
                if "\\" in name:  # a plain character on POSIX, a separator elsewhere
                    raise L10nError(f"{path}: refusing member {name!r}: backslash in path")
                parts = [p for p in name.split("/") if p not in ("", ".")]
                if ".." in parts:
                    raise L10nError(f"{path}: refusing member {name!r}: path leaves the package folder")
                if stat.S_ISLNK(info.external_attr >> 16):
                    raise L10nError(f"{path}: refusing member {name!r}: symbolic link")
                if not parts:
                    continue
                if len(parts) == 1 and not info.is_dir():
                    raise L10nError(f"{path}: refusing member {name!r}: file outside the package folder")
                tops.add(parts[0])
                files["/".join(parts)] = info
            if not tops:
                raise L10nError(f"{path}: empty archive")
            if len(tops) > 1:
                names = ", ".join(sorted(tops)[:3])
                raise L10nError(f"{path}: more than one top-level folder ({names}); an Argos package has one")
            (top,) = tops
            if f"{top}/metadata.json" not in files:
                raise L10nError(f"{path}: no metadata.json in the package folder {top}/")
            if not any(f.startswith(f"{top}/model/") for f in files):
                raise L10nError(f"{path}: no model/ folder in the package folder {top}/")
            if f"{top}/sentencepiece.model" not in files and f"{top}/bpe.model" not in files:
                raise L10nError(f"{path}: no sentencepiece.model or bpe.model in the package folder {top}/")
            try:
                metadata = json.loads(zf.read(files[f"{top}/metadata.json"]).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise L10nError(f"{path}: {top}/metadata.json is not valid JSON: {_one_line(e)}") from e
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as e:
        raise L10nError(f"{path}: unreadable zip archive: {_one_line(e)}") from e
    if not isinstance(metadata, dict):
        raise L10nError(f"{path}: {top}/metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise L10nError(f"{path}: {top}/metadata.json has no {key}")
    if metadata.get("type", "translate") != "translate":
        raise L10nError(f"{path}: not a translation package (type {metadata.get('type')!r})")
    return top, metadata


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
        raise L10nError(f"cannot read the Argos package index: {_one_line(e)}") from e
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
        raise L10nError(f"cannot read the Argos package index: {_one_line(e)}") from e
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
            f"cannot download the {from_code}→{to_code} package: {_one_line(e)}; {_INSTALL_HINT}"
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
        raise L10nError(f"cannot reach the Argos package index: {url}: {_one_line(reason)}; {_INSTALL_HINT}") from e
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise L10nError(f"cannot reach the Argos package index: {url}: {_one_line(e)}; {_INSTALL_HINT}") from e
    try:
        index = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise L10nError(f"the Argos package index at {url} is not valid JSON: {_one_line(e)}") from e
    if not isinstance(index, list) or not all(isinstance(x, dict) for x in index):
        raise L10nError(f"the Argos package index at {url} is not a list of packages")
    atomic_write(Path(settings.local_package_index), data)


def _one_line(e: object) -> str:
    text = " ".join(str(e).split())
    return text or type(e).__name__
