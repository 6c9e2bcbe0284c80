"""Generated case documents (conference forms, referral letters): requesting them and the panel
that lists them. The worker side is in cases/tasks.py.

Contract for the pages that show a document panel (conference, session, referral):

    context.update(documents.panel_context(case=case, conference=conference))   # or session=, referral=
    {% include "cases/documents/_panel.html" %}
"""

from ..models import Case, ClientConference, ConferenceSession, Referral


def panel_context(
    *,
    case: Case,
    conference: ClientConference | None = None,
    session: ConferenceSession | None = None,
    referral: Referral | None = None,
) -> dict:
    # Filled in by the documents work; the shape below is what _panel.html reads.
    return {"document_panel": {"documents": [], "kinds": []}}
