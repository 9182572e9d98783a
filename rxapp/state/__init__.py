"""Reflex states: thin, one per page area; privileged handlers re-check the user server-side."""
