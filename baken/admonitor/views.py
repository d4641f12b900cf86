"""The ad monitor's pages: ranked clusters, a cluster with its evidence, review, upload, and the
municipal view with counts only. Thin: the rules are in services."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from baken.accounts.http import StaffRequest
from baken.admonitor import services
from baken.admonitor.engine.indicators import INDICATORS
from baken.admonitor.forms import IngestForm, ReviewForm
from baken.admonitor.graph import cluster_graph_svg
from baken.admonitor.models import (
    AdvertiserMove,
    AdvertiserWeek,
    Cluster,
    IngestRun,
    ReviewStatus,
)
from baken.admonitor.parsers import parser_for
from baken.lib.access import staff_required


def indicator_label(code: str) -> str:
    labels = {
        "many_personas_one_number": _("Many personas behind one number"),
        "minor_hints": _("Hints that a minor is offered"),
        "city_rotation": _("Rotation through cities in a short time"),
        "low_price": _("Prices far below the local norm"),
        "same_text_other_names": _("The same text under different names"),
        "third_person": _("Written in the third person"),
        "new_in_town": _("“New in town”"),
        "always_available": _("Available day and night"),
    }
    return labels.get(code, INDICATORS.get(code, (0, code))[1])


@never_cache
@staff_required("admonitor.investigate")
def cluster_list_view(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    clusters = services.clusters_ranked(user=request.user)
    if status in ReviewStatus.values:
        clusters = clusters.filter(review_status=status)
    else:
        status = ""
    rows = list(clusters[:200])
    for cluster in rows:
        cluster.indicator_labels = [indicator_label(i["code"]) for i in cluster.indicators]
    return render(
        request,
        "admonitor/cluster_list.html",
        {"clusters": rows, "status": status, "statuses": ReviewStatus.choices},
    )


@never_cache
@staff_required("admonitor.investigate")
def cluster_detail_view(request: StaffRequest, cluster_id: int) -> HttpResponse:
    cluster = services.cluster_open(user=request.user, cluster_id=cluster_id)
    if cluster is None:
        raise Http404
    if cluster.pk != cluster_id:
        return redirect("admonitor:cluster", cluster_id=cluster.pk)
    view = services.cluster_ads_for(cluster=cluster, purpose="ad monitor: cluster review")
    number = {ad.pk: n for n, ad in enumerate(view.ads, start=1)}
    reasons = {}
    for ad in view.ads:
        lines = []
        for link in view.reasons.get(ad.pk, []):
            other = number.get(link.other_id)
            where = _("ad %(n)s") % {"n": other} if other else _("an ad now in another cluster")
            if link.kind == "text":
                lines.append(
                    _("text nearly the same as %(where)s (similarity %(score)s)")
                    % {"where": where, "score": f"{link.score:.2f}"}
                )
            else:
                value = services.identifier_value(ad, link.kind, link.digest)
                lines.append(
                    _("same %(kind)s %(value)s as %(where)s")
                    % {"kind": _kind_label(link.kind), "value": value, "where": where}
                )
        reasons[ad.pk] = lines
    indicators = [
        {
            **i,
            "label": indicator_label(i["code"]),
            "detail": services.indicator_detail(i),
            "numbers": sorted(number[a] for a in i["ads"] if a in number),
        }
        for i in cluster.indicators
    ]
    moves = _route(view.ads)
    edges = [
        (number[ad_id], number[link.other_id], link.kind)
        for ad_id, links in view.reasons.items()
        for link in links
        if link.other_id in number
    ]
    legend = {kind: str(_kind_label(kind)) for kind in ("phone", "email", "handle", "image")}
    legend["text"] = _("text")
    graph = cluster_graph_svg(
        len(view.ads), edges, _("Cluster %(id)s: ads and their links") % {"id": cluster.pk}, legend
    )
    return render(
        request,
        "admonitor/cluster_detail.html",
        {
            "cluster": cluster,
            "ads": [
                {
                    "n": number[a.pk],
                    "ad": a,
                    "contacts": view.contacts[a.pk],
                    "reasons": reasons[a.pk],
                }
                for a in view.ads
            ],
            "indicators": indicators,
            "route": moves,
            # cluster_graph_svg escapes every text it draws.
            "graph": mark_safe(graph),  # nosec B308, B703 # every text is escaped (graph.py)
            "shared": view.shared,
            "form": ReviewForm(),
            "reviews": cluster.reviews.select_related("by")[:10],
        },
    )


def _kind_label(kind: str) -> str:
    return {
        "phone": _("phone number"),
        "email": _("e-mail address"),
        "handle": _("handle"),
        "image": _("photo"),
    }.get(kind, kind)


def _route(ads) -> list[dict]:
    """The cluster's movement: where it advertised, from when to when, in order."""
    route: list[dict] = []
    for ad in ads:
        when = ad.posted_at or ad.first_seen
        if route and route[-1]["city"] == ad.city:
            route[-1]["until"] = when
            route[-1]["ads"] += 1
        else:
            route.append({"city": ad.city or "?", "since": when, "until": when, "ads": 1})
    return route


