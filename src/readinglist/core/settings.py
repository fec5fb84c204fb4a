"""Small user settings (theme, last export path) kept in a JSON file, written atomically."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from .files import write_atomically

__all__ = ["Settings"]

log = logging.getLogger(__name__)


class Settings:
    """A JSON object on disk; unreadable files are ignored rather than fatal."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._values = loaded
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable settings %s: %s", path, error)

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        if self._values.get(key) == value:
            return
        self._values[key] = value
        try:
            write_atomically(self.path, json.dumps(self._values, indent=2))
        except OSError as error:
            log.warning("could not save settings %s: %s", self.path, error)
