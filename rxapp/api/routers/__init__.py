"""One module per area; each defines ``router`` (an ``APIRouter``, paths relative to /api/v1)."""
