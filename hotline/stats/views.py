"""The statistics a manager publishes: a page of figures and charts, and a CSV download."""

import csv
from collections.abc import Iterable, Iterator
from itertools import chain
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from hotline.accounts.access import manager_required
from hotline.audit.log import record
from hotline.stats import presentation, removal_presentation
from hotline.stats.figures import all_measures, current_year, first_year, year_figures
from hotline.stats.forms import YearForm
from hotline.stats.removal import LEAGUE_HEADER, league_rows, removal_figures
from hotline.stats.removal import measures as removal_measures

CSV_HEADER = ("period", "measure", "group", "value")
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@manager_required
def overview(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET)
    figures = year_figures(form.chosen_year())
    record("stats.viewed", actor=request.user, detail={"year": figures.year})
    context = {
        "form": form,
        "figures": figures,
        "years": range(current_year(), min(first_year(), figures.year) - 1, -1),
        "headlines": presentation.headlines(figures),
        "history": [(item.year, item.tally) for item in reversed(figures.history)],
        "monthly_chart": presentation.monthly_chart(figures),
        "sections": presentation.breakdown_sections(figures),
        "removal_headlines": removal_presentation.headlines(removal_figures(figures.year)),
    }
    return render(request, "stats/overview.html", context)


# The decorator's bound names HttpResponse; a streamed response is its sibling class.
@manager_required
def export(request: HttpRequest) -> HttpResponseBase:
    """The year's figures as one tidy CSV; a bad year goes back to the page, which explains."""
    form = YearForm(request.GET)
    if form.is_bound and not form.is_valid():
        query = urlencode({"year": request.GET.get("year", "")})
        return redirect(f"{reverse('stats:overview')}?{query}")
    figures = year_figures(form.chosen_year())
    record("stats.exported", actor=request.user, detail={"year": figures.year})
    rows = chain([CSV_HEADER], all_measures(figures))
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    filename = f"hotline-statistics-{figures.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Line:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([_inert(cell) for cell in row])


def _inert(cell: object) -> object:
    """Text that a spreadsheet would take for a formula (a source's name) is quoted."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


@manager_required
def removal(request: HttpRequest) -> HttpResponse:
    """Time to removal for the year: headlines, distribution, providers and countries."""
    form = YearForm(request.GET)
    figures = removal_figures(form.chosen_year())
    record("stats.removal_viewed", actor=request.user, detail={"year": figures.year})
    context = {
        "form": form,
        "figures": figures,
        "years": range(current_year(), min(first_year(), figures.year) - 1, -1),
        "headlines": removal_presentation.headlines(figures),
        "charts": removal_presentation.group_charts(figures),
    }
    return render(request, "stats/removal.html", context)


@manager_required
def removal_export(request: HttpRequest) -> HttpResponseBase:
    """Time-to-removal figures as tidy CSV, or (`?table=league`) the provider league table."""
    figures = removal_figures(YearForm(request.GET).chosen_year())
    league = request.GET.get("table") == "league"
    record(
        "stats.removal_exported",
        actor=request.user,
        detail={"year": figures.year, "table": "league" if league else "measures"},
    )
    if league:
        rows = chain([LEAGUE_HEADER], league_rows(figures))
        filename = f"hotline-provider-league-{figures.year}.csv"
    else:
        rows = chain([CSV_HEADER], removal_measures(figures))
        filename = f"hotline-time-to-removal-{figures.year}.csv"
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
