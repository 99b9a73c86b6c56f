"""Markdown to HTML that is safe to show: editors write Markdown, readers get clean HTML."""

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "h2", "h3", "h4", "hr", "i",
    "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul", "figure", "figcaption", "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
}


def sanitize_html(html: str) -> str:
    """Keep the tags an article needs; drop scripts, styles, handlers and unsafe URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def render_markdown(text: str) -> str:
    """Render an editor's Markdown to sanitized HTML."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists", "smarty"])
    return sanitize_html(html)
