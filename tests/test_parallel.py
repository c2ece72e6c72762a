"""Work spread over worker processes (l10n.parallel): the same results, in the same order, as one process."""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest

from l10n import parallel
from l10n.errors import L10nError
from support import big_project, run_l10n, snapshot

MANY = parallel.START_AFTER + 5 * parallel.CHUNK + 3  # enough for a pool, and a last chunk that is not full


def _pid_and_square(offset: int, value: int) -> tuple[int, int]:
    if value < 0:
        raise L10nError("article-77.txt: cannot read")
    return os.getpid(), offset + value * value


def test_results_come_in_order_and_values_pass_through_untouched():
    tasks = [(i % 5 != 0, i) for i in range(MANY)]
    results = list(parallel.ordered(tasks, _pid_and_square, 1000, jobs=2))
    for (todo, value), result in zip(tasks, results):
        assert result == ((result[0], 1000 + value * value) if todo else value)
    pids = {r[0] for (todo, _), r in zip(tasks, results) if todo}
    assert os.getpid() in pids and len(pids) > 1  # the first ones here, then workers


def test_one_job_keeps_all_the_work_in_this_process():
    results = list(parallel.ordered(((True, i) for i in range(MANY)), _pid_and_square, 0, jobs=1))
    assert {pid for pid, _ in results} == {os.getpid()}
    assert [square for _, square in results] == [i * i for i in range(MANY)]


def test_no_worker_is_forked_while_another_thread_runs():
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        results = list(parallel.ordered(((True, i) for i in range(MANY)), _pid_and_square, 0, jobs=2))
    finally:
        stop.set()
        other.join()
    assert {pid for pid, _ in results} == {os.getpid()}


def test_an_error_in_a_worker_reaches_the_caller_as_it_is():
    with pytest.raises(L10nError, match="^article-77.txt: cannot read$"):
        list(parallel.ordered(((True, i if i != MANY else -1) for i in range(MANY + 20)), _pid_and_square, 0, jobs=2))


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    """A project of many articles whose catalogs are translated: every third entry reviewed, the rest fuzzy,
    and a wrong number in some (findings for check)."""
    root = big_project(tmp_path_factory.mktemp("parallel") / "project", MANY + 10, 4)
    for path in sorted((root / "locales" / "en" / "LC_MESSAGES").glob("*.po")):
        po = polib.pofile(str(path))
        for i, entry in enumerate(po):
            entry.msgstr = entry.msgid.replace("Jahr 19", "year 20" if i % 4 else "year 19")
            if i % 3:
                entry.flags.append("fuzzy")
        po.save()
    return root


def _in_one_process(monkeypatch, *args: str, cwd: Path):
    monkeypatch.setattr(parallel, "START_AFTER", 10**9)
    try:
        return run_l10n(*args, cwd=cwd, check=False)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("args", [["publish"], ["publish", "--include-fuzzy", "--check"]])
def test_publish_writes_what_one_process_writes(reviewed: Path, monkeypatch, args):
    alone = _in_one_process(monkeypatch, *args, cwd=reviewed)
    pages = snapshot(reviewed / "public")
    spread = run_l10n(*args, cwd=reviewed, check=False)
    assert (spread.returncode, spread.stdout, snapshot(reviewed / "public")) == (alone.returncode, alone.stdout, pages)
    assert len(pages) == MANY + 10


@pytest.mark.parametrize("args", [["check"], ["check", "--json"]])
def test_check_finds_what_one_process_finds(reviewed: Path, monkeypatch, args):
    for cache in (reviewed / ".l10n").glob("check-cache.sqlite*"):
        cache.unlink()
    spread = run_l10n(*args, cwd=reviewed, check=False)  # nothing cached: the workers check every catalog
    alone = _in_one_process(monkeypatch, *args, cwd=reviewed)  # from the cache the first run filled
    assert spread.stdout.count("numbers") > MANY // 2
    assert (spread.returncode, spread.stdout) == (alone.returncode, alone.stdout)
    for cache in (reviewed / ".l10n").glob("check-cache.sqlite*"):
        cache.unlink()
    assert _in_one_process(monkeypatch, *args, cwd=reviewed).stdout == spread.stdout


def test_a_damaged_catalog_far_into_the_run_is_one_line_naming_it(reviewed: Path, tmp_path, monkeypatch):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(reviewed, project)
    late = sorted((project / "locales" / "en" / "LC_MESSAGES").glob("*.po"))[MANY]
    late.write_text(late.read_text(encoding="utf-8") + '\nmsgid "x"\n', encoding="utf-8")
    before = snapshot(project / "locales"), snapshot(project / "public")
    for command in (["publish"], ["check"], ["extract"]):
        spread = run_l10n(*command, cwd=project, check=False)
        alone = _in_one_process(monkeypatch, *command, cwd=project)
        assert spread.returncode == alone.returncode != 0
        assert spread.stderr == alone.stderr and late.name in spread.stderr, command
        assert len(spread.stderr.strip().splitlines()) == 1
    assert (snapshot(project / "locales"), snapshot(project / "public")) == before


