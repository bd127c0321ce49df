"""Pages of a list read with one row to spare instead of a COUNT, however long the list."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.http import HttpRequest

Row = TypeVar("Row")
# Nine digits is far beyond any real list and keeps the OFFSET a database accepts.
MAX_PAGE_DIGITS = 9


@dataclass(frozen=True)
class Page(Generic[Row]):
    number: int
    rows: list[Row]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number(request: HttpRequest) -> int | None:
    """The `page` parameter, 1 when absent, None when it is not a page number."""
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        return None
    return int(raw)
