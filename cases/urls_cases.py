"""URL patterns of the case pages; joined into cases/urls.py."""

from django.urls import path

from .views import cases as views

urlpatterns = [
    path("", views.case_list, name="list"),
]
