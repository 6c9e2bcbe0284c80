"""URL patterns of the documents pages; joined into cases/urls.py."""

urlpatterns: list = []
