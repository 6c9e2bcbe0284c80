"""What the home page shows, contributed by the apps above the core.

The core app may not import the apps built on it (DESIGN.md §4), so they register here from
their ``AppConfig.ready()``: *panels* (a template and the context for one user) and *deadline
sources* (dated items for "Mijn deadlines"). Each callable must run a fixed number of queries.

A panel whose context has ``client_data_shown: True``, or a deadline with ``client_data=True``,
shows client data: the home page then logs the read (DESIGN.md §5), once.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import User


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    order: int
    get_context: Callable[[User], dict[str, Any]]


@dataclass(frozen=True)
class Deadline:
    due: datetime.date
    label: str
    url: str = ""
    kind: str = ""
    client_data: bool = False


_panels: dict[str, Panel] = {}
_deadline_sources: dict[str, Callable[[User], list[Deadline]]] = {}


def register_panel(key: str, *, template: str, order: int = 100):
    def decorator(fn: Callable[[User], dict[str, Any]]):
        _panels[key] = Panel(key=key, template=template, order=order, get_context=fn)
        return fn

    return decorator


def register_deadlines(key: str):
    def decorator(fn: Callable[[User], list[Deadline]]):
        _deadline_sources[key] = fn
        return fn

    return decorator


def panels_for(user: User) -> list[dict[str, Any]]:
    return [
        {"key": panel.key, "template": panel.template, **panel.get_context(user)}
        for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key))
    ]


def shows_client_data(panels: list[dict[str, Any]], deadlines: list[Deadline]) -> bool:
    return any(panel.get("client_data_shown") for panel in panels) or any(d.client_data for d in deadlines)


def deadlines_for(user: User) -> list[Deadline]:
    deadlines = [item for source in _deadline_sources.values() for item in source(user)]
    return sorted(deadlines, key=lambda d: d.due)
