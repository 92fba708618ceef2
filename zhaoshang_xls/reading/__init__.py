"""Reading stage: open workbooks, find headers, normalise raw cell values."""
