"""The daily briefing: items (fires, storms, wins) from events and from the briefing notebook."""
