"""Query expressions shared by pages and reports."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def distinct_count_per_row(queryset: QuerySet, outer_field: str, counted_field: str) -> Coalesce:
    """COUNT(DISTINCT counted_field) of ``queryset`` rows whose ``outer_field`` is the outer row.

    ``values(outer_field)`` before ``annotate`` makes the GROUP BY; order_by() drops the model's
    default ordering, which would otherwise join into the grouping.
    """
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count(counted_field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
