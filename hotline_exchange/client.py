"""The HTTP side of the exchange: reading a hotline's hash list and its deltas as a member."""

from dataclasses import dataclass, fields
from typing import Any

import httpx

USER_AGENT = "hotline-exchange (python-threatexchange)"
TIMEOUT_SECONDS = 120.0


class HotlineFetchError(Exception):
    """The hotline answered something other than the list: the message says what."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class HotlineAuthError(HotlineFetchError):
    """The hotline refused the member key (unknown, revoked, or without the list's scope)."""


@dataclass(frozen=True)
class HotlineHashEntry:
    """One entry of the hash list as the hotline publishes it (stable `id`, hashes, grade)."""

    id: str
    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    pdq: str | None = None
    category: str | None = None
    age_band: str | None = None
    sex: str | None = None
    self_generated: bool | None = None
    commercial: bool | None = None
    ai_generated: bool | None = None
    interpol_baseline: bool | None = None
    industry: str | None = None
    added_in: int | None = None

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> "HotlineHashEntry":
        known = {field.name for field in fields(cls)}
        values = {name: value for name, value in entry.items() if name in known}
        return cls(**(values | {"id": str(entry["id"])}))


@dataclass(frozen=True)
class ListChanges:
    """A version of the list, with its entries (`None` for an entry the version removed)."""

    version: int
    entries: dict[str, HotlineHashEntry | None]


class HotlineListClient:
    """Reads one list of one hotline with one member key."""

    def __init__(self, base_url: str, key: str, list_name: str = "hashes") -> None:
        self.list_name = list_name
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/api/v1/lists/",
            headers={"Authorization": f"Bearer {key}", "User-Agent": USER_AGENT},
            timeout=TIMEOUT_SECONDS,
        )

    def full(self) -> ListChanges:
        """The latest version of the list, every entry."""
        return self._changes(self._get(self.list_name, {"format": "json"}))

    def since(self, version: int) -> ListChanges:
        """What changed after `version`: additions, and removals as `None`."""
        path = f"{self.list_name}/delta"
        try:
            return self._changes(self._get(path, {"since": str(version), "format": "json"}))
        except HotlineFetchError as error:
            if error.status != 400:
                raise
            # The hotline does not know the version held (its database was restored, say).
            raise HotlineFetchError(
                f"{error}; `threatexchange fetch --clear` then `fetch` reads the whole list again",
                error.status,
            ) from error

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            response = self._http.get(path, params=params)
        except httpx.HTTPError as error:
            raise HotlineFetchError(f"cannot reach the hotline: {error}") from error
        if response.status_code in (401, 403):
            raise HotlineAuthError(_detail(response), response.status_code)
        if response.status_code != 200:
            status = response.status_code
            raise HotlineFetchError(f"HTTP {status}: {_detail(response)}", status)
        body = response.json()
        if not isinstance(body, dict) or not isinstance(body.get("entries"), list):
            raise HotlineFetchError("the hotline's answer is not a list")
        return body

    @staticmethod
    def _changes(body: dict[str, Any]) -> ListChanges:
        entries: dict[str, HotlineHashEntry | None] = {}
        for entry in body["entries"]:
            removed = entry.get("op") == "remove"
            entries[str(entry["id"])] = None if removed else HotlineHashEntry.from_json(entry)
        return ListChanges(int(body["version"]), entries)


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail) if detail else response.reason_phrase
