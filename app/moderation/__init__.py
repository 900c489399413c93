"""Moderation helpers that do not depend on the web layer: automatic flags on resident text."""
