"""Clients for external providers (email, SMS, FMCSA) behind small interfaces, with fakes."""
