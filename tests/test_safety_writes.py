"""Writes that survive what happens to real files: other editors, kills, full disks, odd charsets.

Each test names the item of the issue it guards. The modules of l10n are
imported inside the tests, so that a missing name fails that test alone.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from support import run_l10n, snapshot

DEEPSEEK = "open-source-ki-deepseek"
PO = Path("locales/en/LC_MESSAGES") / f"{DEEPSEEK}.po"
POT = Path("locales/templates") / f"{DEEPSEEK}.pot"
ARTICLE = Path("source") / f"{DEEPSEEK}.txt"
OURS = re.compile(r"\.l10n-\d+-[0-9a-f]{8}\.(tmp|bak)\Z")


def _error_line(proc) -> str:
    """The one error line of a failed command (exit 1, no traceback, nothing else on stderr)."""
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("l10n: error: "), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    return lines[0].removeprefix("l10n: error: ")


def _litter(*folders: Path) -> list[str]:
    """Temporaries and backups of ours left in ``folders``."""
    return [p.name for folder in folders if folder.is_dir() for p in folder.iterdir() if OURS.search(p.name)]


def _add_sentence(project: Path) -> None:
    """Change the article so that extract writes its template and its catalog."""
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    heading = "Was macht DeepSeek anders?\n"  # the end of the article is a teaser that skip rules drop
    assert heading in text
    path.write_text(text.replace(heading, heading + "\nEin ganz neuer Satz steht hier.\n", 1), encoding="utf-8")


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _forget_swept() -> None:
    """run_l10n runs in this process: forget the folders an earlier command swept."""
    from l10n import fsutil

    getattr(fsutil, "_swept", set()).clear()


def _chattr_works(path: Path) -> bool:
    """Whether ``chattr +i`` can make a file here immutable (root, a file system that has the flag)."""
    if shutil.which("chattr") is None:
        return False
    probe = path / "chattr-probe"
    probe.write_bytes(b"x")
    ok = subprocess.run(["chattr", "+i", str(probe)], capture_output=True).returncode == 0
    if ok:
        try:
            with open(probe, "ab"):
                pass
            ok = False  # root writes to it anyway: the flag does nothing here
        except OSError:
            pass
        subprocess.run(["chattr", "-i", str(probe)], capture_output=True)
    probe.unlink()
    return ok


@pytest.fixture
def immutable(tmp_path):
    """``immutable(path)`` sets ``chattr +i`` on path (skips where that does not work); cleared afterwards."""
    if not _chattr_works(tmp_path):
        pytest.skip("chattr +i does not work here (needs root and a file system with the flag)")
    marked: list[Path] = []

    def mark(path: Path) -> None:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        marked.append(path)

    yield mark
    for path in reversed(marked):
        subprocess.run(["chattr", "-i", str(path)], check=True)


# ------------------------------------------------------------------ item 1: the catalog store


def _translators_edit(path: Path, reviewed_msgid: str, empty_msgid: str) -> None:
    """What a translator's editor does: change a reviewed translation, review an empty one; polib rewraps."""
    po = polib.pofile(str(path))
    po.find(reviewed_msgid).msgstr = "Changed by the translator."
    po.find(empty_msgid).msgstr = "Reviewed by the translator."
    po.save()


def _store_setup(sample: Path):
    from l10n.po import format_catalog, read_catalog

    path = sample / PO
    po = read_catalog(path)
    live = [e for e in po if not e.obsolete and e.msgid and not e.msgid_plural]
    reviewed, empty, ours = live[1], live[2], live[3]
    empty.msgstr = ""
    path.write_bytes(format_catalog(po).encode("utf-8"))
    return path, reviewed.msgid, empty.msgid, ours.msgid


def _with_our_change(po: polib.POFile, msgid: str) -> bytes:
    """This command's own change: a note on one entry."""
    from l10n.po import format_catalog

    po.find(msgid).comment = "l10n: our note"
    return format_catalog(po).encode("utf-8")


