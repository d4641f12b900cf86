from django.urls import path

from baken.programmes import views

app_name = "programmes"
urlpatterns = [
    path("projecten/", views.public_project_list_view, name="public-list"),
    path("projecten/<slug:slug>/", views.public_project_view, name="public-project"),
    path("werk/projecten/", views.project_list_view, name="projects"),
    path("werk/projecten/nieuw/", views.project_form_view, name="project-new"),
    path("werk/projecten/<int:project_id>/", views.project_form_view, name="project-edit"),
    path(
        "werk/projecten/<int:project_id>/resultaten/",
        views.project_results_view,
        name="project-results",
    ),
    path(
        "werk/projecten/<int:project_id>/rapportage/",
        views.project_report_view,
        name="project-report",
    ),
    path("werk/preventie/", views.activity_list_view, name="activities"),
    path("werk/preventie/nieuw/", views.activity_form_view, name="activity-new"),
    path("werk/preventie/<int:activity_id>/", views.activity_form_view, name="activity"),
    path("werk/preventie/trainers/", views.trainer_list_view, name="trainers"),
    path("feedback/<str:code>/", views.feedback_view, name="feedback"),
    path("klas/", views.join_view, name="join"),
    path("klas/<str:code>/", views.pupil_view, name="pupil"),
    path("klas/<str:code>/stand/", views.pupil_part_view, name="pupil-part"),
    path("klas/<str:code>/stem/", views.pupil_vote_view, name="pupil-vote"),
    path("werk/lessen/", views.lesson_home_view, name="lessons"),
    path("werk/lessen/scenario/nieuw/", views.scenario_form_view, name="scenario-new"),
    path("werk/lessen/scenario/<int:scenario_id>/", views.scenario_form_view, name="scenario"),
    path(
        "werk/lessen/scenario/<int:scenario_id>/scene/nieuw/",
        views.scene_form_view,
        name="scene-new",
    ),
    path(
        "werk/lessen/scenario/<int:scenario_id>/scene/<int:scene_id>/",
        views.scene_form_view,
        name="scene",
    ),
    path(
        "werk/lessen/scenario/<int:scenario_id>/scene/<int:scene_id>/verwijderen/",
        views.scene_delete_view,
        name="scene-delete",
    ),
    path(
        "werk/lessen/scenario/<int:scenario_id>/starten/",
        views.lesson_start_view,
        name="lesson-start",
    ),
    path("werk/lessen/<int:session_id>/", views.board_view, name="board"),
    path("werk/lessen/<int:session_id>/stand/", views.board_part_view, name="board-part"),
    path("werk/lessen/<int:session_id>/<str:step>/", views.board_step_view, name="board-step"),
]
