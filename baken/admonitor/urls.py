from django.urls import path

from baken.admonitor import views

app_name = "admonitor"
urlpatterns = [
    path("", views.cluster_list_view, name="clusters"),
    path("cluster/<int:cluster_id>/", views.cluster_detail_view, name="cluster"),
    path("cluster/<int:cluster_id>/beoordelen/", views.cluster_review_view, name="review"),
    path("inlezen/", views.ingest_view, name="ingest"),
    path("inlezen/<int:run_id>/", views.ingest_run_view, name="ingest-run"),
    path("gemeenten/", views.municipal_view, name="municipal"),
]
