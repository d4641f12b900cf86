from django.urls import path

from baken.portal import views

app_name = "portal"
urlpatterns = [
    path("informatie/", views.page_index_view, name="index"),
    path("informatie/<slug:slug>/", views.page_view, name="page"),
    path("zelftest/", views.selfcheck_view, name="selfcheck"),
    path("hulp-zoeken/", views.help_finder_view, name="help-finder"),
    path("werk/portaal/", views.editor_index_view, name="editor"),
    path("werk/portaal/versie/<int:version_id>/", views.version_view, name="version"),
    path("werk/portaal/<slug:slug>/<str:language>/", views.editor_edit_view, name="edit"),
]
