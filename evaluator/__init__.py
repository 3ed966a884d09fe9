"""easeval: measured evidence on how easy deep-learning frameworks are to use.

Kept import-light on purpose: worker processes import this package and must pay only for the
standard library, NumPy and their one framework.
"""

__version__ = "0.1.0"
