"""administration: channels of several kinds, proposed and repealed legal bases, items'
suspension and retirement, forced password changes, and the public log of catalogue changes

Revision ID: 0009_administration
Revises: 0010_hardening
Create Date: 2026-11-30 04:00:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_administration'
down_revision = '0010_hardening'
branch_labels = None
depends_on = None


def upgrade():
    # A channel's single kind becomes the first of its list of kinds.
    with op.batch_alter_table('channel', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kinds', sa.JSON(), nullable=True))
    channel = sa.table('channel', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                       sa.column('kinds', sa.JSON))
    connection = op.get_bind()
    for row in connection.execute(sa.select(channel.c.id, channel.c.kind)).all():
        connection.execute(
            channel.update().where(channel.c.id == row.id).values(kinds=[row.kind])
        )
    with op.batch_alter_table('channel', schema=None) as batch_op:
        batch_op.alter_column('kinds', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('kind')

    with op.batch_alter_table('legal_basis', schema=None) as batch_op:
        batch_op.add_column(sa.Column('repealed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('version_in_force', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('articles', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('status', sa.Enum('proposed', 'approved', name='basisstatus', native_enum=False, length=20), nullable=False, server_default='approved'))
        batch_op.add_column(sa.Column('proposed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proposed_for_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_legal_basis_proposed_by_id_user'), 'user', ['proposed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_legal_basis_proposed_for_id_utility'), 'utility', ['proposed_for_id'], ['id'])

    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('status_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('successor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_item_successor_id_item'), 'item', ['successor_id'], ['id'])

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table('catalogue_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(), nullable=False),
        sa.Column('subject', sa.String(length=20), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('link', sa.JSON(), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_change'))
    )
    with op.batch_alter_table('catalogue_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_change_occurred_at'), ['occurred_at'], unique=False)


def downgrade():
    with op.batch_alter_table('catalogue_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_change_occurred_at'))
    op.drop_table('catalogue_change')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_item_successor_id_item'), type_='foreignkey')
        batch_op.drop_column('successor_id')
        batch_op.drop_column('status_since')
        batch_op.drop_column('status_reason')
    with op.batch_alter_table('legal_basis', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_legal_basis_proposed_for_id_utility'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_legal_basis_proposed_by_id_user'), type_='foreignkey')
        batch_op.drop_column('proposed_for_id')
        batch_op.drop_column('proposed_by_id')
        batch_op.drop_column('status')
        batch_op.drop_column('articles')
        batch_op.drop_column('version_in_force')
        batch_op.drop_column('repealed_on')
    with op.batch_alter_table('channel', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
    channel = sa.table('channel', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                       sa.column('kinds', sa.JSON))
    connection = op.get_bind()
    for row in connection.execute(sa.select(channel.c.id, channel.c.kinds)).all():
        kinds = row.kinds if isinstance(row.kinds, list) else json.loads(row.kinds or '[]')
        connection.execute(
            channel.update().where(channel.c.id == row.id).values(kind=(kinds or ['consult'])[0])
        )
    with op.batch_alter_table('channel', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_column('kinds')
