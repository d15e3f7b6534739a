"""The dependencies of the routers: the open store (through its one writer, the
:class:`~talkover.web.service.StoreService`), the reviews, the settings, and a recording's
manifest row."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from talkover.store import RecordingRow, is_valid_uri
from talkover.web.errors import ApiError
from talkover.web.reviews import ReviewRegistry
from talkover.web.service import StoreService

__all__ = ["get_service", "get_reviews", "get_settings", "get_row", "Service", "Reviews",
           "Row"]


def get_service(request: Request) -> StoreService:
    """The store, opened when the app started (:mod:`talkover.web.app`)."""
    return request.app.state.service


def get_reviews(request: Request) -> ReviewRegistry:
    return request.app.state.reviews


def get_settings(request: Request):  # noqa: ANN201 - talkover.web.app.AppSettings
    return request.app.state.settings


def get_row(
    service: Annotated[StoreService, Depends(get_service)],
    id: Annotated[str, Path(description="The recording's uri")],
) -> RecordingRow:
    """The manifest row of recording ``id``; 404 when there is none."""
    if not is_valid_uri(id):
        raise ApiError(404, f"no recording {id!r}")
    row = service.call(lambda store, runner: store.get(id))
    if row is None:
        raise ApiError(404, f"no recording {id!r}")
    return row


Service = Annotated[StoreService, Depends(get_service)]
Reviews = Annotated[ReviewRegistry, Depends(get_reviews)]
Row = Annotated[RecordingRow, Depends(get_row)]
