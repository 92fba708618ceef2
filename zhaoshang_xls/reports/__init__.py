"""Write stage: report workbooks laid out from computed data (xlsxwriter)."""
