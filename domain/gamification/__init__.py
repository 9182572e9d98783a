"""Gamification (spec/events-and-gamification.md, Points): points awarded on the outbox's events,
per-venture config, balances, leaderboards and badges."""
