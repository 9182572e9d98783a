"""Analytics: reading narrow, scoped projections of the OLTP database into Polars frames.

``read_frame(select)`` is the one reader of notebooks and analyses: the domain builds the
SQLAlchemy select (with the actor's scope clauses), this module moves its rows into Polars by the
measured fastest offline path of each database (connectorx on PostgreSQL, the stdlib driver on
SQLite: ``../shared/notes/data-path.md``). DuckDB can then query the same frames in place.
"""

from domain.analytics.reader import actor_of, read_frame

__all__ = ["actor_of", "read_frame"]
