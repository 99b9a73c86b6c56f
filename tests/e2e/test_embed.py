"""A page on another origin frames the embed, and the browser shows it; a day page it also
tries to frame stays blank."""

import random
import socket
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from dayfacts.days import MonthDay


def own_port():
    """A free loopback port between 18000 and 18999, starting from a random one."""
    start = random.randrange(1000)
    for offset in range(1000):
        port = 18000 + (start + offset) % 1000
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 18000 and 18999")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def other_site(tmp_path):
    """A second web server, on another port of another host name: another origin."""
    server = ThreadingHTTPServer(("127.0.0.1", own_port()),
                                 partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_another_site_frames_the_embed_but_not_a_day_page(browser, site, almanac, other_site):
    folder, origin = other_site
    assert "127.0.0.1" not in site, "the site and the framing page are different origins"
    today = MonthDay.today()
    (folder / "blog.html").write_text(
        "<!doctype html><title>A blog</title><h1>My blog</h1>"
        f'<iframe id="embed" title="On this day" src="{site}/embed/today/" width="400" '
        'height="340"></iframe>'
        f'<iframe id="day" title="A day page" src="{site}/{today.path}/" width="400" '
        'height="340"></iframe>')
    page = browser.new_page()
    answers = {}
    page.on("response", lambda response: answers.setdefault(response.url, response))
    page.goto(f"{origin}/blog.html")
    embed = page.frame_locator("#embed")
    expect(embed.locator("h1")).to_contain_text(f"Lead of {today.name}")
    expect(embed.get_by_text("A event on")).to_be_visible()
    expect(embed.get_by_role("link", name=f"More on {today.name}")).to_have_attribute(
        "target", "_blank")

    # The day page came back whole, and the browser would not show it in the frame.
    day_page = answers[f"{site}/{today.path}/"]
    assert day_page.status == 200
    assert "frame-ancestors 'none'" in day_page.headers["content-security-policy"]
    refused = page.locator("#day").element_handle().content_frame()
    assert refused.url.startswith("chrome-error://")
    expect(page.frame_locator("#day").get_by_text(f"Lead of {today.name}")).to_have_count(0)
    assert answers[f"{site}/embed/today/"].status == 200
    page.close()
