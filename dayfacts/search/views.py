from django.shortcuts import render

from . import search
from .forms import SearchForm

PER_PAGE = 20


def results(request):
    """The search page: a form, and the ranked, paginated hits for what was asked."""
    form = SearchForm(request.GET)
    context = {"form": form, "page": None, "suggestions": []}
    if form.is_valid() and form.cleaned_data["q"].strip():
        found = search(form.cleaned_data["q"], **form.search_arguments())
        context["page"] = found.page(request.GET.get("page"), PER_PAGE)
        context["more"] = found.more
        context["searched"] = form.cleaned_data["q"]
        if not found:
            context["suggestions"] = found.suggestions()
            context["without_filters"] = (
                any(form.search_arguments().values())
                and search(form.cleaned_data["q"]).count()
            )
    return render(request, "search/results.html", context)
