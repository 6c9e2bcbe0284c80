"""Report models: runs and narratives (``runs``), imported history (``history``), goal indicators
linked to registrations (``indicators``)."""

from .history import HistoryImport, ImportedConferenceRequest, ImportedReferral
from .indicators import GoalIndicator, LinkedMeasurement
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
    "GoalIndicator",
    "HalfYear",
    "HistoryImport",
    "ImportedConferenceRequest",
    "ImportedReferral",
    "LinkedMeasurement",
    "Narrative",
    "ReportPeriod",
    "ReportRun",
    "ScopedToPeriod",
    "period_of",
    "report_file_path",
]
