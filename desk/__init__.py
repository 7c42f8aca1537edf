"""Desk: a shared support inbox that a small team runs on its own machine."""

__version__ = "0.1.0"
