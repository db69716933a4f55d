"""Pages of a list, with the page number bounded: a number past the end gives an
empty page, one past :data:`MAX_PAGE` (or not a number) a 422, never a query the
database cannot run."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
"""Beyond any list Shafaf keeps (a national register is 20 million rows, 100 a page)."""


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)
