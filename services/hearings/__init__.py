"""Price hearings and consultations (价格听证、征求意见): the announcement of a proposed tariff
beside the one in force with bills for typical usages, the window in which residents
comment, the summary the utility publishes after it, and the residents' contact details,
which only the utility's staff and admins see and which are purged after their retention.
"""