def test_store_rebases_onto_what_a_translator_saved_meanwhile(sample):
    """Item 1: a catalog saved by a person during the run is handed to rebase, not overwritten."""
    from l10n import store
    from l10n.po import read_catalog

    path, reviewed, empty, ours = _store_setup(sample)
    tracked = store.read(path)
    our_bytes = _with_our_change(read_catalog(path), ours)
    _translators_edit(path, reviewed, empty)
    theirs = path.read_bytes()
    calls = []

    def rebase(current):
        calls.append(current)
        return _with_our_change(current, ours)

    saved = store.save(sample, [store.Change(tracked, our_bytes, rebase)])

    assert len(calls) == 1
    current = calls[0]
    assert current.find(reviewed).msgstr == "Changed by the translator."
    assert current.find(empty).msgstr == "Reviewed by the translator."
    assert saved.merged == [path]
    assert path in saved.written
    assert path.read_bytes() == _with_our_change(current, ours) != theirs
    now = read_catalog(path)
    assert now.find(reviewed).msgstr == "Changed by the translator."
    assert now.find(empty).msgstr == "Reviewed by the translator."
    assert now.find(ours).comment == "l10n: our note"
    assert _litter(path.parent) == []


def test_store_writes_without_rebase_when_nobody_changed_the_file(sample):
    """Item 1: an untouched catalog gets this command's bytes; rebase is not called."""
    from l10n import store
    from l10n.po import read_catalog

    path, _reviewed, _empty, ours = _store_setup(sample)
    tracked = store.read(path)
    our_bytes = _with_our_change(read_catalog(path), ours)
    calls = []

    saved = store.save(sample, [store.Change(tracked, our_bytes, lambda current: calls.append(current))])

    assert calls == []
    assert saved.merged == []
    assert saved.written == [path]
    assert path.read_bytes() == our_bytes


# ------------------------------------------------------------------ item 3: charset of the header


def test_utf8_file_under_latin1_header_is_refused(sample):
    """Item 3: UTF-8 bytes under charset=ISO-8859-1 stop extract and status; the file is not rewritten."""
    path = sample / PO
    data = path.read_bytes()
    assert "’".encode() in data and "ü".encode() in data  # reviewed msgstrs and msgids with UTF-8 characters
    data = data.replace(b"charset=UTF-8", b"charset=ISO-8859-1")
    path.write_bytes(data)
    line = data[:data.index(b"charset=")].count(b"\n") + 1
    before = snapshot(sample)

    for command in ("extract", "status"):
        message = _error_line(run_l10n(command, cwd=sample, check=False))
        assert message.startswith(f"{PO.as_posix()}:{line}: the header declares charset ISO-8859-1, "
                                  "but the file is UTF-8"), (command, message)
        assert snapshot(sample) == before, command


def _reviewed(po) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in po if e.msgid and not e.obsolete and e.msgstr and not e.fuzzy}


def _convert_check(sample: Path, rel: Path, charset: str, codec: str) -> None:
    """Save ``rel`` in ``codec`` under ``charset``; extract reads it right and writes it back as UTF-8."""
    from l10n.po import read_catalog

    path = sample / rel
    expected = _reviewed(read_catalog(path))
    assert expected and any(not s.isascii() for s in expected.values())
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", f"charset={charset}")
    path.write_bytes(text.encode(codec))
    assert not path.read_bytes().isascii()

    proc = run_l10n("extract", cwd=sample, check=False)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    converted = [line for line in proc.stdout.splitlines() if "now written as UTF-8" in line]
    assert len(converted) == 1 and rel.as_posix() in converted[0], proc.stdout
    data = path.read_bytes()
    data.decode("utf-8")
    assert b"charset=UTF-8" in data and charset.encode() not in data
    after = read_catalog(path)
    assert _reviewed(after) == expected
    assert not any(e.fuzzy for e in after if e.msgid in expected)


