"""The published catalogue for machines: plain records for the API, CSV/XLSX exports and
Open311, and schema.org GovernmentService for item pages."""
