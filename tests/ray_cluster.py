"""A Ray cluster on this machine for the tests and benchmarks: ``ray start --head --block`` in a short temporary folder.

Ray's Unix sockets live in that folder, and their paths have a length
limit, hence a short folder of its own rather than pytest's. The cluster is
stopped by ending that ``ray start`` process, which stops the processes it
started; ``ray stop`` would stop every Ray cluster of this machine, another
test run's too. Argos, which creates its folders when a worker imports it,
is pointed below the temporary folder, not at the home folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

STARTED = "Ray runtime started"  # what ray start prints once the cluster is up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalCluster:
    """``with LocalCluster(cpus=2) as cluster:`` a running cluster at ``cluster.address`` (host:port).

    ``cluster.client_address`` is its Ray Client address (``ray://host:port``).
    """

    def __init__(self, cpus: int = 2):
        self.cpus = cpus
        self.temp = ""
        self.address = self.client_address = ""
        self._head: subprocess.Popen | None = None

    def __enter__(self) -> LocalCluster:
        self.temp = tempfile.mkdtemp(prefix="ray", dir="/tmp" if os.path.isdir("/tmp") else None)
        env = dict(os.environ, **{name: os.path.join(self.temp, name.lower())
                                  for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")})
        port, client_port = free_port(), free_port()
        log = Path(self.temp) / "ray-start.log"  # a file, not a pipe: nothing blocks when nobody reads it
        with open(log, "wb") as out:
            self._head = subprocess.Popen(
                ["ray", "start", "--head", "--block", f"--port={port}", f"--num-cpus={self.cpus}",
                 f"--temp-dir={self.temp}", "--include-dashboard=false", "--disable-usage-stats",
                 f"--ray-client-server-port={client_port}", f"--dashboard-agent-listen-port={free_port()}"],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while STARTED not in log.read_text(errors="replace"):
            if self._head.poll() is not None or time.monotonic() > deadline:
                output = log.read_text(errors="replace")
                self.__exit__()
                raise RuntimeError("ray start failed:\n" + output)
            time.sleep(0.1)
        self.address, self.client_address = f"127.0.0.1:{port}", f"ray://127.0.0.1:{client_port}"
        return self

    def __exit__(self, *exc) -> None:
        import ray

        ray.shutdown()  # this process's connection, if it made one
        self._head.terminate()
        self._head.wait(timeout=60)
        deadline = time.monotonic() + 30
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.2)
        left = self.processes()
        shutil.rmtree(self.temp, ignore_errors=True)
        if left:
            raise RuntimeError(f"Ray processes left behind: {left}")

    def processes(self) -> list[int]:
        """The processes whose command line or environment names the cluster's folder (its workers' too)."""
        found = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if self.temp.encode() in (proc / "cmdline").read_bytes() + (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
        return found
