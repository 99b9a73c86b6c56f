"""Drawing a share card: a 1200x630 PNG of a day, a headline, its year and the site's name.

1200x630 is the size Facebook's and X's link previews ask for (a 1.91:1 image); a smaller
one is shown as a thumbnail beside the link instead of above it. The text is set in DejaVu
Sans, shipped in fonts/ with its licence, so a card looks the same on every server.
"""

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"

# The site's colours (dayfacts/static/dayfacts/site.css): paper, ink, accent, muted, line.
PAPER, INK, ACCENT, MUTED, LINE = "#fffdf8", "#1d232b", "#8a3b12", "#5b6573", "#e4ded2"

# The headline's room, and the sizes tried in turn until it fits; at the smallest, what
# does not fit is cut with an ellipsis.
HEADLINE_TOP, HEADLINE_BOTTOM = 200, 500
HEADLINE_SIZES = (72, 64, 56, 48, 42)
LINE_SPACING = 1.2
ELLIPSIS = "\u2026"


@functools.cache
def font(path, size):
    return ImageFont.truetype(str(path), size)


def wrap(text, face, width):
    """The lines of `text` in `face`, each at most `width` pixels wide, broken between
    words, or inside a word too long for a line of its own."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while face.getlength(word) > width:
            cut = max(1, max(n for n in range(len(word) + 1)
                             if face.getlength(word[:n]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def shorten(lines, count, face, width):
    """The first `count` lines, the last ending in an ellipsis when some were left out."""
    if len(lines) <= count:
        return lines
    words = lines[count - 1].split(" ")
    while len(words) > 1 and face.getlength(" ".join(words) + ELLIPSIS) > width:
        words.pop()
    last = " ".join(words)
    while last and face.getlength(last + ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[:count - 1], last.rstrip(" ,;:-") + ELLIPSIS]


def fit_headline(text, width, height):
    """(face, lines, line height): the largest size at which `text` fits the box, or the
    smallest, shortened to fit."""
    for size in HEADLINE_SIZES:
        face = font(BOLD, size)
        step = round(size * LINE_SPACING)
        lines = wrap(text, face, width)
        if len(lines) * step <= height:
            return face, lines, step
    return face, shorten(lines, max(1, height // step), face, width), step


def draw(day, headline, year, site_name):
    """The card as PNG bytes: `day` ("March 20"), `headline`, `year` ("1952", "44 BC" or
    ""), `site_name`."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    inner = WIDTH - 2 * MARGIN

    top = font(BOLD, 52)
    pen.text((MARGIN, 70), day, font=top, fill=ACCENT)
    if year:
        pen.text((WIDTH - MARGIN, 70), year, font=font(REGULAR, 52), fill=MUTED, anchor="ra")

    face, lines, step = fit_headline(headline, inner, HEADLINE_BOTTOM - HEADLINE_TOP)
    for n, line in enumerate(lines):
        pen.text((MARGIN, HEADLINE_TOP + n * step), line, font=face, fill=INK)

    pen.line((MARGIN, 530, WIDTH - MARGIN, 530), fill=LINE, width=3)
    name = shorten(wrap(site_name, font(BOLD, 36), inner), 1, font(BOLD, 36), inner)
    pen.text((MARGIN, 552), name[0] if name else "", font=font(BOLD, 36), fill=INK)

    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
