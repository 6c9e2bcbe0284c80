"""Every URL of the apps is either fuzzed (hypothesis posts garbage to it, see the fuzz tests) or
answers GET only. A new view that fits neither fails here.

Each test module that fuzzes views says so with a module-level ``FUZZED_URL_NAMES`` set; views
that only answer GET are listed in a ``GET_ONLY_URL_NAMES`` set, in the module of their area. A new
module adds its own sets in its own test file; nothing here needs editing.
"""

import importlib
from pathlib import Path

from django.urls import URLResolver, get_resolver

TESTS = Path(__file__).parent


def _named(patterns, namespace: str) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _named(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            names.add(f"{namespace}:{pattern.name}")
    return names


def _app_url_names() -> set[str]:
    """``namespace:name`` of every named URL under an app namespace (not the root's own pages)."""
    names = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace and entry.namespace != "admin":
            names |= _named(entry.url_patterns, entry.namespace)
    return names


def _declared(attribute: str) -> set[str]:
    declared: set[str] = set()
    for path in sorted(TESTS.rglob("test_*.py")):
        if attribute not in path.read_text():
            continue
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        declared |= set(getattr(importlib.import_module(module_name), attribute, ()))
    return declared


def test_every_app_url_is_fuzzed_or_get_only():
    fuzzed, get_only = _declared("FUZZED_URL_NAMES"), _declared("GET_ONLY_URL_NAMES")
    names = _app_url_names()
    assert not fuzzed & get_only, "both fuzzed and GET-only: " + ", ".join(sorted(fuzzed & get_only))
    assert names - fuzzed - get_only == set(), "neither fuzzed nor GET-only"
    assert (fuzzed | get_only) - names == set(), "listed, but no such URL"
