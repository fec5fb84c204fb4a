"""Where a library lives: a SQLite file, or a PostgreSQL database named by a URL.

The URL may carry a password; it is kept only to connect and is never shown. Every
message names the library by ``display``, which masks the password, and
``scrub`` removes it from any text a driver hands back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["LibraryLocation", "is_postgres_url"]

_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_postgres_url(value: str) -> bool:
    scheme, separator, _rest = value.partition("://")
    return bool(separator) and scheme.lower() in _POSTGRES_SCHEMES


@dataclass(frozen=True)
class LibraryLocation:
    """A library file (``path``) or a PostgreSQL URL (``url``, password included)."""

    path: Path | None = None
    url: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, value: str | Path) -> LibraryLocation:
        text = str(value)
        if is_postgres_url(text):
            return cls(url=text)
        return cls(path=Path(text).expanduser())

    @property
    def is_postgres(self) -> bool:
        return self.url is not None

    @property
    def password(self) -> str | None:
        if self.url is None:
            return None
        password = urlsplit(self.url).password
        return unquote(password) if password else None

    @property
    def display(self) -> str:
        """The path, or the URL with any password replaced by ``***``."""
        if self.url is None:
            return str(self.path)
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        user = parts.username or ""
        host = parts.netloc.rpartition("@")[2]
        return parts._replace(netloc=f"{user}:***@{host}").geturl()

    def sqlalchemy_url(self) -> str:
        """The URL with the psycopg 3 driver named, as SQLAlchemy wants it."""
        assert self.url is not None
        _scheme, _sep, rest = self.url.partition("://")
        return f"postgresql+psycopg://{rest}"

    def scrub(self, text: str) -> str:
        """``text`` with the password (raw or URL-encoded) masked."""
        for secret in {self.password, urlsplit(self.url or "").password} - {None, ""}:
            text = text.replace(secret, "***")  # type: ignore[arg-type]
        return text

    def __str__(self) -> str:
        return self.display
