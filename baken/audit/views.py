from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baken.audit.forms import AuditSearchForm
from baken.audit.services import audit_search, audit_search_is_limited
from baken.lib.access import staff_required


@staff_required("audit.view")
def audit_search_view(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    events = None
    if form.is_valid():
        events = audit_search(user=request.user, **form.cleaned_data)
    elif not form.is_bound:
        events = audit_search(user=request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page")) if events is not None else None
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "limited": audit_search_is_limited(user=request.user)},
    )
