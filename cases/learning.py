"""Counts of blocked trajectories for the learning network's pages and signal notes (issue 19 §6).

Themes and signal notes live in networks/ and hold no client data; how many trajectories a
bottleneck blocks is a count over the trajectories here. Each function is one query.
"""

from collections.abc import Iterable

from django.db.models import Count

from .models import Trajectory


def blocked_per_bottleneck(bottleneck_ids: Iterable[int]) -> dict[int, int]:
    through = Trajectory.bottlenecks.through.objects.filter(bottleneck_id__in=list(bottleneck_ids))
    return {
        row["bottleneck_id"]: row["n"]
        for row in through.values("bottleneck_id").annotate(n=Count("trajectory_id", distinct=True))
    }


def blocked_total(bottleneck_ids: Iterable[int]) -> int:
    """Distinct trajectories blocked by any of the bottlenecks (one trajectory counts once)."""
    through = Trajectory.bottlenecks.through.objects.filter(bottleneck_id__in=list(bottleneck_ids))
    return through.values("trajectory_id").distinct().count()


def blocked_per_theme(network_id: int) -> dict[int, int]:
    """Per theme of the network: distinct trajectories blocked by any of its bottlenecks."""
    through = Trajectory.bottlenecks.through.objects.filter(bottleneck__themes__network_id=network_id)
    return {
        row["bottleneck__themes"]: row["n"]
        for row in through.values("bottleneck__themes").annotate(n=Count("trajectory_id", distinct=True))
    }
