"""URL patterns of the meeting pages; joined into networks/urls.py."""

from django.urls import path

from .views import meetings as views

urlpatterns = [
    path("<int:network_id>/vergaderingen/", views.meeting_list, name="meeting-list"),
    path("<int:network_id>/vergaderingen/nieuw/", views.meeting_create, name="meeting-create"),
    path("vergaderingen/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("vergaderingen/<int:meeting_id>/agendapunten/", views.agenda_item_add, name="agenda-item-add"),
    path("agendapunten/<int:item_id>/bijlagen/", views.attachment_add, name="attachment-add"),
    path("bijlagen/<int:attachment_id>/", views.attachment_download, name="attachment-download"),
    path("aanwezigheden/<int:attendance_id>/", views.attendance_update, name="attendance-update"),
    path("vergaderingen/<int:meeting_id>/verslag/", views.minutes_save, name="minutes-save"),
    path(
        "verslagen/<int:minutes_id>/<str:transition>/",
        views.minutes_transition,
        name="minutes-transition",
    ),
    path("vergaderingen/<int:meeting_id>/besluiten/", views.decision_add, name="decision-add"),
    path("vergaderingen/<int:meeting_id>/acties/", views.action_add, name="action-add"),
    path("<int:network_id>/acties/", views.action_list, name="action-list"),
    path("acties/<int:action_id>/status/", views.action_status, name="action-status"),
]
