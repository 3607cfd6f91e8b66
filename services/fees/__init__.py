"""Fees and tariffs: tier checks and bills, and the fee spreadsheet — its format, reading one
fee from its rows, importing a whole sheet and exporting tables and blank templates."""
