"""inclusive effective_to: a superseded revision's effective_to is its last day in force,
not its successor's first day, so that two date ranges never share a day

Revision ID: 0020_inclusive_effective_to
Revises: 0019_signups_and_reply_files
Create Date: 2026-11-30 10:15:00

"""

from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_inclusive_effective_to"
down_revision = "0019_signups_and_reply_files"
branch_labels = None
depends_on = None

revision_table = sa.table(
    "revision",
    sa.column("id", sa.Integer),
    sa.column("item_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("effective_from", sa.Date),
    sa.column("effective_to", sa.Date),
)


def _as_date(value):
    # SQLite hands dates back as text through a lightweight table.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _shift(days: int, ends_on_a_start: bool) -> None:
    """Move each superseded revision's effective_to by `days` where it is (or, going back,
    is the day before) the start of another public revision of the same item."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            revision_table.c.id,
            revision_table.c.item_id,
            revision_table.c.status,
            revision_table.c.effective_from,
            revision_table.c.effective_to,
        )
    ).all()
    starts = {
        (row.item_id, _as_date(row.effective_from))
        for row in rows
        if row.effective_from is not None and row.status.lower() in ("published", "superseded")
    }
    for row in rows:
        if row.effective_to is None or row.status.lower() != "superseded":
            continue
        ends = _as_date(row.effective_to)
        start = ends if ends_on_a_start else ends + timedelta(days=1)
        if (row.item_id, start) in starts:
            connection.execute(
                revision_table.update()
                .where(revision_table.c.id == row.id)
                .values(effective_to=ends + timedelta(days=days))
            )


def upgrade():
    _shift(-1, ends_on_a_start=True)


def downgrade():
    _shift(1, ends_on_a_start=False)
