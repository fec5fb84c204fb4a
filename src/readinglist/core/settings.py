"""Small user settings (theme, last export path, last import folder) kept in a JSON file,
written atomically."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

__all__ = ["Settings"]

log = logging.getLogger(__name__)


class Settings:
    """A JSON object on disk; unreadable files are ignored rather than fatal."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        self._write_lock = threading.Lock()
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
        """Remember ``value`` and write the file (when it changed)."""
        if self.remember(key, value):
            self.save()

    def remember(self, key: str, value: Any) -> bool:
        """Remember ``value`` without writing; True if it changed (``save`` writes it)."""
        if self._values.get(key) == value:
            return False
        self._values = {**self._values, key: value}  # a writer in a thread reads a whole dict
        return True

    def save(self) -> None:
        """Write every value to the file; safe from any thread (the app writes in a worker)."""
        from .files import write_atomically  # with ``secrets``, 3 ms start-up does without

        with self._write_lock:
            try:
                write_atomically(self.path, json.dumps(self._values, indent=2))
            except OSError as error:
                log.warning("could not save settings %s: %s", self.path, error)
