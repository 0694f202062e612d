"""A multilingual gold corpus of web pages and the harness that scores systems against it."""

__version__ = "0.1.0"