def test_genuine_latin1_catalog_is_read_and_converted_to_utf8(sample):
    """Item 3: a real ISO-8859-1 catalog keeps its reviewed translations and is written as UTF-8."""
    from l10n.po import format_catalog, read_catalog

    (sample / "source" / "gruesse.txt").write_text(
        "Grüße aus München\n\nDie Straße ist schön. Die Mädchen gehen über die Brücke.\n", encoding="utf-8")
    run_l10n("extract", cwd=sample)
    rel = Path("locales/en/LC_MESSAGES/gruesse.po")
    po = read_catalog(sample / rel)
    translations = {"Grüße aus München": "Greetings from München",
                    "Die Straße ist schön.": "The street is très belle.",
                    "Die Mädchen gehen über die Brücke.": "The girls cross the bridge to the café."}
    for entry in po:
        if entry.msgid:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    (sample / rel).write_bytes(format_catalog(po).encode("utf-8"))
    assert _reviewed(read_catalog(sample / rel)) == translations

    _convert_check(sample, rel, "ISO-8859-1", "latin-1")


def test_genuine_windows1252_catalog_is_read_and_converted_to_utf8(sample):
    """Item 3: the sample's reviewed catalog saved as Windows-1252 (’ “ „ — are in it) comes back as UTF-8."""
    _convert_check(sample, PO, "windows-1252", "cp1252")


# ------------------------------------------------------------------ item 11: the translate journal


def _row(signature: str, source: str, target: str, confidence: float) -> bytes:
    return (json.dumps({"e": signature, "s": source, "t": target, "c": confidence}, ensure_ascii=False)
            + "\n").encode("utf-8")


def test_journal_cut_inside_a_character_loads_the_valid_rows(tmp_path):
    """Item 11: a row cut in the middle of a multi-byte character is skipped; rows around it load."""
    from l10n.mt.journal import Journal as _Journal

    sig = "argos de→en; beam 2; int8"
    cut = _row(sig, "Die Straße ist schön.", "The street is beautiful.", 0.5)
    cut = cut[:cut.index("ß".encode()) + 1]  # the first of the two bytes of ß
    path = tmp_path / ".l10n" / "translate-journal.jsonl"
    path.parent.mkdir()
    path.write_bytes(_row(sig, "Grüße", "Greetings", 0.9) + _row("other engine", "Grüße", "Hi", 0.1)
                     + _row(sig, "Äpfel", "Apples", 0.8) + cut + b"\n"
                     + _row(sig, "Brücke", "bridge", 0.7))

    known = _Journal(path).load(sig)

    assert known == {"Grüße": ("Greetings", 0.9), "Äpfel": ("Apples", 0.8), "Brücke": ("bridge", 0.7)}


def test_journal_append_after_a_cut_row_starts_a_new_line(tmp_path):
    """Item 11: the next run appends after the cut row; what it appends is readable."""
    from l10n.mt.journal import Journal as _Journal

    sig = "argos de→en; beam 2; int8"
    cut = _row(sig, "Die Mädchen", "The girls", 0.5)
    cut = cut[:cut.index("ä".encode()) + 1]
    path = tmp_path / "translate-journal.jsonl"
    path.write_bytes(_row(sig, "Grüße", "Greetings", 0.9) + cut)

    journal = _Journal(path)
    journal.append(sig, [("Brücke", "bridge", 0.75), ("Straße", "street", 0.5)])
    journal.close()

    assert _Journal(path).load(sig) == {"Grüße": ("Greetings", 0.9), "Brücke": ("bridge", 0.75),
                                        "Straße": ("street", 0.5)}


# ------------------------------------------------------------------ item 15: temporaries of killed runs


