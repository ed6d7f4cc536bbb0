"""Parts of pages rendered from the stored data, kept until the data changes.

Every write of what the pages show draws a new token (`DataVersion`): `programs.store` with
each write of years, and a program or department renamed or moved (`changed`, connected in
`apps.py`). A part is cached under the token, so the next request after a write renders it
anew, in every process and on every server: the token is read from the database, the parts
are kept in the default cache (Redis with CACHE_URL, each process's memory otherwise). What a
page shows of the day stays outside the cached part, as in `programs.sheets`.
"""

import hashlib
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from .models import DataVersion

# An entry of data since changed is never read again: let it go (Redis keeps no count).
TIMEOUT = 24 * 3600

T = TypeVar("T")


def version() -> str | None:
    """The data's token (one query); None where none is stored, and then nothing is cached."""
    return DataVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def bump() -> None:
    """A new token, written in the caller's transaction: it is read with the data it names."""
    token = secrets.token_hex(16)
    if not DataVersion.objects.filter(pk=1).update(token=token):
        DataVersion.objects.create(pk=1, token=token)


def changed(sender, instance, created: bool = False, **kwargs) -> None:
    """A program or department saved or deleted: the pages show their names. A new one is
    shown only with its years, whose write draws a token."""
    if not created:
        bump()


def cached(token: str | None, name: str, key: tuple, make: Callable[[], T]) -> T:
    """`make()`, kept under the data's `token`, the language, `name` and `key`."""
    if token is None:
        return make()
    digest = hashlib.sha256(repr((get_language(), *key)).encode()).hexdigest()
    full = f"{name}:{token}:{digest}"
    value = cache.get(full)
    if value is None:
        value = make()
        cache.set(full, value, TIMEOUT)
    return value
