"""Logging set-up (placeholder until structured ECS logs land)."""

from __future__ import annotations

import logging

from lct.config import Settings


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
