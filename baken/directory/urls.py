from django.urls import path

from baken.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.service_search_view, name="search"),
    path("te-controleren/", views.due_for_verification_view, name="due"),
    path("organisaties/", views.organisation_list_view, name="organisation-list"),
    path("organisaties/nieuw/", views.organisation_edit_view, name="organisation-create"),
    path(
        "organisaties/<uuid:organisation_id>/",
        views.organisation_detail_view,
        name="organisation-detail",
    ),
    path(
        "organisaties/<uuid:organisation_id>/bewerken/",
        views.organisation_edit_view,
        name="organisation-edit",
    ),
    path(
        "organisaties/<uuid:organisation_id>/gecontroleerd/",
        views.organisation_verify_view,
        name="organisation-verify",
    ),
    path(
        "organisaties/<uuid:organisation_id>/diensten/nieuw/",
        views.service_edit_view,
        name="service-create",
    ),
    path("diensten/<uuid:service_id>/", views.service_detail_view, name="service-detail"),
    path("diensten/<uuid:service_id>/bewerken/", views.service_edit_view, name="service-edit"),
    path(
        "diensten/<uuid:service_id>/gecontroleerd/",
        views.service_verify_view,
        name="service-verify",
    ),
]
