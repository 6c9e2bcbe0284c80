"""PostgreSQL connections run without JIT compilation (it cost seconds on page queries)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_app_connection_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
