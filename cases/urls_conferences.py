"""URL patterns of the conferences pages; joined into cases/urls.py."""

urlpatterns: list = []
