"""Dashboards, their downloads and the zicht page. Thin: the numbers come from services."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.services import AuditAction, audit_record
from baken.directory.models import Region
from baken.insight import services
from baken.insight.charts import svg
from baken.insight.dashboards import DASHBOARDS, Filters, zicht_chart
from baken.insight.forms import DashboardFilterForm, EstimateForm, ZichtFilterForm
from baken.lib.access import staff_required
from baken.lib.tables import as_csv, as_xlsx


def _own_region(request: HttpRequest) -> Region | None:
    if not isinstance(request.user, User):  # staff views: always a signed-in user
        return None
    organisation = request.user.organisation
    return organisation.region if organisation and organisation.region_id else None


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, Filters | None]:
    data = request.GET.copy()
    if "region" not in data and (region := _own_region(request)) is not None:
        data["region"] = str(region.pk)
    if not data.get("start") and not data.get("end"):
        default = services.Period.last_months(12, today=timezone.localdate())
        data["start"], data["end"] = f"{default.start:%Y-%m}", f"{default.end:%Y-%m}"
    form = DashboardFilterForm(data)
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    return form, Filters(
        period=cleaned["period"], region=cleaned["region"], form=cleaned["form"] or ""
    )


@staff_required("insight.view")
def index_view(request: HttpRequest) -> HttpResponse:
    return redirect("insight:dashboard", dashboard=next(iter(DASHBOARDS)))


@staff_required("insight.view")
def dashboard_view(request: HttpRequest, dashboard: str) -> HttpResponse:
    board = DASHBOARDS.get(dashboard)
    if board is None:
        raise Http404
    form, filters = _filters(request)
    charts = []
    if filters is not None:
        # svg() escapes every text it draws: the markup is safe to insert as it is.
        charts = [
            (chart, mark_safe(svg(chart)))  # nosec B308, B703 # svg() escapes its texts
            for chart in board.build(filters)
        ]
    return render(
        request,
        "insight/dashboard.html",
        {
            "dashboard": board,
            "dashboards": DASHBOARDS.values(),
            "form": form,
            "filters": filters,
            "charts": charts,
            "hidden_fields": [
                *([] if board.by_form else ["form"]),
                *([] if board.by_region else ["region"]),
            ],
            "query": request.GET.urlencode(),
            "refresh": services.figures_last_refresh(),
        },
        status=200 if filters is not None else 400,
    )


@staff_required("insight.view")
def download_view(request: HttpRequest, dashboard: str, chart: str, fmt: str) -> HttpResponse:
    """One chart's table as CSV or XLSX, with the same filters as the page it is on."""
    board = DASHBOARDS.get(dashboard)
    if board is None or fmt not in ("csv", "xlsx"):
        raise Http404
    form, filters = _filters(request)
    if filters is None:
        return _bad_filters(form)
    found = next((c for c in board.build(filters) if c.key == chart), None)
    if found is None:
        raise Http404
    period = filters.period
    return _table_download(
        found, f"{chart}-{period.start:%Y%m}-{period.end:%Y%m}", fmt, f"{dashboard}/{chart}"
    )


def _bad_filters(form) -> HttpResponse:
    return HttpResponse(
        "; ".join(str(e) for errors in form.errors.values() for e in errors),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _table_download(chart, name: str, fmt: str, what: str) -> HttpResponse:
    header, rows = chart.table()
    audit_record(
        action=AuditAction.EXPORT,
        object_type="insight.MonthlyFigure",
        object_id=what,
        fields=["(counts only)"],
        purpose="insight download",
    )
    filename = f"baken-{name}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(as_csv([header, *rows]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            as_xlsx([[chart.title], header, *rows], chart.key),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _zicht_table(request: HttpRequest) -> tuple[ZichtFilterForm, services.ZichtTable | None]:
    data = request.GET.copy()
    if "region" not in data:
        region = _own_region(request) or Region.objects.order_by("name").first()
        if region is not None:
            data["region"] = str(region.pk)
    if not data.get("year"):
        data["year"] = str(timezone.localdate().year)
    form = ZichtFilterForm(data)
    if not form.is_valid() or form.cleaned_data["region"] is None:
        return form, None
    year = form.cleaned_data["year"] or timezone.localdate().year
    return form, services.zicht_rows(region=form.cleaned_data["region"], year=year)


@staff_required("insight.view")
def zicht_view(request: HttpRequest) -> HttpResponse:
    form, table = _zicht_table(request)
    chart = zicht_chart(table) if table else None
    return render(
        request,
        "insight/zicht.html",
        {
            "form": form,
            "table": table,
            "chart": chart,
            "chart_svg": mark_safe(svg(chart)) if chart else "",  # nosec B308, B703 # svg() escapes
            "headline": _headline(table),
            "hidden_fields": [],
            "download_base": reverse("insight:zicht").rstrip("/"),
            "dashboards": DASHBOARDS.values(),
            "query": request.GET.urlencode(),
        },
        status=200 if form.is_valid() else 400,
    )


@staff_required("insight.view")
def zicht_download_view(request: HttpRequest, fmt: str) -> HttpResponse:
    form, table = _zicht_table(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if table is None:
        return _bad_filters(form)
    return _table_download(zicht_chart(table), f"zicht-{table.year}", fmt, "zicht")


def _headline(table: services.ZichtTable | None) -> dict | None:
    if table is None or table.region is None:
        return None
    zicht = table.region.zicht
    share = zicht.share_in_view
    if share is None:
        return None
    return {
        "name": table.region.name,
        "registered": zicht.registered,
        "estimated": round(zicht.estimated),
        "share": round(100 * share),
    }


@staff_required("insight.view")
def estimate_view(request: HttpRequest) -> HttpResponse:
    """MSE on the overlap of the region's signal sources; the overlap downloads as the CSV that
    ``baken estimate`` reads, so an analyst can take it further on the command line."""
    data = request.GET.copy()
    region = _own_region(request) or Region.objects.order_by("name").first()
    data.setdefault("year", str(timezone.localdate().year))
    data.setdefault("method", "stepwise")
    data.setdefault("bootstrap", "0")
    if region is not None:
        data.setdefault("region", str(region.pk))
    form = EstimateForm(data)
    table = result = None
    if form.is_valid():
        try:
            table, result = services.region_estimate(
                region=form.cleaned_data["region"],
                year=form.cleaned_data["year"],
                method=form.cleaned_data["method"],
                bootstrap=form.cleaned_data["bootstrap"],
            )
        except services.SearchTooLarge as error:
            form.add_error(
                "method",
                _(
                    "With %(lists)d sources there are too many models to try them all: "
                    "choose stepwise or downhill."
                )
                % {"lists": error.lists},
            )
            table = result = None
        if table is not None and request.GET.get("format") == "csv":
            response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
            name = f"baken-overlap-{form.cleaned_data['year']}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "insight/estimate.html",
        {
            "form": form,
            "table": table,
            "rows": _overlap_rows(table) if table is not None else [],
            "result": result,
            "summary": result.as_dict() if result is not None else None,
            "dashboards": DASHBOARDS.values(),
            "hidden_fields": [],
            "query": request.GET.urlencode(),
        },
        status=200 if form.is_valid() else 400,
    )


def _overlap_rows(table) -> list[tuple[list[bool], int]]:
    rows = [
        ([bool(v) for v in pattern], int(count))
        for pattern, count in zip(table.patterns, table.counts, strict=True)
        if count
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))
