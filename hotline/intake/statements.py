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

_INSERT_REPORT = (
    f"INSERT INTO {_REPORT} ({', '.join(field.column for field in _REPORT_FIELDS)})"  # noqa: S608
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
# PostgreSQL runs the three INSERTs of a report of new urls as one statement: one round trip
# instead of three, each of which made the report wait for a core on a busy machine.
_INSERT_ALL = (
    f"WITH new_report AS ({_INSERT_REPORT}), new_url AS ({_INSERT_NEW_URLS}),"  # noqa: S608
    f" link AS (INSERT INTO {_LINK} (report_id, url_id, submitted)"
    " SELECT new_report.id, new_url.id, submitted.address"
    " FROM new_report CROSS JOIN new_url JOIN (VALUES {submitted})"
    " AS submitted (canonical_hash, address)"
    " ON submitted.canonical_hash = new_url.canonical_hash)"
    " SELECT new_report.id, new_url.id, new_url.canonical_hash"
    " FROM new_report LEFT JOIN new_url ON TRUE"
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
    report_values = [_column_value(report, field) for field in _REPORT_FIELDS]
    url_values = _new_url_values(ordered, report.received_at, weight)
    url_rows = ", ".join([_NEW_URL_ROW] * len(ordered))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            created = _insert_all(cursor, report, ordered, report_values + url_values, url_rows)
        else:
            cursor.execute(_INSERT_REPORT, report_values)
            report.pk = cursor.fetchone()[0]
            cursor.execute(_INSERT_NEW_URLS.format(rows=url_rows), url_values)
            created = {canonical_hash: pk for pk, canonical_hash in cursor.fetchall()}
            link_urls(report, [item for item in ordered if item.canonical_hash in created], created)
    report._state.adding = False
    report._state.db = connection.alias
    return created


def _insert_all(
    cursor: Any, report: Report, ordered: Sequence[SubmittedUrl], values: list[Any], rows: str
) -> dict[str, int]:
    submitted = ", ".join(["(%s, %s)"] * len(ordered))
    for item in ordered:
        values += [item.canonical_hash, item.submitted]
    cursor.execute(_INSERT_ALL.format(rows=rows, submitted=submitted), values)
    results = cursor.fetchall()
    report.pk = results[0][0]
    return {canonical_hash: pk for _report, pk, canonical_hash in results if pk is not None}


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
