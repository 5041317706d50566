"""A throwaway PostgreSQL cluster of the test's own, so a test can stop and start it without touching
the machine's shared server (or other tests using it)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.resilience.process import free_port


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise AssertionError("PostgreSQL server binaries are missing: run `apt-get install postgresql` "
                             "(bash .ci/run does it)")
    return Path(found[-1]).parent


def _as_postgres(command: list[str]) -> list[str]:
    # The server refuses to run as root; CI runs as root, so hand over to the postgres account.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class PrivatePostgres:
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([str(postgres_bin() / "pg_ctl"), "-D", str(self.data), *args]),
                       check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(_as_postgres([str(postgres_bin() / "initdb"), "-D", str(self.data), "-U", "postgres",
                                     "--auth=trust", "--no-sync"]), check=True, capture_output=True, timeout=120)
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._pg_ctl("-o", options, "-l", str(self.folder / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def private_postgres() -> PrivatePostgres:
    # Under /tmp rather than pytest's tmp_path: the postgres account must be able to reach the folder.
    folder = Path(f"/tmp/crowdbot-pg-{os.getpid()}-{free_port()}")
    return PrivatePostgres(folder, free_port())
