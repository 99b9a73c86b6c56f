"""The site's URLs plus two views with a form, for the page cache's tests of what is personal."""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from dayfacts.ops.origin import same_origin_only
from dayfacts.urls import handler404, handler500  # noqa: F401
from dayfacts.urls import urlpatterns as site_urlpatterns

PAGE = engines["django"].from_string(
    "<p>{{ greeting }}</p>{% if form.errors %}<div class=errors>{{ form.errors }}</div>{% endif %}"
    '<form method="post">{{ form.as_p }}<button>Send</button></form>'
)


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


@same_origin_only
def form_page(request):
    """A shared page with a public form; greets a reader whose cookie says who they are."""
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return HttpResponse(f"thanks {form.cleaned_data['name']}")
    greeting = f"Your held note: {request.COOKIES['dayfacts_held']}" \
        if "dayfacts_held" in request.COOKIES else "Hello, reader"
    return HttpResponse(PAGE.render({"form": form, "greeting": greeting}, request))


testing = ([path("form/", form_page, name="form")], "pagecachetest")
urlpatterns = [path("pagecache-test/", include(testing)), *site_urlpatterns]
