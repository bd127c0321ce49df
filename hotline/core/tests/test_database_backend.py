"""CI runs the suite once per database; this proves each run used the database it meant to.

`.ci/run` sets HOTLINE_EXPECT_DATABASE to `sqlite` or `postgresql`, so a misconfigured CI
cannot run SQLite twice and call it a PostgreSQL pass.
"""

import os

import pytest
from django.db import connection

SUPPORTED = {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_the_database_in_use_is_the_expected_one() -> None:
    expected = os.environ.get("HOTLINE_EXPECT_DATABASE")
    if expected is not None and expected not in SUPPORTED:
        pytest.fail(f"HOTLINE_EXPECT_DATABASE={expected!r}; use one of {sorted(SUPPORTED)}")
    assert connection.vendor in ({expected} if expected else SUPPORTED)


@pytest.mark.django_db
def test_the_server_answers_as_its_vendor() -> None:
    # A query, not only the configured engine: the connection really reaches that server.
    query = "SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
    with connection.cursor() as cursor:
        cursor.execute(query)
        row = cursor.fetchone()
    assert row is not None
    if connection.vendor == "postgresql":
        assert str(row[0]).startswith("PostgreSQL")
    else:
        assert str(row[0]).startswith("3.")
