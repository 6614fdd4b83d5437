"""Council scale: relay leases, shared limits, hub jobs, kiosk heartbeats, journey versions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('heartbeats',
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('software_version', sa.String(length=32), nullable=False),
    sa.Column('journeys_version', sa.String(length=64), nullable=False),
    sa.Column('config_version', sa.String(length=64), nullable=False),
    sa.Column('outbox_queued', sa.Integer(), nullable=False),
    sa.Column('outbox_oldest_seconds', sa.Integer(), nullable=False),
    sa.Column('outbox_held', sa.Integer(), nullable=False),
    sa.Column('outbox_quarantined', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=40), nullable=False),
    sa.Column('uptime_seconds', sa.Integer(), nullable=False),
    sa.Column('free_disk_mb', sa.Integer(), nullable=False),
    sa.Column('screen', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('kiosk_id')
    )
    with op.batch_alter_table('heartbeats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_heartbeats_site'), ['site'], unique=False)

    op.create_table('hub_jobs',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('next_run_at', sa.DateTime(), nullable=False),
    sa.Column('last_run_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('journey_versions',
    sa.Column('journey_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('journey_id', 'version')
    )
    op.create_table('limit_blocks',
    sa.Column('limiter', sa.String(length=40), nullable=False),
    sa.Column('client', sa.String(length=200), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('limiter', 'client')
    )
    with op.batch_alter_table('limit_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_limit_blocks_until'), ['until'], unique=False)

    op.create_table('limit_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('limiter', sa.String(length=40), nullable=False),
    sa.Column('client', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('limit_hits', schema=None) as batch_op:
        batch_op.create_index('ix_limit_hits_at', ['limiter', 'at'], unique=False)
        batch_op.create_index('ix_limit_hits_client', ['limiter', 'client', 'at'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relay_owner', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('relay_lease_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('journey_version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('journey_version', sa.Integer(), server_default='1', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_column('journey_version')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('journey_version')
        batch_op.drop_column('relay_lease_until')
        batch_op.drop_column('relay_owner')

    with op.batch_alter_table('limit_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_limit_hits_client')
        batch_op.drop_index('ix_limit_hits_at')

    op.drop_table('limit_hits')
    with op.batch_alter_table('limit_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_limit_blocks_until'))

    op.drop_table('limit_blocks')
    op.drop_table('journey_versions')
    op.drop_table('hub_jobs')
    with op.batch_alter_table('heartbeats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_heartbeats_site'))

    op.drop_table('heartbeats')
