"""The working-day calendar: public holidays and adjusted workdays, how far the calendar is
known, working days between dates and the due dates promised to residents."""
