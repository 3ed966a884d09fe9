"""Stand-in for the book's package: only its version line is read, as text."""

__version__ = "0.17.6"
