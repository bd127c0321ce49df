"""The SQL statements of filing a report, written out by hand.

Filing a report is the one write the public can make hundreds of times a second, and on its
path the ORM cost more than the database: Model.save() spent about a millisecond of CPU building
one INSERT, and F()/Least()/Greatest() another for the counting UPDATE. Every value is passed as
a parameter; only table and column names from the models and SQL keywords are formatted in.
"""

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import DateTimeField, Field

from hotline.intake.models import Report, ReportedUrl, ReportingSource, Url
from hotline.intake.submission import SubmittedUrl

MAX_SOURCE_WEIGHT = 32767
REPORT_COUNT_CAP = 100

_REPORT_FIELDS = [field for field in Report._meta.concrete_fields if not field.primary_key]
_REPORT = Report._meta.db_table
_URL = Url._meta.db_table
_LINK = ReportedUrl._meta.db_table

_REPORT_COLUMNS = ", ".join(field.column for field in _REPORT_FIELDS)

_INSERT_REPORT = (
    f"INSERT INTO {_REPORT} ({_REPORT_COLUMNS})"  # noqa: S608
    f" VALUES ({', '.join(['%s'] * len(_REPORT_FIELDS))}) RETURNING id"
)
_NEW_URL_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
_INSERT_NEW_URLS = (
    f"INSERT INTO {_URL}"  # noqa: S608
    " (canonical, canonical_hash, host, state, report_count, source_count, source_weight,"
    " priority, first_reported_at, last_reported_at, capture_requested_at) VALUES {rows}"
    " ON CONFLICT (canonical_hash) DO NOTHING RETURNING id, canonical_hash"
)
_INSERT_LINKS = f"INSERT INTO {_LINK} (report_id, url_id, submitted) VALUES {{rows}}"  # noqa: S608
# PostgreSQL files the usual report, one address never seen before, in one statement: the url
# if it is new, then the report and its link only if it was. Committed on its own, it costs one
# round trip instead of five (BEGIN, three INSERTs, COMMIT), each of which made the report wait
# for its thread to get the GIL back. The casts type the report's values, which a SELECT would
# otherwise read as text.
_INSERT_IF_NEW_URL = (
    f"WITH new_url AS ({_INSERT_NEW_URLS.format(rows=_NEW_URL_ROW)}),"  # noqa: S608
    f" new_report AS (INSERT INTO {_REPORT} ({_REPORT_COLUMNS})"
    " SELECT {casts} FROM new_url RETURNING id),"
    f" link AS (INSERT INTO {_LINK} (report_id, url_id, submitted)"
    " SELECT new_report.id, new_url.id, %s FROM new_report CROSS JOIN new_url)"
    " SELECT id FROM new_report"
)
_LOCK_URLS = (
    f"SELECT id, canonical_hash FROM {_URL}"  # noqa: S608
    " WHERE canonical_hash IN ({hashes}) ORDER BY canonical_hash{lock}"
)
_NAMED_BEFORE = (
    # The links of these urls first, then their reports: joined the other way round, as the
    # planner chose while the statistics of a young table were thin, PostgreSQL read every
    # public report for each repeated url.
    f"WITH link AS MATERIALIZED (SELECT url_id, report_id FROM {_LINK}"  # noqa: S608
    " WHERE url_id IN ({ids}))"
    f" SELECT DISTINCT link.url_id FROM link JOIN {_REPORT} AS report"
    " ON report.id = link.report_id WHERE {same_source}"
)


def insert_report_and_new_urls(
    report: Report, ordered: Sequence[SubmittedUrl], weight: int
) -> dict[str, int]:
    """Insert the report and the urls not yet known, and link the report to those; give the
    report its id. Returns the ids of the urls created, by canonical hash.

    A url created here is counted once by this report (the values repeat what counting a new url
    gives, Url.compute_priority()) and has its capture requested.
    """
    url_rows = ", ".join([_NEW_URL_ROW] * len(ordered))
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_REPORT, _report_values(report))
        report.pk = cursor.fetchone()[0]
        cursor.execute(
            _INSERT_NEW_URLS.format(rows=url_rows),
            _new_url_values(ordered, report.received_at, weight),
        )
        created = {canonical_hash: pk for pk, canonical_hash in cursor.fetchall()}
    link_urls(report, [item for item in ordered if item.canonical_hash in created], created)
    _mark_saved(report)
    return created


