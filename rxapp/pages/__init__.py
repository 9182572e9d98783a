"""Page functions only: they arrange components; no business logic, no database."""
