"""The whole catalogue as one workbook: utilities, halls, legal bases, channels and items with
every field of their content, one sheet per kind and one row per record, written to XLSX or
JSON and read back, checked as a whole before anything is written."""
