"""The published catalogue as residents see it: utilities, items and their current, upcoming
and dated revisions, what a reader is shown of one revision, and the halls where they are
served with their opening hours."""
