"""Where a library lives: a SQLite file, or a PostgreSQL database named by a URL.

A PostgreSQL library is named by a URL (``postgresql://user@host/db?...``) or by
libpq's keyword form (``host=... dbname=... user=...``), which is turned into a URL.
Either may carry a password, in the URL's user part or as a ``password=`` (or
``sslpassword=``) parameter; it is kept only to connect and is never shown. Every
message names the library by ``display``, which masks the passwords, and ``scrub``
removes them from any text a driver hands back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

__all__ = ["LibraryLocation", "is_postgres_url", "libpq_keywords"]

_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
_SECRET_PARAMETER = re.compile(r"(?<=[?&])((?:ssl)?password)=([^&#]*)")
# libpq's connection keywords (PostgreSQL 17): a string of key=value pairs using only
# these is a connection string, as psql and every libpq program take it.
_LIBPQ_KEYWORDS = frozenset(
    """host hostaddr port dbname user password passfile require_auth channel_binding
    connect_timeout client_encoding options application_name fallback_application_name
    keepalives keepalives_idle keepalives_interval keepalives_count tcp_user_timeout
    replication gssencmode sslmode sslnegotiation requiressl sslcompression sslcert sslkey
    sslpassword sslcertmode sslrootcert sslcrl sslcrldir sslsni requirepeer
    ssl_min_protocol_version ssl_max_protocol_version krbsrvname gsslib gssdelegation
    service target_session_attrs load_balance_hosts""".split()  # noqa: SIM905
)
# One pair: key, optional spaces, "=", then a single-quoted value (\' and \\ escaped)
# or a bare one up to the next space. Each character is read once: linear time.
_PAIR = re.compile(r"\s*([A-Za-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|((?:[^\s'\\]|\\.)*))\s*")


def is_postgres_url(value: str) -> bool:
    scheme, separator, _rest = value.partition("://")
    return bool(separator) and scheme.lower() in _POSTGRES_SCHEMES


def libpq_keywords(value: str) -> dict[str, str] | None:
    """The pairs of a libpq keyword string (``host=db dbname=lab``); None if it is not one."""
    pairs: dict[str, str] = {}
    position = 0
    while position < len(value):
        match = _PAIR.match(value, position)
        if match is None or match.end() == position or match[1] not in _LIBPQ_KEYWORDS:
            return None
        raw = match[2] if match[2] is not None else match[3]
        pairs[match[1]] = re.sub(r"\\(.)", r"\1", raw)
        position = match.end()
    return pairs or None


def _keywords_to_url(pairs: dict[str, str]) -> str:
    """A keyword string as the URL libpq reads the same way: every pair a parameter."""
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in pairs.items())
    return f"postgresql:///?{query}"


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
        if isinstance(value, str) and (pairs := libpq_keywords(text)):
            return cls(url=_keywords_to_url(pairs))
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
    def secrets(self) -> set[str]:
        """Every password in the URL, as written and decoded."""
        if self.url is None:
            return set()
        found = {urlsplit(self.url).password or ""}
        found |= {value for _key, value in _SECRET_PARAMETER.findall(self.url)}
        found |= {unquote(secret) for secret in found}
        return found - {""}

    @property
    def display(self) -> str:
        """The path, or the URL with every password replaced by ``***``."""
        if self.url is None:
            return str(self.path)
        parts = urlsplit(self.url)
        shown = self.url
        if parts.password is not None:
            user = parts.username or ""
            host = parts.netloc.rpartition("@")[2]
            shown = parts._replace(netloc=f"{user}:***@{host}").geturl()
        return _SECRET_PARAMETER.sub(r"\1=***", shown)

    def libpq_url(self) -> str:
        """The URL as libpq reads it (without SQLAlchemy's ``+psycopg`` in the scheme)."""
        assert self.url is not None
        _scheme, _sep, rest = self.url.partition("://")
        return f"postgresql://{rest}"

    def scrub(self, text: str) -> str:
        """``text`` with the passwords (raw or URL-encoded) masked."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def __str__(self) -> str:
        return self.display
