"""Residents' ratings of services (好差评, 国办发〔2019〕51号): taking a rating, the
rectification case each bad review opens and its due date, the caller's phone number (kept
apart, seen by the responsible utility's staff and admins only, purged after its retention),
published rectifications, and the monthly results (ratings beside the handling figures)."""
