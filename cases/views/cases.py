"""Case list, case detail, the client, the team and consent."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from ijh.http import AuthedRequest

from ..models import Case


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    cases = Case.objects.visible_to(request.user).select_related("client", "network")[:50]
    return render(request, "cases/case_list.html", {"cases": cases})
