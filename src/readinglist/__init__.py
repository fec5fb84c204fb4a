"""readinglist: a terminal reading list for research papers saved from Daily Papers pages."""

__version__ = "0.1.0"
