"""search index: one folded, pinyin-annotated row per item

Revision ID: 0002_search
Revises: 0001
Create Date: 2026-11-27 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_search'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('utility_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('refresh_on', sa.Date(), nullable=True),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_initials', sa.Text(), nullable=False),
    sa.Column('name_pinyin', sa.Text(), nullable=False),
    sa.Column('name_pinyin_spaced', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_initials', sa.Text(), nullable=False),
    sa.Column('body_pinyin_spaced', sa.Text(), nullable=False),
    sa.Column('indexed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_search_entry_item_id_item')),
    sa.ForeignKeyConstraint(['utility_id'], ['utility.id'], name=op.f('fk_search_entry_utility_id_utility')),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_search_entry_revision_id_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entry')),
    sa.UniqueConstraint('item_id', name=op.f('uq_search_entry_item_id'))
    )
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_entry_refresh_on'), ['refresh_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entry_utility_id'), ['utility_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # Every search reads every row: keep rows up to a page inline and uncompressed
        # (PostgreSQL compresses rows over 2 kB by default, and a scan then inflates each).
        op.execute('ALTER TABLE search_entry SET (toast_tuple_target = 8160)')


def downgrade():
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_entry_utility_id'))
        batch_op.drop_index(batch_op.f('ix_search_entry_refresh_on'))

    op.drop_table('search_entry')
