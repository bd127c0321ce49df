from datetime import UTC, date, datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from hotline.assessment.vocabulary import AgeBand, AssessmentStatus, Category, Outcome, Sex
from hotline.intake.models import SourceKind, WhereSeen
from hotline.stats.figures import all_measures, current_year, first_year, year_figures
from hotline.stats.tests.builders import (
    confirmed_grade,
    make_assessment,
    make_report,
    make_source,
    make_url,
    reported_and_assessed,
)

pytestmark = pytest.mark.django_db


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def month_of(figures, month: int):
    return figures.months[month - 1].tally


def groups(figures, measure: str) -> dict[str, int]:
    return {group.code: group.value for group in figures.breakdown(measure).groups}


@override_settings(TIME_ZONE="Europe/London")
def test_a_report_late_on_the_last_day_of_a_summer_month_counts_in_the_next_local_month():
    make_report(utc(2025, 8, 31, 23, 30))  # 00:30 on 1 September in London
    make_report(utc(2025, 8, 31, 22, 59))  # 23:59 on 31 August in London

    figures = year_figures(2025)

    assert month_of(figures, 8).reports == 1
    assert month_of(figures, 9).reports == 1


@override_settings(TIME_ZONE="Europe/London")
def test_a_report_late_on_new_years_eve_in_utc_belongs_to_the_local_year():
    make_report(utc(2024, 12, 31, 23, 30))  # still 2024 in London (GMT)
    make_report(utc(2025, 12, 31, 23, 59))

    figures = year_figures(2025)

    assert figures.totals.reports == 1
    assert month_of(figures, 12).reports == 1
    assert figures.previous.reports == 1


@override_settings(TIME_ZONE="Pacific/Auckland")
def test_months_follow_whatever_time_zone_the_hotline_is_in():
    make_report(utc(2025, 3, 31, 12, 0))  # already 1 April in Auckland

    figures = year_figures(2025)

    assert month_of(figures, 3).reports == 0
    assert month_of(figures, 4).reports == 1


@override_settings(TIME_ZONE="Europe/London")
def test_an_assessment_counts_in_the_local_month_it_was_decided(analyst):
    url = make_url(utc(2025, 5, 20))
    make_report(utc(2025, 5, 20), urls=(url,))
    make_assessment(url, analyst, utc(2025, 6, 30, 23, 30), **confirmed_grade())

    figures = year_figures(2025)

    assert month_of(figures, 6).assessed == 0
    assert month_of(figures, 7).assessed == 1
    assert month_of(figures, 7).confirmed == 1
    assert month_of(figures, 5).reports == 1


def test_assessments_awaiting_confirmation_disputed_or_overruled_do_not_count(analyst):
    when = utc(2025, 4, 10, 12)
    open_statuses = (AssessmentStatus.AWAITING_CONFIRMATION, AssessmentStatus.DISPUTED)
    for status in open_statuses:
        make_assessment(make_url(when), analyst, None, status=status, **confirmed_grade())
    overruled_url = make_url(when)
    make_assessment(
        overruled_url, analyst, when, status=AssessmentStatus.OVERRULED, **confirmed_grade()
    )
    make_assessment(overruled_url, analyst, when, outcome=Outcome.NOT_ILLEGAL)

    figures = year_figures(2025)

    assert figures.totals.assessed == 1
    assert figures.totals.confirmed == 0
    assert groups(figures, "urls_assessed_by_outcome")[Outcome.NOT_ILLEGAL] == 1
    assert sum(groups(figures, "urls_confirmed_by_category").values()) == 0


def test_urls_confirmed_are_those_whose_final_outcome_is_confirmed(analyst):
    when = utc(2025, 2, 3, 9)
    reported_and_assessed(when, analyst, **confirmed_grade(self_generated=True))
    reported_and_assessed(when, analyst, **confirmed_grade())
    reported_and_assessed(when, analyst, **confirmed_grade())
    reported_and_assessed(when, analyst, outcome=Outcome.UNREACHABLE)

    figures = year_figures(2025)

    assert month_of(figures, 2).assessed == 4
    assert month_of(figures, 2).confirmed == 3
    assert month_of(figures, 2).self_generated == 1
    assert figures.totals.self_generated_share == pytest.approx(1 / 3)


