from django import forms

from dayfacts.days import centuries
from dayfacts.facts.models import Kind, Topic


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", max_length=200, required=False)
    kind = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "All kinds"), *Kind.choices])
    topic = forms.ModelChoiceField(label="Topic", required=False, to_field_name="slug",
                                   queryset=Topic.objects.order_by("name"),
                                   empty_label="All topics")
    century = forms.TypedChoiceField(label="Century", required=False, coerce=int,
                                     empty_value=None,
                                     choices=[("", "All centuries"), *centuries.choices()])

    def topic_choices(self):
        """The topics the filter offers, as (slug, name) pairs: the only choices that change,
        and so part of the key the rendered filters are cached under."""
        return list(self.fields["topic"].queryset.values_list("slug", "name"))

    def search_arguments(self):
        """The cleaned filters, as keyword arguments of search()."""
        data = self.cleaned_data
        return {"kind": data["kind"] or None,
                "topic": data["topic"].slug if data["topic"] else None,
                "century": data["century"]}
