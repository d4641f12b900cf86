from django.urls import path

from baken.programmes import views

app_name = "programmes"
urlpatterns = [
    path("projecten/", views.public_project_list_view, name="public-list"),
    path("projecten/<slug:slug>/", views.public_project_view, name="public-project"),
    path("werk/projecten/", views.project_list_view, name="projects"),
    path("werk/projecten/nieuw/", views.project_form_view, name="project-new"),
    path("werk/projecten/<int:project_id>/", views.project_form_view, name="project-edit"),
]