def test_self_generated_share_is_none_when_nothing_was_confirmed():
    figures = year_figures(2025)

    assert figures.totals.self_generated_share is None


def test_grade_breakdowns_list_every_group_in_vocabulary_order(analyst):
    when = utc(2025, 3, 1, 12)
    reported_and_assessed(when, analyst, **confirmed_grade(age_band=AgeBand.AGE_7_10, sex=Sex.BOYS))
    reported_and_assessed(
        when, analyst, **confirmed_grade(age_band=AgeBand.AGE_0_2, category=Category.A)
    )

    figures = year_figures(2025)

    assert list(groups(figures, "urls_confirmed_by_age_band").items()) == [
        ("0-2", 1), ("3-6", 0), ("7-10", 1), ("11-13", 0), ("14-15", 0), ("16-17", 0),
    ]  # fmt: skip
    assert groups(figures, "urls_confirmed_by_sex") == {
        "girls": 1, "boys": 1, "both": 0, "unidentifiable": 0,
    }  # fmt: skip
    assert groups(figures, "urls_confirmed_by_category") == {"A": 1, "B": 0, "C": 1}


def test_a_confirmed_url_without_an_age_band_is_shown_as_not_recorded(analyst):
    reported_and_assessed(utc(2025, 3, 1, 12), analyst, **confirmed_grade(age_band=""))

    breakdown = year_figures(2025).breakdown("urls_confirmed_by_age_band")

    assert breakdown.groups[-1].code == "not_recorded"
    assert breakdown.groups[-1].value == 1
    assert breakdown.total == 1


def test_flags_count_confirmed_urls_and_shares_are_of_all_confirmed(analyst):
    when = utc(2025, 7, 7, 7)
    flags = {"self_generated": True, "commercial": True, "ai_generated": True}
    reported_and_assessed(when, analyst, **confirmed_grade(**flags))
    reported_and_assessed(when, analyst, **confirmed_grade(commercial=True))
    reported_and_assessed(when, analyst, outcome=Outcome.OFF_REMIT)

    breakdown = year_figures(2025).breakdown("urls_confirmed_by_flag")

    counts = {group.code: group.value for group in breakdown.groups}
    assert counts == {"self_generated": 1, "commercial": 2, "ai_generated": 1}
    assert breakdown.share_base == 2


def test_outcomes_cover_every_final_assessment(analyst):
    when = utc(2025, 9, 9, 9)
    for outcome in (Outcome.NPI, Outcome.NPI, Outcome.OFF_REMIT):
        reported_and_assessed(when, analyst, outcome=outcome)
    reported_and_assessed(when, analyst, **confirmed_grade())

    counts = groups(year_figures(2025), "urls_assessed_by_outcome")

    assert counts == {
        "confirmed": 1, "npi": 2, "not_illegal": 0, "off_remit": 1, "unreachable": 0,
    }  # fmt: skip


def test_reports_without_a_source_are_the_publics():
    platform = make_source("Example Video Platform", SourceKind.PLATFORM)
    police = make_source("Example Police Unit", SourceKind.POLICE)
    when = utc(2025, 10, 1, 12)
    for source in (None, None, None, platform, platform, police):
        make_report(when, source=source)

    figures = year_figures(2025)

    assert groups(figures, "reports_received_by_source_kind") == {
        "public": 3, "partner_hotline": 0, "platform": 2, "police": 1, "other": 0,
    }  # fmt: skip
    by_source = figures.breakdown("reports_received_by_source").groups
    assert [(group.label, group.value) for group in by_source] == [
        ("Public", 3),
        ("Example Video Platform", 2),
        ("Example Police Unit", 1),
    ]


def test_a_confirmed_url_counts_once_for_each_kind_of_source_that_reported_it(analyst):
    video = make_source("Example Video Platform", SourceKind.PLATFORM)
    social = make_source("Example Social Network", SourceKind.PLATFORM)
    when = utc(2025, 11, 2, 10)
    url = make_url(when)
    for source in (None, None, video, social):
        make_report(when, source=source, urls=(url,))
    make_assessment(url, analyst, when, **confirmed_grade())
    reported_and_assessed(when, analyst, source=video, outcome=Outcome.NOT_ILLEGAL)

    breakdown = year_figures(2025).breakdown("urls_confirmed_by_source_kind")

    counts = {group.code: group.value for group in breakdown.groups}
    assert counts == {"public": 1, "partner_hotline": 0, "platform": 1, "police": 0, "other": 0}
    assert breakdown.share_base == 1


