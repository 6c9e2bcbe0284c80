"""URL patterns of the referrals pages; joined into cases/urls.py."""

from django.urls import path

from .views import referrals as views

urlpatterns = [
    path("verwijzingen/", views.referral_inbox, name="referral-inbox"),
    path("verwijzingen/<int:referral_id>/", views.referral_detail, name="referral-detail"),
    path("verwijzingen/<int:referral_id>/status/", views.referral_status, name="referral-status"),
    path("<int:case_id>/verwijzingen/nieuw/", views.referral_create, name="referral-create"),
]
