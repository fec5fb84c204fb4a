"""A throwaway PostgreSQL cluster for a test run: a temporary folder, a Unix socket in it,
trust authentication, fsync off. Used by ``.ci/run`` and, when no server is given, by
the tests themselves. Standard library only, so CI can start it before any install.

    python -m tests.pg_cluster start FOLDER   # prints the URL of an empty database
    python -m tests.pg_cluster stop FOLDER
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

DATABASE = "readinglist_test"
ROLE = "readinglist"


def bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: $PG_BIN, Debian's versioned folder, or $PATH."""
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    found = shutil.which("initdb")
    candidates.append(str(Path(found).parent) if found else "")
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _version(folder: str) -> int:
    try:
        return int(Path(folder).parent.name)
    except ValueError:
        return 0


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; CI runs as root, so hand over to 'postgres'."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str]) -> None:
    """Run a server tool; if it fails, say which and what it printed, in one message."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip().replace("\n", " | ")
        raise RuntimeError(f"{' '.join(command)}: {output}")


def start(folder: Path) -> str:
    binaries = bin_dir()
    if binaries is None:
        raise RuntimeError("PostgreSQL's initdb was not found (install Debian's postgresql)")
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    initdb = [str(binaries / "initdb"), "-D", str(data), "-U", ROLE, "-A", "trust", "-E", "UTF8"]
    initdb += ["--locale=C.UTF-8", "--no-sync"]
    _run(_as_server_user(initdb))
    options = (
        f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    pg_ctl = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options]
    pg_ctl += ["-l", str(folder / "server.log"), "-w", "-t", "60", "start"]
    _run(_as_server_user(pg_ctl))
    createdb = [str(binaries / "createdb"), "-h", str(folder), "-U", ROLE, DATABASE]
    _run(createdb)
    return f"postgresql://{ROLE}@/{DATABASE}?host={folder}"


def stop(folder: Path) -> None:
    binaries = bin_dir()
    if binaries is None or not (folder / "data").exists():
        return
    subprocess.run(
        _as_server_user(
            [str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"]
        ),
        check=False,
        capture_output=True,
    )


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    else:
        stop(where)
