"""Outage notices (停水 / 停电 / 停气 / 停热): what a utility announces before or during a
cut of supply, the notice period each sector owes residents, which outages are ongoing,
coming or over at a given moment, their update log, and the printed wall notice.

Whether an outage stands on the kiosk is decided by the clock alone (its start and its
expected end), so nothing has to run for an ended outage to leave the screens.
"""
