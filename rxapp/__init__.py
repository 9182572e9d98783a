"""Venture Command Center web app (Reflex). Pages arrange components and call domain services."""