def test_reports_by_where_seen_list_every_place():
    when = utc(2025, 1, 15, 15)
    for where in (WhereSeen.CHAT, WhereSeen.CHAT, WhereSeen.ONLINE_GAME):
        make_report(when, where_seen=where)

    counts = groups(year_figures(2025), "reports_received_by_where_seen")

    assert list(counts) == WhereSeen.values
    assert counts[WhereSeen.CHAT] == 2
    assert counts[WhereSeen.ONLINE_GAME] == 1
    assert counts[WhereSeen.WEB_PAGE] == 0


def test_breakdowns_cover_only_the_chosen_year(analyst):
    reported_and_assessed(utc(2024, 6, 1, 12), analyst, **confirmed_grade())
    reported_and_assessed(utc(2025, 6, 1, 12), analyst, outcome=Outcome.NPI)

    figures = year_figures(2025)

    assert groups(figures, "urls_assessed_by_outcome")["confirmed"] == 0
    assert groups(figures, "reports_received_by_source_kind")["public"] == 1


def test_the_year_on_year_summary_holds_five_years_oldest_first(analyst):
    reported_and_assessed(utc(2021, 6, 1, 12), analyst, **confirmed_grade())
    reported_and_assessed(utc(2024, 6, 1, 12), analyst, **confirmed_grade())
    make_report(utc(2024, 7, 1, 12))
    make_report(utc(2025, 7, 1, 12))

    figures = year_figures(2025)

    assert [item.year for item in figures.history] == [2021, 2022, 2023, 2024, 2025]
    assert [item.tally.reports for item in figures.history] == [1, 0, 0, 2, 1]
    assert figures.previous.confirmed == 1
    assert figures.totals.confirmed == 0


def test_the_year_on_year_summary_starts_with_the_previous_year_when_nothing_is_older():
    make_report(utc(2025, 7, 1, 12))

    figures = year_figures(2025)

    assert [(item.year, item.tally.reports) for item in figures.history] == [(2024, 0), (2025, 1)]


def test_a_past_year_has_twelve_months_and_this_year_stops_at_this_month():
    this_year = year_figures(current_year())

    assert len(year_figures(2025).months) == 12
    assert [month.month for month in year_figures(2024).months][:2] == [
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]
    assert len(this_year.months) == timezone.localdate().month


def test_the_first_year_is_that_of_the_oldest_report():
    assert first_year() == current_year()

    make_report(utc(2019, 5, 5, 5))

    assert first_year() == 2019


def test_the_number_of_queries_does_not_grow_with_the_data(analyst, django_assert_max_num_queries):
    platform = make_source("Example Video Platform")
    for month in range(1, 13):
        for day in (3, 17):
            when = utc(2025, month, day, 12)
            reported_and_assessed(when, analyst, source=platform, **confirmed_grade())
            reported_and_assessed(when, analyst, outcome=Outcome.NOT_ILLEGAL)

    with django_assert_max_num_queries(6):
        figures = year_figures(2025)

    assert figures.totals.reports == 48
    assert figures.totals.confirmed == 24


def test_all_measures_are_tidy_rows_of_period_measure_group_value(analyst):
    reported_and_assessed(utc(2025, 3, 3, 3), analyst, **confirmed_grade(self_generated=True))

    rows = list(all_measures(year_figures(2025)))

    assert ("2025-03", "reports_received", "all", 1) in rows
    assert ("2025-03", "urls_confirmed_self_generated", "all", 1) in rows
    assert ("2025-04", "urls_confirmed", "all", 0) in rows
    assert ("2025", "urls_confirmed", "all", 1) in rows
    assert ("2025", "urls_confirmed_by_age_band", "11-13", 1) in rows
    assert ("2025", "reports_received_by_source", "public", 1) in rows
    assert all(len(row) == 4 for row in rows)
