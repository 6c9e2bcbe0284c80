"""URL patterns of the referrals pages; joined into cases/urls.py."""

urlpatterns: list = []
