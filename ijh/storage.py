"""Static files in production: hashed names from the manifest that collectstatic writes.

A page must never fail because static files were not collected (a newcomer running with
DEBUG=0 on a fresh checkout, or a deployment whose collectstatic step failed): Django's manifest
storage raises on a missing entry, which turns every page — the 500 page included — into a crash.
Here a missing entry falls back to the plain name, logged once per name; the page renders (without
its stylesheet until collectstatic runs).
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False
    _warned: set[str] = set()

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            if name not in self._warned:
                self._warned.add(name)
                logger.warning("Static file %s is not collected; run collectstatic.", name)
            return name
