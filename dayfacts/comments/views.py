"""The comment views: thin shells around submit_comment and the discussion."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from dayfacts.facts.models import Fact
from dayfacts.ops.origin import same_origin_only

from .cookies import held_ids, set_submission_cookies
from .forms import CommentForm
from .models import Comment, CommentSettings, CommentStatus
from .services import submit_comment
from .threads import page_url


def wants_json(request):
    """Whether the post came from comments.js, which asks for JSON."""
    return request.headers.get("Accept", "").startswith("application/json")


@same_origin_only
@require_POST
def post(request, slug):
    """Post a comment: redirect to it (or answer JSON for the in-place post)."""
    fact = get_object_or_404(Fact.objects.published(), slug=slug)
    result = submit_comment(CommentForm(fact, request.POST), request)
    if wants_json(request):
        response = JsonResponse(as_json(request, result), status=result.http_status)
    elif result.accepted:
        response = redirect(page_url(result.comment))
    else:
        response = render(request, "comments/refused.html",
                          {"fact": fact, "form": result.form, "result": result},
                          status=result.http_status)
    return set_submission_cookies(response, request, result)


def as_json(request, result):
    """The in-place post's answer: the outcome, field errors, and the comment's HTML."""
    data = {"status": result.status, "message": result.message,
            "errors": {name: [error["message"] for error in errors]
                       for name, errors in result.form.errors.get_json_data().items()}}
    if result.comment is not None:
        comment = result.comment
        comment.thread_replies, comment.is_held = [], not comment.is_approved
        data.update(
            id=comment.pk, parent=comment.parent_id, anchor=comment.anchor,
            url=page_url(comment),
            html=render_to_string("comments/_comment.html", {
                "comment": comment, "max_depth": CommentSettings.load().max_depth,
                "fact": comment.fact}, request=request),
        )
    return data


def permalink(request, pk):
    """Send a comment's permanent address to the page and anchor that show it."""
    comment = get_object_or_404(Comment.objects.select_related("fact"), pk=pk)
    readable = comment.status == CommentStatus.APPROVED or comment.pk in held_ids(request)
    if not readable or not comment.fact.is_published:
        raise Http404("No such comment.")
    return redirect(page_url(comment))


def terms(request):
    """Show the comment terms the site owner wrote in the comment settings."""
    return render(request, "comments/terms.html", {"rules": CommentSettings.load()})
