"""Recording uris: the unique, filesystem-safe name of each recording in a store.

A uri names the recording's files (``analyses/<uri>.json``, ``tables/<table>/<uri>.parquet``),
so it is never a user's text taken as a path: it is made of letters, digits, ``_``, ``-`` and
``.``, starts with a letter or digit, has at most :data:`MAX_URI_LENGTH` characters and
:data:`MAX_URI_BYTES` bytes in UTF-8 (file names are limited to 255 bytes, and a uri's file adds
an extension and, while it is written, a temporary suffix), and no two uris of a store differ
only in case (case-insensitive file systems would mix them up).

>>> uri_from_stem("Interview 3 (final)")
'Interview_3_final'
>>> is_valid_uri("../etc/passwd"), is_valid_uri("call-02.b")
(False, True)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container

__all__ = [
    "MAX_URI_BYTES",
    "MAX_URI_LENGTH",
    "check_uri",
    "is_valid_uri",
    "uri_from_stem",
    "unique_uri",
]

MAX_URI_LENGTH = 120
MAX_URI_BYTES = 180
_VALID = re.compile(r"^[^\W_][\w.-]*$")
_UNSAFE = re.compile(r"[^\w.-]+")


def is_valid_uri(uri: str) -> bool:
    return (
        0 < len(uri) <= MAX_URI_LENGTH
        and len(uri.encode("utf-8", "surrogatepass")) <= MAX_URI_BYTES
        and _VALID.match(uri) is not None
        and not uri.endswith((".", ".staged"))
        and ".tmp-" not in uri
    )


def check_uri(uri: str) -> str:
    """``uri`` when valid.

    Raises
    ------
    ValueError
        Naming the uri and the rule.
    """
    if not is_valid_uri(uri):
        raise ValueError(
            f"{uri!r} is not a valid recording uri: use letters, digits, '_', '-' and '.', "
            f"starting with a letter or digit (at most {MAX_URI_LENGTH} characters and "
            f"{MAX_URI_BYTES} bytes in UTF-8)"
        )
    return uri


def uri_from_stem(stem: str) -> str:
    """A valid uri made from a file stem: unsafe characters become ``_`` (runs of them one),
    leading and trailing ``_.-`` are dropped, long stems are cut (to whole characters);
    ``recording`` when nothing is left.

    >>> len(uri_from_stem("会議" * 100).encode()) <= MAX_URI_BYTES
    True
    """
    uri = _cut(_UNSAFE.sub("_", stem).strip("_.-"), MAX_URI_LENGTH, MAX_URI_BYTES)
    uri = uri.rstrip("_.-")
    uri = uri.removesuffix(".staged")
    return uri if is_valid_uri(uri) else "recording"


def unique_uri(stem: str, path: str, *, suffix: str, taken: Container[str]) -> str:
    """A uri for the file at ``path`` (stem ``stem``, extension ``suffix``) whose lower-case
    form is not in ``taken`` (which holds lower-case uris).

    In order: the stem's uri; the stem with the extension (``call.rttm`` beside ``call.wav``);
    the stem with the first 8 hex digits of the sha256 of the path. The same inputs and store
    give the same uris.

    >>> unique_uri("call", "/a/call.wav", suffix=".wav", taken=set())
    'call'
    >>> unique_uri("call", "/a/call.rttm", suffix=".rttm", taken={"call"})
    'call.rttm'
    """
    base = uri_from_stem(stem)
    digest = hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    candidates = [
        base,
        uri_from_stem(f"{stem}{suffix}") if suffix else base,
        f"{_cut(base, MAX_URI_LENGTH - 9, MAX_URI_BYTES - 9)}-{digest}",
    ]
    for uri in candidates:
        if uri.lower() not in taken:
            return uri
    n = 2
    while (uri := _numbered(base, digest, n)).lower() in taken:
        n += 1
    return uri


def _numbered(base: str, digest: str, n: int) -> str:
    tail = f"-{digest}-{n}"
    return f"{_cut(base, MAX_URI_LENGTH - len(tail), MAX_URI_BYTES - len(tail))}{tail}"


def _cut(text: str, max_chars: int, max_bytes: int) -> str:
    """The longest prefix of ``text`` with at most ``max_chars`` characters and ``max_bytes``
    bytes in UTF-8."""
    cut = text[:max_chars].encode("utf-8", "surrogatepass")[:max_bytes]
    return cut.decode("utf-8", "ignore")  # a character cut in two is dropped whole
