"""The index that keeps a feed poll cheap.

Every pilot feed's fingerprint counts public pilots and takes their newest change, and every
rebuild wants the newest 50 of them: with (status, updated_at) both are answered from the index
alone, without reading a single pilot row.
"""

from sqlalchemy import Index

from app.pilots.models import Pilot

pilots_by_status_and_change = Index("ix_pilots_status_updated_at", Pilot.status, Pilot.updated_at)
