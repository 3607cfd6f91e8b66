"""Backups: the whole database and the uploaded files in one archive, restorable into an
empty database of either kind (SQLite or PostgreSQL) at the same migration."""
