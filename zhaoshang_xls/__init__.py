"""zsxls: batch processor for the 全员招商 monthly Excel reports."""

__version__ = "0.1.0"
