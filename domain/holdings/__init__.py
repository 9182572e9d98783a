"""The holdings wing: assets, bank accounts and their balance snapshots (HOLDINGS ventures)."""