@require_POST
@staff_required("admonitor.review")
def cluster_review_view(request: StaffRequest, cluster_id: int) -> HttpResponse:
    cluster = get_object_or_404(
        services.clusters_for(request.user), pk=cluster_id, merged_into=None
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(error) for errors in form.errors.values() for error in errors)
        )
        return redirect("admonitor:cluster", cluster_id=cluster.pk)
    services.cluster_review(
        cluster=cluster,
        user=request.user,
        status=form.cleaned_data["status"],
        note=form.cleaned_data["note"],
    )
    signal = cluster.signal
    if signal is not None:
        messages.success(
            request,
            _("The cluster is now signal %(reference)s in casework.")
            % {"reference": signal.reference},
        )
    else:
        messages.success(request, _("Your judgement is recorded."))
    return redirect("admonitor:cluster", cluster_id=cluster.pk)


@staff_required("admonitor.ingest")
def ingest_view(request: StaffRequest) -> HttpResponse:
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parser = parser_for(upload.name, form.cleaned_data["parser"])
        except ValueError:
            form.add_error("parser", _("Choose the format: the file name does not say it."))
        else:
            try:
                run = services.ads_ingest_later(
                    content=upload.read(), file_name=upload.name, parser=parser, user=request.user
                )
            except services.IngestError:
                form.add_error("file", _("This is not a text file in UTF-8."))
            else:
                return redirect("admonitor:ingest-run", run_id=run.pk)
    runs = IngestRun.objects.select_related("by")[:20]
    return render(request, "admonitor/ingest.html", {"form": form, "runs": runs})


@staff_required("admonitor.ingest")
def ingest_run_view(request: StaffRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(IngestRun, pk=run_id)
    template = "admonitor/_ingest_run.html" if request.htmx else "admonitor/ingest_run.html"
    return render(request, template, {"run": run})


@staff_required("admonitor.view_aggregates")
def municipal_view(request: StaffRequest) -> HttpResponse:
    """Counts only: advertisers per municipality and week, movement, licensed share."""
    weeks = list(
        AdvertiserWeek.objects.order_by("-week").values_list("week", flat=True).distinct()[:8]
    )
    weeks.sort()
    if not weeks:
        return render(request, "admonitor/municipal.html", {"weeks": [], "rows": []})
    table: dict[str, dict] = defaultdict(dict)
    licensed = total = 0
    for row in AdvertiserWeek.objects.filter(week__in=weeks).select_related("municipality"):
        table[row.municipality.name][row.week] = row.advertisers
        licensed += row.licensed
        total += row.advertisers
    rows = [
        {"name": name, "counts": [counts.get(w, 0) for w in weeks]}
        for name, counts in sorted(table.items())
    ]
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for move in AdvertiserMove.objects.filter(week__in=weeks).select_related(
        "origin", "destination"
    ):
        totals[(move.origin.name, move.destination.name)] += move.advertisers
    return render(
        request,
        "admonitor/municipal.html",
        {
            "weeks": weeks,
            "rows": rows,
            "moves": sorted(totals.items(), key=lambda item: -item[1])[:20],
            "licensed_share": round(100 * licensed / total) if total else None,
            "register_available": Cluster.objects.filter(licensed__isnull=False).exists(),
        },
    )