def _index_of(project: Path) -> dict[str, list]:
    """What the memory index of ``project`` holds after a first load (the tables of pairs, units and words)."""
    from l10n.memory import index
    from l10n.project import Project

    memory = index.load(Project(project), "en")
    assert len(memory.reread) == MANY + 10  # every catalog read
    held = {table: sorted(memory._con.execute(f"SELECT * FROM {table}")) for table in ("pairs", "units", "words")}
    memory.close()
    return held


def test_the_memory_index_holds_what_one_process_puts_in(reviewed: Path, tmp_path, monkeypatch):
    import shutil

    from l10n.errors import L10nError

    one, many = tmp_path / "one", tmp_path / "many"
    shutil.copytree(reviewed, one, ignore=shutil.ignore_patterns(".l10n"))
    shutil.copytree(reviewed, many, ignore=shutil.ignore_patterns(".l10n"))
    spread = _index_of(many)  # the catalogs parsed by workers
    monkeypatch.setattr(parallel, "START_AFTER", 10**9)
    assert _index_of(one) == spread and len(spread["units"]) > MANY

    late = sorted((one / "locales" / "en" / "LC_MESSAGES").glob("*.po"))[MANY]
    late.write_text(late.read_text(encoding="utf-8") + '\nmsgid "x"\n', encoding="utf-8")
    with pytest.raises(L10nError, match=late.name) as alone:
        _index_of(one)
    monkeypatch.undo()
    shutil.copy(late, many / late.relative_to(one))
    with pytest.raises(L10nError) as in_workers:
        _index_of(many)
    assert str(in_workers.value) == str(alone.value).replace(str(one), str(many))


def _catalogs_without_dates(project: Path) -> dict[str, bytes]:
    return {name: b"\n".join(line for line in data.split(b"\n") if b"-Date: " not in line)
            for name, data in snapshot(project / "locales").items()}


def test_extract_makes_what_one_process_makes(reviewed: Path, tmp_path, monkeypatch):
    import shutil

    copies = []
    for name in ("spread", "alone"):
        copy = tmp_path / name / "project"  # the same name: the project's name is in its headers
        shutil.copytree(reviewed, copy)
        for i in (3, MANY):  # changed articles: their reviewed translations stay, new units come in
            article = copy / "source" / f"bericht-{i:03d}.txt"
            article.write_text(article.read_text(encoding="utf-8") + "\nEin neuer Satz.\n", encoding="utf-8")
        copies.append(copy)
    spread = run_l10n("extract", cwd=copies[0])
    alone = _in_one_process(monkeypatch, "extract", cwd=copies[1])
    assert spread.stdout == alone.stdout and "Ein neuer Satz." in (copies[0] / "locales" / "templates" /
                                                                  f"bericht-{MANY:03d}.pot").read_text("utf-8")
    assert _catalogs_without_dates(copies[0]) == _catalogs_without_dates(copies[1])
    for copy in copies:  # from scratch, too
        shutil.rmtree(copy / "locales")
        shutil.rmtree(copy / ".l10n")
    spread = run_l10n("extract", cwd=copies[0])
    alone = _in_one_process(monkeypatch, "extract", cwd=copies[1])
    assert spread.stdout == alone.stdout
    assert _catalogs_without_dates(copies[0]) == _catalogs_without_dates(copies[1])


def _slow_pid(_context, value: int) -> int:
    import time

    time.sleep(0.05)
    return os.getpid()


_DRIVER = """
import sys
from l10n import parallel
from test_parallel import _slow_pid
with open(sys.argv[1], "a") as out:
    for pid in parallel.ordered(((True, i) for i in range(10_000)), _slow_pid, None, jobs=2):
        print(pid, file=out, flush=True)
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_end_when_the_command_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    pids = tmp_path / "pids"
    tests = Path(__file__).parent
    proc = subprocess.Popen([sys.executable, "-c", _DRIVER, str(pids)], cwd=tests,
                            env=dict(os.environ, PYTHONPATH=str(tests)))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        seen = {int(line) for line in pids.read_text().split()} - {proc.pid} if pids.exists() else set()
        if len(seen) == 2:
            break
        time.sleep(0.1)
    assert len(seen) == 2, "no workers started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(map(_running, seen)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, seen)), "a worker outlived its command"
