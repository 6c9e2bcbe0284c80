"""URL patterns of the meetings pages; joined into networks/urls.py."""

urlpatterns = []
