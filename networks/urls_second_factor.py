"""The TOTP step, mounted by the root URLconf beside the login (by string: ijh imports no app above it).

No app namespace: the name ``second-factor`` stays global, as the middleware and templates use it.
"""

from django.urls import path

from .second_factor import second_factor

urlpatterns = [path("", second_factor, name="second-factor")]
