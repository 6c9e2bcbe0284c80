"""Report models: runs and narratives (``runs``), imported history (``history``)."""

from .history import HistoryImport, ImportedConferenceRequest, ImportedReferral
from .runs import (
    FLANDERS_LABEL,
    PERIOD_CHOICES,
    YEAR,
    CalendarYear,
    HalfYear,
    Narrative,
    ReportPeriod,
    ReportRun,
    ScopedToPeriod,
    period_of,
    report_file_path,
)

__all__ = [
    "FLANDERS_LABEL",
    "PERIOD_CHOICES",
    "YEAR",
    "CalendarYear",
    "HalfYear",
    "HistoryImport",
    "ImportedConferenceRequest",
    "ImportedReferral",
    "Narrative",
    "ReportPeriod",
    "ReportRun",
    "ScopedToPeriod",
    "period_of",
    "report_file_path",
]
