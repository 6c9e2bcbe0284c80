import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every factory user gets a hashed password; the real hasher would make up most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