def insert_report_if_new_url(report: Report, url: SubmittedUrl, weight: int) -> bool:
    """On PostgreSQL, file a report of one address in one statement if the address is new, and
    give the report its id; False, with nothing written, if the address was known."""
    values = [*_new_url_values([url], report.received_at, weight), *_report_values(report)]
    with connection.cursor() as cursor:
        cursor.execute(_insert_if_new_url_sql(), [*values, url.submitted])
        row = cursor.fetchone()
    if row is None:
        return False
    report.pk = row[0]
    _mark_saved(report)
    return True


@cache
def _insert_if_new_url_sql() -> str:
    casts = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in _REPORT_FIELDS)
    return _INSERT_IF_NEW_URL.format(casts=casts)


def _report_values(report: Report) -> list[Any]:
    return [_column_value(report, field) for field in _REPORT_FIELDS]


def _mark_saved(report: Report) -> None:
    report._state.adding = False
    report._state.db = connection.alias


def _column_value(report: Report, field: Field[Any, Any]) -> Any:
    value = getattr(report, field.attname)
    if isinstance(field, DateTimeField):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _new_url_values(ordered: Sequence[SubmittedUrl], now: datetime, weight: int) -> list[Any]:
    first = Url(report_count=1, source_count=1, source_weight=min(weight, MAX_SOURCE_WEIGHT))
    when = connection.ops.adapt_datetimefield_value(now)
    capture_requested = when if settings.HOTLINE_CAPTURE_ON_REPORT else None
    values: list[Any] = []
    for item in ordered:
        values += [item.canonical.url, item.canonical_hash, item.canonical.host, first.state]
        values += [first.report_count, first.source_count, first.source_weight]
        values += [first.compute_priority(), when, when, capture_requested]
    return values


def link_urls(report: Report, urls: Sequence[SubmittedUrl], url_ids: dict[str, int]) -> None:
    """One row per address as submitted, linked to its canonical url, in one INSERT."""
    if not urls:
        return
    values: list[Any] = []
    for item in urls:
        values += [report.pk, url_ids[item.canonical_hash], item.submitted]
    rows = ", ".join(["(%s, %s, %s)"] * len(urls))
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_LINKS.format(rows=rows), values)


def lock_urls(hashes: list[str]) -> list[tuple[int, str]]:
    """Lock these urls in hash order; the id and hash of each."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    placeholders = ", ".join(["%s"] * len(hashes))
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_URLS.format(hashes=placeholders, lock=lock), hashes)
        return [(pk, canonical_hash) for pk, canonical_hash in cursor.fetchall()]


def named_before(url_ids: Collection[int], source: ReportingSource | None) -> set[int]:
    """The urls this source named in an earlier report; the public counts as one source.

    A query of its own, after the rows are locked, so that it sees every report committed
    while this one waited for the lock.
    """
    if not url_ids:
        return set()
    same_source = "report.source_id IS NULL" if source is None else "report.source_id = %s"
    placeholders = ", ".join(["%s"] * len(url_ids))
    values = [*url_ids] if source is None else [*url_ids, source.pk]
    with connection.cursor() as cursor:
        cursor.execute(_NAMED_BEFORE.format(ids=placeholders, same_source=same_source), values)
        return {pk for (pk,) in cursor.fetchall()}


def count_one_more_report(url_ids: list[int], now: datetime, weight: int, new_source: bool) -> None:
    """One UPDATE counting one more report on each url, computed from the current values.

    The priority repeats Url.compute_priority() over the new values, because an UPDATE reads
    every column as it was before the statement.
    """
    placeholders = ", ".join(["%s"] * len(url_ids))
    values = [
        int(new_source),
        weight,
        connection.ops.adapt_datetimefield_value(now),
        REPORT_COUNT_CAP,
        int(new_source),
        weight,
        *url_ids,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(connection.vendor).format(ids=placeholders), values)


@cache
def _count_sql(vendor: str) -> str:
    least, greatest = ("MIN", "MAX") if vendor == "sqlite" else ("LEAST", "GREATEST")
    weight = f"{least}(source_weight + %s, {MAX_SOURCE_WEIGHT})"
    return (
        f"UPDATE {_URL} SET"  # noqa: S608
        " report_count = report_count + 1,"
        " source_count = source_count + %s,"
        f" source_weight = {weight},"
        f" last_reported_at = {greatest}(last_reported_at, %s),"
        f" priority = {least}(report_count + 1, %s)"
        f" + 10 * {greatest}(source_count + %s - 1, 0) + {weight}"
        " WHERE id IN ({ids})"
    )
