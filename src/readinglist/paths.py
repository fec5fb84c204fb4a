"""Where readinglist keeps its files: the library, the config, the backups.

``READINGLIST_HOME`` puts everything in one directory (tests and portable installs);
otherwise the platform's user data directory is used. Directories are made when a
path is asked for, never at import.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["config_file", "data_dir", "default_library", "sample_pages"]

APP_NAME = "readinglist"


def data_dir(*, create: bool = True) -> Path:
    """The folder for readinglist's files, made unless ``create`` is False."""
    home = os.environ.get("READINGLIST_HOME")
    if home:
        path = Path(home).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def config_file() -> Path:
    return data_dir() / "config.json"


def default_library() -> str:
    """``READINGLIST_DB`` if set (a file, or a ``postgresql://`` URL), else ``library.db``
    in the data directory. The folder is not made here: only a command that creates
    the library makes it."""
    override = os.environ.get("READINGLIST_DB")
    if override:
        return override
    return str(data_dir(create=False) / "library.db")


def sample_pages() -> list[Path]:
    """The bundled sample pages: inside the installed package, or in a source checkout."""
    from importlib import resources  # 10 ms that only ``demo`` pays

    packaged = Path(str(resources.files("readinglist"))) / "assets" / "samples"
    checkout = Path(__file__).resolve().parents[2] / "assets" / "samples"
    for folder in (packaged, checkout):
        pages = sorted(folder.glob("*.txt"))
        if pages:
            return pages
    return []
