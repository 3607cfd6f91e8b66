"""Information requests (依申请公开): a resident's request to a utility for information it has
not published, its tracking number, the working-day deadline with clock stops and one
extension, the steps staff take, the applicant's contact kept apart and purged, and the
annual report."""
