"""A customer's website for the widget tests: pages served from another loopback origin (its
own port) that embed the chat snippet, one of them with hostile CSS."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOSTILE_CSS = "* { color: red !important; font-size: 30px; } div { display: none; }"

SHOP = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Northwind Bikes</title>
<style>
  body {{ margin: 0; font-family: Georgia, "DejaVu Serif", serif; color: #23303b;
         background: #fbfaf7; }}
  header {{ display: flex; justify-content: space-between; align-items: center;
           padding: 18px 40px; border-bottom: 1px solid #e6e1d8; background: #fff; }}
  header strong {{ font-size: 22px; letter-spacing: .5px; }}
  nav a {{ margin-left: 24px; color: #23303b; text-decoration: none; font-size: 15px; }}
  .hero {{ padding: 56px 40px; background: #16324f; color: #fff; }}
  .hero h1 {{ margin: 0 0 12px; font-size: 40px; font-weight: normal; }}
  .hero p {{ margin: 0; font-size: 18px; max-width: 560px; line-height: 1.5; }}
  main {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 24px;
         padding: 40px; }}
  .card {{ background: #fff; border: 1px solid #e6e1d8; border-radius: 8px; padding: 20px; }}
  .card h2 {{ margin: 0 0 8px; font-size: 19px; font-weight: normal; }}
  .card p {{ margin: 0; color: #5b6670; line-height: 1.5; }}
  {extra_css}
</style>
</head>
<body>
<header><strong>Northwind Bikes</strong>
<nav><a href="#">Bikes</a><a href="#">Repairs</a><a href="#">Visit us</a></nav></header>
<section class="hero"><h1>Ride further, worry less.</h1>
<p>Hand-built city and touring bikes, serviced in our workshop in Bremen since 1987.</p></section>
<main>
<div class="card"><h2>City bikes</h2><p>Upright, light and made for daily rides.</p></div>
<div class="card"><h2>Touring</h2><p>Steel frames and racks for the long way round.</p></div>
<div class="card"><h2>Workshop</h2><p>Same-week service for every make and model.</p></div>
<div class="card"><h2>Rentals</h2><p>By the day or the week, helmets included.</p></div>
</main>
{snippet}
</body>
</html>
"""


class HostSite:
    """Serves `/shop` (a plausible website) and `/hostile` (the same with hostile CSS), each
    embedding `snippet`; `?lang=de` sets the page language."""

    def __init__(self, snippet: str) -> None:
        self.snippet = snippet
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    def page(self, path: str, query: dict[str, list[str]]) -> str | None:
        if path not in ("/shop", "/hostile", "/plain"):
            return None
        lang = html.escape(query.get("lang", ["en"])[0], quote=True)
        extra = HOSTILE_CSS if path == "/hostile" else ""
        snippet = "" if path == "/plain" else self.snippet
        return SHOP.format(lang=lang, extra_css=extra, snippet=snippet)


@contextmanager
def serve_site(snippet: str) -> Iterator[HostSite]:
    site = HostSite(snippet)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            body = site.page(parts.path, parse_qs(parts.query))
            if body is None:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.server = server
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
