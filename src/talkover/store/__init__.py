"""The store: one folder holding many recordings' analyses (manifest, JSON, Parquet tables).

>>> from talkover.store import Store  # doctest: +SKIP
>>> with Store.open("corpus-store", readonly=True) as store:  # doctest: +SKIP
...     events = store.frames(["events"])["events"]

See :mod:`talkover.store.store` for the layout and its guarantees, and docs/batch.md.
"""

from talkover.store.manifest import (
    STATUSES,
    Kind,
    Manifest,
    RecordingRow,
    Status,
    Timings,
)
from talkover.store.store import (
    FORMAT_VERSION,
    MARKER,
    CommittedResult,
    Repair,
    Store,
    StoreError,
)
from talkover.store.tables import TABLES
from talkover.store.uris import check_uri, is_valid_uri, unique_uri, uri_from_stem

__all__ = [
    "Store",
    "StoreError",
    "Repair",
    "CommittedResult",
    "Manifest",
    "RecordingRow",
    "Status",
    "Kind",
    "Timings",
    "STATUSES",
    "TABLES",
    "MARKER",
    "FORMAT_VERSION",
    "check_uri",
    "is_valid_uri",
    "unique_uri",
    "uri_from_stem",
]
