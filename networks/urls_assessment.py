"""URL patterns of the assessment pages; joined into networks/urls.py."""

from django.urls import path

from .views import assessment as views

urlpatterns = [
    path("<int:network_id>/zelfevaluatie/", views.assessment_list, name="assessment-list"),
    path("<int:network_id>/zelfevaluatie/nieuw/", views.assessment_open, name="assessment-open"),
    path("zelfevaluatie/<int:round_id>/", views.assessment_detail, name="assessment-detail"),
    path("zelfevaluatie/<int:round_id>/scoren/", views.assessment_score, name="assessment-score"),
    path("zelfevaluatie/<int:round_id>/sluiten/", views.assessment_close, name="assessment-close"),
    path("<int:network_id>/partnerbelasting/", views.partner_load_view, name="partner-load"),
]
