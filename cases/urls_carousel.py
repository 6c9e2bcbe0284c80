"""URL patterns of the carousel signal; joined into cases/urls.py."""

from django.urls import path

from .views import carousel as views

urlpatterns = [
    path("planmakers/carrousel/", views.carousel_index, name="carousel-index"),
    path("planmakers/carrousel/<int:planmaker_network_id>/", views.carousel, name="carousel"),
    path(
        "planmakers/carrousel/<int:planmaker_network_id>/opnieuw-tellen/",
        views.carousel_refresh,
        name="carousel-refresh",
    ),
    path(
        "planmakers/carrousel/<int:planmaker_network_id>/drempels/",
        views.carousel_settings,
        name="carousel-settings",
    ),
]
