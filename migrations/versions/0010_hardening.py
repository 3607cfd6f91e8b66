"""hardening: who edited a revision, the hash of published content, and session versions

Revision ID: 0010_hardening
Revises: 0007_ratings
Create Date: 2026-11-30 04:00:00

"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_hardening'
down_revision = '0007_ratings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_by', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('content_hash', sa.String(length=64), nullable=True))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), nullable=False, server_default='0')
        )
    _note_editors_of_open_revisions()


def _note_editors_of_open_revisions():
    # Drafts opened before this release: everyone the audit trail shows starting or saving
    # them, so that none of them can approve the draft now.
    connection = op.get_bind()
    users = dict(connection.execute(sa.text('SELECT username, id FROM "user"')).all())
    open_ids = [
        str(row[0])
        for row in connection.execute(
            sa.text(
                "SELECT id FROM revision "
                "WHERE status IN ('draft', 'rejected', 'in_review', 'approved')"
            )
        )
    ]
    editors = {revision_id: set() for revision_id in open_ids}
    for entity_id, actor in connection.execute(
        sa.text(
            "SELECT entity_id, actor FROM audit_event WHERE entity = 'revision' "
            "AND action IN ('revision.start', 'revision.save')"
        )
    ):
        if entity_id in editors and actor in users:
            editors[entity_id].add(users[actor])
    value = "CAST(:ids AS JSON)" if connection.dialect.name == "postgresql" else ":ids"
    for revision_id, user_ids in editors.items():
        if user_ids:
            connection.execute(
                sa.text(f"UPDATE revision SET edited_by = {value} WHERE id = :id"),
                {"ids": json.dumps(sorted(user_ids)), "id": int(revision_id)},
            )


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('content_hash')
        batch_op.drop_column('edited_by')
