"""Money as every answer of the API sends it: integer pence and a decimal string of pounds."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Money(BaseModel):
    pence: int
    pounds: str = Field(pattern=r"^-?[0-9]+\.[0-9]{2}$")
