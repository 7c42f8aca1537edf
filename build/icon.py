"""Render desk/assets/desk.svg into the PNG sizes the desktop entry and the window use.

    .venv/bin/python build/icon.py

Uses the system's GdkPixbuf (with its librsvg loader) through PyGObject. The PNGs are
committed: run this again only after changing the SVG.
"""

from pathlib import Path

import gi

gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf  # noqa: E402

ASSETS = Path(__file__).resolve().parent.parent / "desk" / "assets"
SIZES = (16, 32, 48, 64, 128, 256)

for size in SIZES:
    pixbuf = GdkPixbuf.Pixbuf.new_from_file_at_size(str(ASSETS / "desk.svg"), size, size)
    pixbuf.savev(str(ASSETS / f"desk-{size}.png"), "png", [], [])
    print(f"desk/assets/desk-{size}.png")
