"""Spreadsheet files as people make them: XLSX and CSV read and written, told apart by content,
measured before they are loaded and read in a child process with limits, and single cells
read the way a person meant them."""