def test_temporaries_of_a_dead_process_are_swept(sample):
    """Item 15: extract and publish remove our temporaries and backups of a process that is gone, nothing else."""
    dead, alive = _dead_pid(), os.getpid()
    catalogs, public = sample / PO.parent, sample / "public" / "en"
    public.mkdir(parents=True)
    stale, kept = [], []
    for folder, name in ((catalogs, f"{DEEPSEEK}.po"), (public, f"{DEEPSEEK}.txt")):
        stale += [folder / f".{name}.l10n-{dead}-0123abcd.tmp", folder / f".{name}.l10n-{dead}-deadbeef.bak"]
        kept += [folder / f".{name}.l10n-{alive}-cafef00d.tmp", folder / f".{name}.tmp", folder / "notes.tmp",
                 folder / f"{name}.l10n-{dead}-0123abcd.tmp"]  # no leading dot: not a name of ours
    for path in stale + kept:
        path.write_bytes(b"half a file")
    _add_sentence(sample)
    _forget_swept()

    extracted = run_l10n("extract", cwd=sample)
    run_l10n("publish", cwd=sample)

    assert PO.as_posix() in extracted.stdout
    assert (public / f"{DEEPSEEK}.txt").is_file()
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []
    for path in kept:
        path.unlink()  # ours of a live process: the sweep of a later run decides
    assert _litter(catalogs, public, sample / POT.parent) == []


# ------------------------------------------------------------------ item 16: the state folder's .gitignore


def test_empty_gitignore_of_the_state_folder_is_repaired(sample):
    """Item 16: a 0-byte .l10n/.gitignore (a full disk) is written again, by extract and by state_dir."""
    ignore = sample / ".l10n" / ".gitignore"
    ignore.parent.mkdir()
    ignore.write_bytes(b"")

    run_l10n("extract", cwd=sample)

    assert ignore.read_bytes() == b"*\n"

    from l10n import fsutil

    for broken in (b"", b"*"):
        ignore.write_bytes(broken)
        assert fsutil.state_dir(sample) == sample / ".l10n"
        assert ignore.read_bytes() == b"*\n"
    assert _litter(ignore.parent) == []


# ------------------------------------------------------------------ item 17: all-or-nothing batches


def _batch_targets(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "out"
    folder.mkdir()
    targets = [folder / "a.pot", folder / "b.po", folder / "c.po"]
    for path in targets:
        path.write_bytes(f"old {path.name}\n".encode())
    return targets


def _assert_nothing_changed(message: str, target: Path, before: dict, folder: Path) -> None:
    assert "\n" not in message
    assert message.startswith(f"{target}: ")
    assert "no file was changed" in message
    assert ".tmp" not in message and ".bak" not in message
    assert snapshot(folder) == before
    assert _litter(folder, target) == []


def test_batch_with_a_directory_as_last_target_changes_nothing(tmp_path):
    """Item 17: the last target is a non-empty directory: the files before it keep their bytes."""
    from l10n.errors import L10nError
    from l10n.fsutil import atomic_write_many

    targets = _batch_targets(tmp_path)
    last = targets[-1]
    last.unlink()
    last.mkdir()
    (last / "inside").write_bytes(b"keep")
    before = snapshot(tmp_path)

    with pytest.raises(L10nError) as caught:
        atomic_write_many([(path, f"new {path.name}\n".encode()) for path in targets])

    _assert_nothing_changed(str(caught.value), last, before, tmp_path)


def test_batch_with_an_immutable_last_target_is_rolled_back(tmp_path, immutable):
    """Item 17: the first renames succeed, the last fails: the first are undone."""
    from l10n.errors import L10nError
    from l10n.fsutil import atomic_write_many

    targets = _batch_targets(tmp_path)
    inodes = [p.stat().st_ino for p in targets]
    immutable(targets[-1])
    before = snapshot(tmp_path)

    with pytest.raises(L10nError) as caught:
        atomic_write_many([(path, f"new {path.name}\n".encode()) for path in targets])

    _assert_nothing_changed(str(caught.value), targets[-1], before, tmp_path)
    assert [p.stat().st_ino for p in targets] == inodes  # the very files, put back


def _extract_with_unreplaceable_catalog(sample: Path) -> str:
    _add_sentence(sample)
    before = snapshot(sample / "locales")
    proc = run_l10n("extract", cwd=sample, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert snapshot(sample / "locales") == before  # the template was not replaced either
    assert _litter(sample / PO.parent, sample / POT.parent) == []
    message = _error_line(proc)
    assert message.startswith(f"{PO.as_posix()}: "), message
    assert "no file was changed" in message and ".tmp" not in message and ".bak" not in message
    return message


def test_extract_is_all_or_nothing_when_the_catalog_cannot_be_replaced(sample, monkeypatch):
    """Item 17: the rename of the catalog fails after the template's: the template is put back."""
    target = (sample / PO).resolve()
    replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):
        if Path(dst).resolve() == target:
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(src))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    message = _extract_with_unreplaceable_catalog(sample)
    assert os.strerror(errno.EIO) in message


