"""Checking and unpacking an ``.argosmodel`` zip before anything of it is installed.

Refused before a byte is written: members that would land outside the
package folder (absolute paths, ``..``, backslashes, symbolic links), more
than one top folder or none, a missing ``metadata.json``, ``model/`` or
tokenizer, metadata naming anything but plain language codes and a plain
version, and zip bombs (see the limits below). Unpacking stops where a
member gives more bytes than it declared.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
import zlib
from pathlib import Path

from ..errors import L10nError, one_line
from ..sizes import human_size

# Limits on what an .argosmodel may unpack to, checked against the sizes the
# archive declares before anything is written, and against the bytes that
# come out while it is unpacked. Real packages unpack to 100-300 MB; model
# weights hardly compress (about 1.1:1) and text files perhaps 5:1, while a
# run of zeros compresses 1000:1 and more.
MAX_UNPACKED_BYTES = 4 * 1024**3  # all members together
MAX_COMPRESSION_RATIO = 200  # unpacked : packed, per member and for the whole archive
RATIO_FREE_BYTES = 1024**2  # members (and archives) up to this size may compress as they like

# What metadata.json and the archive's folder may name: language codes such
# as de, pt_BR or zh_Hant, versions such as 1.9 or 1.0.2a1, and folder names
# such as translate-de_en-1_9 (no path separator, no leading dot, no ..).
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,8}(?:[_-][A-Za-z0-9]{2,8})?\Z")
_VERSION = re.compile(r"[0-9A-Za-z]{1,16}(?:[.+_-][0-9A-Za-z]{1,16}){0,7}\Z")
_FOLDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}\Z")


_DRIVE = re.compile(r"^[A-Za-z]:")


def inspect(path: Path) -> tuple[str, dict]:
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
                _check_ratio(path, f"member {name!r}", info.file_size, info.compress_size)
                if not parts:
                    continue
                if len(parts) == 1 and not info.is_dir():
                    raise L10nError(f"{path}: refusing member {name!r}: file outside the package folder")
                tops.add(parts[0])
                files["/".join(parts)] = info
            _check_unpackedhuman_size(path, infos)
            if not tops:
                raise L10nError(f"{path}: empty archive")
            if len(tops) > 1:
                names = ", ".join(sorted(tops)[:3])
                raise L10nError(f"{path}: more than one top-level folder ({names}); an Argos package has one")
            (top,) = tops
            if not _FOLDER_NAME.match(top):
                raise L10nError(f"{path}: refusing package folder {top!r}: not a plain folder name")
            if f"{top}/metadata.json" not in files:
                raise L10nError(f"{path}: no metadata.json in the package folder {top}/")
            if not any(f.startswith(f"{top}/model/") for f in files):
                raise L10nError(f"{path}: no model/ folder in the package folder {top}/")
            if f"{top}/sentencepiece.model" not in files and f"{top}/bpe.model" not in files:
                raise L10nError(f"{path}: no sentencepiece.model or bpe.model in the package folder {top}/")
            try:
                metadata = json.loads(zf.read(files[f"{top}/metadata.json"]).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise L10nError(f"{path}: {top}/metadata.json is not valid JSON: {one_line(e)}") from e
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, RuntimeError) as e:
        raise L10nError(f"{path}: unreadable zip archive: {one_line(e)}") from e
    if not isinstance(metadata, dict):
        raise L10nError(f"{path}: {top}/metadata.json is not a JSON object")
    _check_metadata(path, top, metadata)
    return top, metadata


def _check_ratio(path: Path, what: str, unpacked: int, packed: int) -> None:
    """Refuse a member (or archive) that unpacks far beyond its packed size: a zip bomb."""
    if unpacked > RATIO_FREE_BYTES and unpacked > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise L10nError(
            f"{path}: refusing {what}: it unpacks to {human_size(unpacked)} from {human_size(packed)} "
            f"(more than {MAX_COMPRESSION_RATIO}:1, a zip bomb?)"
        )


def _check_unpackedhuman_size(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise L10nError(
            f"{path}: refusing the archive: it unpacks to {human_size(unpacked)}, "
            f"more than the limit of {human_size(MAX_UNPACKED_BYTES)}"
        )
    _check_ratio(path, "the archive", unpacked, sum(info.compress_size for info in infos))


def _check_metadata(path: Path, top: str, metadata: dict) -> None:
    """Refuse metadata whose codes or version are not plain names (they end up in paths and lookups)."""
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not value:
            raise L10nError(f"{path}: {top}/metadata.json has no {key}")
        if not _LANGUAGE_CODE.match(value):
            raise L10nError(
                f"{path}: {top}/metadata.json: bad {key} {value!r} (a language code such as de, pt_BR or zh_Hant)"
            )
    version = metadata.get("package_version", "")
    if not isinstance(version, str) or (version and not _VERSION.match(version)):
        raise L10nError(f"{path}: {top}/metadata.json: bad package_version {version!r} (a version such as 1.9)")
    if metadata.get("type", "translate") != "translate":
        raise L10nError(f"{path}: not a translation package (type {metadata.get('type')!r})")


def extract(path: Path, staging: Path) -> None:
    """Unpack the checked archive into ``staging``, stopping when a member gives more bytes than it declared."""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                parts = [p for p in info.filename.split("/") if p not in ("", ".")]
                if not parts:
                    continue
                dest = staging.joinpath(*parts)
                if info.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with zf.open(info) as src, open(dest, "xb") as out:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        written += len(block)
                        if written > info.file_size:  # zipfile stops there itself; should it ever not
                            raise L10nError(
                                f"{path}: refusing member {info.filename!r}: "
                                f"it unpacks to more than the {human_size(info.file_size)} it declares"
                            )
                        out.write(block)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError) as e:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise L10nError(f"{path}: cannot install: {one_line(e)}") from e
