"""URL patterns of the crisis pages (issue 18); joined into cases/urls.py."""

from django.urls import path

from .views import crisis as views

urlpatterns = [
    path("crisis/netwerk/<int:network_id>/", views.meldpunt, name="crisis-meldpunt"),
    path("crisis/netwerk/<int:network_id>/oproepen/", views.call_create, name="crisis-call-create"),
    path("crisis/netwerk/<int:network_id>/capaciteit/", views.board, name="crisis-board"),
    path("crisis/episodes/<int:episode_id>/", views.episode_detail, name="crisis-episode"),
    path("crisis/episodes/<int:episode_id>/stappen/", views.step_start, name="crisis-step-start"),
    path("crisis/episodes/<int:episode_id>/afsluiten/", views.episode_close, name="crisis-episode-close"),
    path("crisis/episodes/<int:episode_id>/dossier/", views.episode_case_open, name="crisis-case-open"),
    path(
        "crisis/episodes/<int:episode_id>/dossier/koppelen/", views.episode_case_link, name="crisis-case-link"
    ),
    path("crisis/stappen/<int:step_id>/beeindigen/", views.step_end, name="crisis-step-end"),
    path("crisis/stappen/<int:step_id>/verlengen/", views.step_extend, name="crisis-step-extend"),
    path("crisis/mijn-stappen/", views.my_steps, name="crisis-my-steps"),
    path("crisis/netwerk/<int:network_id>/forfaits/", views.forfaits, name="crisis-forfaits"),
    path(
        "crisis/episodes/<int:episode_id>/praktijkoverleg/",
        views.conflict_create,
        name="crisis-conflict-create",
    ),
    path("crisis/netwerk/<int:network_id>/praktijkoverleg/", views.conflicts, name="crisis-conflicts"),
    path(
        "crisis/praktijkoverleg/<int:conflict_id>/beslissen/",
        views.conflict_resolve,
        name="crisis-conflict-resolve",
    ),
]