def test_extract_is_all_or_nothing_with_an_immutable_catalog(sample, immutable):
    """Item 17: the same with a real failure: the catalog is chattr +i."""
    immutable(sample / PO)
    _extract_with_unreplaceable_catalog(sample)


# ------------------------------------------------------------------ item 18: errors name the target


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs, mounted for the test (skips where mounting is not allowed)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_full_disk_error_names_the_target(tiny_disk):
    """Item 18: ENOSPC says which file could not be written, and leaves no temporary."""
    from l10n.errors import L10nError
    from l10n.fsutil import atomic_write

    target = tiny_disk / "x.po"
    target.write_bytes(b"old\n")
    with open(tiny_disk / "filler", "wb", buffering=0) as f:
        with pytest.raises(OSError) as full:
            while True:
                f.write(b"\0" * 4096)
    assert full.value.errno == errno.ENOSPC

    with pytest.raises(L10nError) as caught:
        atomic_write(target, b"new\n" * 8192)

    message = str(caught.value)
    assert message.startswith(f"{target}: ")
    assert "No space left on device" in message
    assert ".tmp" not in message
    assert target.read_bytes() == b"old\n"
    assert sorted(os.listdir(tiny_disk)) == ["filler", "x.po"]


def test_permission_error_names_the_target_not_a_temporary(tmp_path, immutable):
    """Item 18: a folder where no file can be created: the message names the file to write."""
    from l10n.errors import L10nError
    from l10n.fsutil import atomic_write

    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "x.po"
    target.write_bytes(b"old\n")
    immutable(folder)

    with pytest.raises(L10nError) as caught:
        atomic_write(target, b"new\n")

    message = str(caught.value)
    assert message.startswith(f"{target}: ")
    assert os.strerror(errno.EPERM) in message
    assert ".tmp" not in message
    assert target.read_bytes() == b"old\n"
    assert os.listdir(folder) == ["x.po"]


# ------------------------------------------------------------------ item 20: the obsolete count


def test_obsolete_entries_that_come_back_give_no_negative_count(sample):
    """Item 20: sentences removed, then restored: the second summary has no negative count."""
    from l10n.po import read_catalog

    article = sample / ARTICLE
    original = article.read_text(encoding="utf-8")
    gone = [line for line in original.splitlines() if line.startswith(("Anders als ChatGPT", "Im Gegensatz dazu"))]
    assert len(gone) == 2
    reviewed_before = _reviewed(read_catalog(sample / PO))
    article.write_text("\n".join(line for line in original.splitlines() if line not in gone) + "\n",
                       encoding="utf-8")

    first = run_l10n("extract", cwd=sample)
    made = re.search(r"(-?\d+) entries made obsolete", first.stdout)
    assert made and int(made[1]) >= 3, first.stdout  # three sentences in two paragraphs
    obsolete = {e.msgid for e in read_catalog(sample / PO) if e.obsolete}
    assert len(obsolete) == int(made[1])

    article.write_text(original, encoding="utf-8")
    second = run_l10n("extract", cwd=sample)

    assert not re.search(r"-\d+ entr", second.stdout), second.stdout
    assert "made obsolete" not in second.stdout, second.stdout
    po = read_catalog(sample / PO)
    back = {e.msgid: e for e in po if e.msgid in obsolete}
    assert set(back) == obsolete
    assert not any(e.obsolete for e in back.values())
    assert {m: e.msgstr for m, e in back.items()} == {m: reviewed_before[m] for m in obsolete}
