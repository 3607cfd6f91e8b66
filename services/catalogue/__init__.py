"""The published catalogue as residents see it: utilities, items and their current, upcoming
and dated revisions, and the halls where they are served with their opening hours."""
