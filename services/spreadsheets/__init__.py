"""Spreadsheet files as people make them: XLSX and CSV read and written, told apart by content,
and single cells read the way a person meant them."""
