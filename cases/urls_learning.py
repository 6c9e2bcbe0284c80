"""URL patterns of the planmakers' learning network and forum (issue 19 §6); joined into cases/urls.py."""

from django.urls import path

from .views import learning as views

urlpatterns = [
    path(
        "planmakers/<int:planmaker_network_id>/lerend-netwerk/",
        views.learning_network,
        name="learning-network",
    ),
    path(
        "planmakers/<int:planmaker_network_id>/lerend-netwerk/thema/",
        views.theme_create,
        name="learning-theme-create",
    ),
    path(
        "planmakers/<int:planmaker_network_id>/lerend-netwerk/signaalnota/",
        views.signal_note_select,
        name="learning-note-select",
    ),
    path("planmakers/<int:planmaker_network_id>/forum/", views.forum, name="learning-forum"),
    path("planmakers/themas/<int:theme_id>/", views.theme_detail, name="learning-theme"),
    path("planmakers/themas/<int:theme_id>/bewerken/", views.theme_update, name="learning-theme-update"),
    path("planmakers/themas/<int:theme_id>/expertise/", views.theme_expert, name="learning-theme-expert"),
    path("planmakers/themas/<int:theme_id>/besproken/", views.theme_discuss, name="learning-theme-discuss"),
    path(
        "planmakers/themas/<int:theme_id>/signaalnota/", views.theme_signal_note, name="learning-theme-note"
    ),
    path(
        "planmakers/signaalnotas/<int:signal_note_id>/status/",
        views.signal_note_status,
        name="learning-note-status",
    ),
    path(
        "planmakers/signaalnotas/<int:signal_note_id>/pdf/",
        views.signal_note_download,
        name="learning-note-download",
    ),
    path(
        "planmakers/signaalnotas/<int:signal_note_id>/forum/",
        views.signal_note_present,
        name="learning-note-present",
    ),
]
