"""Display rows and badge styles built from domain views: pure functions, no state."""
