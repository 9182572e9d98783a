"""Demo freight: customers, carriers, loads with consistent histories, quotes, outreach, briefing
items and FreightKpiDaily, for the LOGISTICS and TRANSPORT ventures.

Sizes: small about 2,000 loads over 120 days, medium about 100,000 over a year, large about
1,000,000 over two years. Every load gets a planned timeline (created, working, covered, in
transit, delivered; or lost, or dormant) from its creation time; what has happened by *now* is
its status, its timestamps and its LoadEvents, so the recent days hold open and moving loads and
the older ones are settled. *Now* is the seed's anchor instant (``ctx.as_of``, the clock frozen
there by ``domain.demo.seed``), never the wall clock: the same seed and anchor give the same data
at any hour, and a live board of loads in every open status is always there. Everything is
written with bulk SQLAlchemy Core inserts in chunks through ``ctx.engine`` (never the ORM), each
chunk its own transaction.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Date, Table, func, select, text
from sqlalchemy import Enum as SAEnum
from sqlmodel import col

from domain import clock
from domain.access.roles import Role
from domain.briefing.models import BriefingItem, Section, Severity
from domain.columns import MoneyType, UTCDateTime
from domain.db import pk
from domain.demo import DemoContext, Size
from domain.freight.briefing import big_load_text, load_link, lost_item_text
from domain.freight.kpi import backfill_kpi
from domain.freight.models import (
    AuthorityStatus,
    Carrier,
    Customer,
    Equipment,
    FreightQuote,
    Load,
    LoadEvent,
    LoadStatus,
    LostReason,
    Outreach,
    OutreachChannel,
    OutreachRecipient,
    QuoteStatus,
    RecipientStatus,
    SafetyRating,
)
from domain.org.models import OfficeUser, VentureUser

L = LoadStatus
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    loads: int
    days: int
    customers: dict[str, int]
    carriers: int
    quotes: int  # standalone quotes (plus one BOOKED quote behind ~8% of loads)
    outreach_share: float  # share of loads that had an outreach message


PLANS = {
    Size.SMALL: Plan(2_000, 120, {"AFL": 24, "MBR": 16, "RTR": 10}, 80, 250, 0.05),
    Size.MEDIUM: Plan(100_000, 365, {"AFL": 150, "MBR": 100, "RTR": 60}, 800, 6_000, 0.02),
    Size.LARGE: Plan(1_000_000, 730, {"AFL": 600, "MBR": 400, "RTR": 250}, 3_000, 40_000, 0.01),
}
VENTURE_SHARE = {"AFL": 0.55, "MBR": 0.27, "RTR": 0.18}
# Open statuses every freight venture has at the anchor, on top of the planned loads.
LIVE_BOARD = (
    LoadStatus.OPEN,
    LoadStatus.OPEN,
    LoadStatus.WORKING,
    LoadStatus.WORKING,
    LoadStatus.AT_RISK,
    LoadStatus.COVERED,
    LoadStatus.COVERED,
    LoadStatus.IN_TRANSIT,
)
CHUNK = 20_000

# city, state, latitude, longitude
CITIES = [
    ("Newark", "NJ", 40.74, -74.17),
    ("Elizabeth", "NJ", 40.66, -74.21),
    ("New York", "NY", 40.71, -74.01),
    ("Buffalo", "NY", 42.89, -78.88),
    ("Philadelphia", "PA", 39.95, -75.17),
    ("Pittsburgh", "PA", 40.44, -80.0),
    ("Allentown", "PA", 40.6, -75.47),
    ("Baltimore", "MD", 39.29, -76.61),
    ("Boston", "MA", 42.36, -71.06),
    ("Hartford", "CT", 41.76, -72.68),
    ("Richmond", "VA", 37.54, -77.44),
    ("Charlotte", "NC", 35.23, -80.84),
    ("Atlanta", "GA", 33.75, -84.39),
    ("Savannah", "GA", 32.08, -81.09),
    ("Jacksonville", "FL", 30.33, -81.66),
    ("Miami", "FL", 25.76, -80.19),
    ("Orlando", "FL", 28.54, -81.38),
    ("Nashville", "TN", 36.16, -86.78),
    ("Memphis", "TN", 35.15, -90.05),
    ("Louisville", "KY", 38.25, -85.76),
    ("Columbus", "OH", 39.96, -83.0),
    ("Cleveland", "OH", 41.5, -81.69),
    ("Cincinnati", "OH", 39.1, -84.51),
    ("Detroit", "MI", 42.33, -83.05),
    ("Indianapolis", "IN", 39.77, -86.16),
    ("Chicago", "IL", 41.88, -87.63),
    ("Milwaukee", "WI", 43.04, -87.91),
    ("Minneapolis", "MN", 44.98, -93.27),
    ("St. Louis", "MO", 38.63, -90.2),
    ("Kansas City", "MO", 39.1, -94.58),
    ("Omaha", "NE", 41.26, -95.93),
    ("Dallas", "TX", 32.78, -96.8),
    ("Houston", "TX", 29.76, -95.37),
    ("San Antonio", "TX", 29.42, -98.49),
    ("Laredo", "TX", 27.53, -99.49),
    ("Oklahoma City", "OK", 35.47, -97.52),
    ("Denver", "CO", 39.74, -104.99),
    ("Phoenix", "AZ", 33.45, -112.07),
    ("Salt Lake City", "UT", 40.76, -111.89),
    ("Las Vegas", "NV", 36.17, -115.14),
    ("Los Angeles", "CA", 34.05, -118.24),
    ("Ontario", "CA", 34.06, -117.65),
    ("Fresno", "CA", 36.74, -119.79),
    ("Oakland", "CA", 37.8, -122.27),
    ("Portland", "OR", 45.52, -122.68),
    ("Seattle", "WA", 47.61, -122.33),
]
# Where each venture's freight starts most often (the rest anywhere).
HOME_CITIES = {
    "AFL": ["Newark", "Elizabeth", "New York", "Philadelphia", "Allentown", "Baltimore"],
    "MBR": ["Newark", "Chicago", "Atlanta", "Dallas", "Columbus"],
    "RTR": ["Newark", "Elizabeth", "Hartford", "Boston", "Buffalo"],
}
EQUIPMENT_MIX = [
    (Equipment.DRY_VAN, 0.55),
    (Equipment.REEFER, 0.2),
    (Equipment.FLATBED, 0.12),
    (Equipment.STEP_DECK, 0.04),
    (Equipment.POWER_ONLY, 0.04),
    (Equipment.BOX_TRUCK, 0.03),
    (Equipment.HOTSHOT, 0.01),
    (Equipment.CONESTOGA, 0.01),
]
RATE_FACTOR = {
    Equipment.DRY_VAN: 1.0,
    Equipment.REEFER: 1.18,
    Equipment.FLATBED: 1.12,
    Equipment.STEP_DECK: 1.15,
    Equipment.POWER_ONLY: 0.9,
    Equipment.BOX_TRUCK: 0.8,
    Equipment.HOTSHOT: 1.05,
    Equipment.CONESTOGA: 1.2,
}
LOST_MIX = [
    (LostReason.RATE, 0.38),
    (LostReason.CAPACITY, 0.22),
    (LostReason.CUSTOMER_CANCELLED, 0.13),
    (LostReason.TENDER_REJECTED, 0.08),
    (LostReason.SERVICE_FAILURE, 0.07),
    (LostReason.COMPLIANCE, 0.04),
    (LostReason.INTERNAL_ERROR, 0.03),
    (LostReason.OTHER, 0.05),
]
LOST_NOTES = {
    LostReason.RATE: "Customer went with a cheaper broker",
    LostReason.CAPACITY: "No truck at the customer's rate",
    LostReason.CUSTOMER_CANCELLED: "Shipment cancelled by the customer",
    LostReason.TENDER_REJECTED: "Tender rejected before pickup",
    LostReason.SERVICE_FAILURE: "Missed the pickup window",
    LostReason.COMPLIANCE: "Carrier failed the compliance check",
    LostReason.INTERNAL_ERROR: "Booked on the wrong date",
    LostReason.OTHER: None,
}
CUSTOMER_FIRST = [
    "Acme", "Atlas", "Bluewater", "Cedar", "Copper", "Delta", "Eastern", "Evergreen", "Falcon",
    "Garden State", "Granite", "Harbor", "Hudson", "Ironbound", "Keystone", "Liberty", "Maple",
    "Meadow", "Northstar", "Oakridge", "Pioneer", "Redwood", "Riverbend", "Summit", "Tristate",
    "Union", "Valley", "Westfield", "Willow", "Zenith",
]  # fmt: skip
CUSTOMER_LAST = [
    "Foods", "Paper Co", "Beverages", "Building Supply", "Plastics", "Home Goods", "Steel",
    "Produce", "Pharma", "Packaging", "Electronics", "Furniture", "Textiles", "Chemicals",
    "Auto Parts", "Brewing", "Bakeries", "Distribution", "Appliances", "Outdoor",
]  # fmt: skip
CARRIER_FIRST = [
    "Blue Ridge", "Iron Horse", "Swift Creek", "Lone Star", "Great Lakes", "Red Rock", "Prairie",
    "Coastal", "Mountain View", "Eagle", "Road Runner", "Silver Line", "Heartland", "Big Sky",
    "Patriot", "Mustang", "Pinecrest", "Golden Gate", "Thunder", "Cardinal", "Bayou", "Empire",
    "Frontier", "Sunbelt", "Granite State", "Keystone", "Hawkeye", "Buckeye", "Magnolia",
    "Palmetto",
]  # fmt: skip
CARRIER_LAST = [
    "Transport", "Trucking", "Freight Lines", "Logistics", "Carriers", "Express", "Haulers",
    "Transit", "Motor Lines", "Cartage",
]  # fmt: skip
STATES = sorted({c[1] for c in CITIES})


def _weighted(rng: Any, mix: list[tuple[Any, float]]) -> Any:
    x, acc = rng.random(), 0.0
    for value, w in mix:
        acc += w
        if x < acc:
            return value
    return mix[-1][0]


def _miles(a: tuple[str, str, float, float], b: tuple[str, str, float, float]) -> int:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[2], a[3], b[2], b[3]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return max(25, round(3959 * 2 * math.asin(math.sqrt(h)) * 1.18))


@dataclass
class Staff:
    sales: list[int]
    dispatchers: list[int]
    office_of: dict[int, int]
    offices: list[int]


@dataclass
class Stats:
    loads: int = 0
    events: int = 0
    quotes: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _sqlite_ts(value: datetime) -> str:
    # The text SQLAlchemy's SQLite DateTime stores (naive UTC, microseconds always present).
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _converter(column_type: Any, dialect: str) -> Any:
    """How a Python value of this column goes to the driver without SQLAlchemy's per-value
    processing (the main cost of a million-row insert)."""
    if isinstance(column_type, SAEnum):
        return lambda v: v.value if isinstance(v, StrEnum) else v
    if dialect != "sqlite":
        return None
    if isinstance(column_type, UTCDateTime):
        return _sqlite_ts
    if isinstance(column_type, MoneyType):
        return float
    if isinstance(column_type, Date):
        return date.isoformat
    return None


class _Writer:
    """Buffers rows per table and writes them in chunks, each chunk its own transaction: plain
    executemany of driver-ready tuples on SQLite, COPY on PostgreSQL."""

    def __init__(self, ctx: DemoContext) -> None:
        self.engine = ctx.engine
        self.dialect = ctx.engine.dialect.name
        self.buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # Parents before children (foreign keys).
        models = (Carrier, Customer, FreightQuote, Load, LoadEvent, Outreach, OutreachRecipient)
        self.tables: dict[str, Table] = {_table(m).name: _table(m) for m in (*models, BriefingItem)}
        self.order: list[str] = list(self.tables)
        self.ready: set[str] = set()  # tables whose rows arrive driver-ready
        sqlite = self.dialect == "sqlite"
        # Driver-ready values for the hot tables (loads and their events).
        self.ts: Any = _sqlite_ts if sqlite else (lambda v: v)
        self.money: Any = float if sqlite else (lambda v: v)
        self.day: Any = date.isoformat if sqlite else (lambda v: v)

    def add(self, model: Any, row: dict[str, Any], *, ready: bool = False) -> None:
        """Buffer a row; ``ready``: its values are already what the driver takes."""
        name = _table(model).name
        if ready:
            self.ready.add(name)
        buf = self.buffers[name]
        buf.append(row)
        if len(buf) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not any(self.buffers.values()):
            return
        with self.engine.begin() as conn:
            for name in self.order:
                rows = self.buffers[name]
                if rows:
                    self._write(conn, self.tables[name], rows)
                    rows.clear()

    def _write(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        names = list(rows[0])
        if table.name in self.ready:
            data = [tuple(r.values()) for r in rows]
        else:
            convs = [_converter(table.c[n].type, self.dialect) for n in names]
            data = [
                tuple(
                    v if f is None or v is None else f(v)
                    for f, v in zip(convs, (r[n] for n in names), strict=True)
                )
                for r in rows
            ]
        cols = ", ".join(f'"{n}"' for n in names)
        if self.dialect == "postgresql":
            raw: Any = conn.connection.dbapi_connection  # psycopg's connection: COPY
            with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as cp:
                for row in data:
                    cp.write_row(row)
        else:
            marks = ", ".join("?" for _ in names)
            conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})', data)


def _fix_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL: explicit ids do not advance the id sequence; move it past the max id."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"
            )
        )


def _staff(ctx: DemoContext, conn: Connection) -> dict[str, Staff]:
    """Who sells and dispatches for each freight venture, and their office there."""
    out: dict[str, Staff] = {}
    roles = {pk(u): u.role for u in ctx.users.values()}
    for code in VENTURE_SHARE:
        vid = pk(ctx.ventures[code])
        members = [
            int(u)
            for u in conn.execute(
                select(col(VentureUser.user_id)).where(col(VentureUser.venture_id) == vid)
            ).scalars()
        ]
        offices = [pk(o) for (c, _), o in ctx.offices.items() if c == code]
        office_of: dict[int, int] = {}
        for uid, oid in conn.execute(
            select(col(OfficeUser.user_id), col(OfficeUser.office_id)).where(
                col(OfficeUser.office_id).in_(offices)
            )
        ):
            office_of.setdefault(int(uid), int(oid))
        sellers = [
            u
            for u in members
            if roles.get(u) in (Role.CSR, Role.EMPLOYEE, Role.TEAM_LEAD, Role.OFFICE_MANAGER)
        ]
        dispatchers = [u for u in members if roles.get(u) is Role.DISPATCHER]
        if not sellers:  # RTR sells through its dispatchers and the venture head
            sellers = dispatchers + [
                u for u in members if roles.get(u) in (Role.VENTURE_HEAD, Role.TEAM_LEAD)
            ]
        out[code] = Staff(sellers or members, dispatchers, office_of, offices)
    return out


def _local(day: date, seconds: float, tz: str) -> datetime:
    start, _ = clock.day_bounds_utc(day, tz)
    return start + timedelta(seconds=seconds)


def _day_counts(rng: Any, total: int, first: date, days: int, now_fraction: float) -> list[int]:
    """Loads per day: growing over the period, fewer at weekends, today only so far."""
    weights = []
    for i in range(days):
        d = first + timedelta(days=i)
        w = (0.65 + 0.35 * i / max(days - 1, 1)) * (1.0, 1.0, 1.0, 1.0, 0.95, 0.35, 0.2)[
            d.weekday()
        ]
        w *= rng.uniform(0.85, 1.15)
        if i == days - 1:
            w *= now_fraction
        weights.append(w)
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(x) for x in raw]
    rest = total - sum(counts)
    for i in sorted(range(days), key=lambda i: raw[i] - counts[i], reverse=True)[:rest]:
        counts[i] += 1
    return counts


def seed(ctx: DemoContext) -> None:
    t_start = time.perf_counter()
    plan = PLANS[ctx.size]
    rng = ctx.rng
    now = ctx.as_of
    writer = _Writer(ctx)
    with ctx.engine.connect() as conn:
        staff = _staff(ctx, conn)
        next_ids = {
            t.name: int(conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one()) + 1
            for t in map(
                _table,
                (
                    Customer,
                    Carrier,
                    FreightQuote,
                    Load,
                    LoadEvent,
                    Outreach,
                    OutreachRecipient,
                    BriefingItem,
                ),
            )
        }

    def new_id(model: Any) -> int:
        name = _table(model).name
        value = next_ids[name]
        next_ids[name] = value + 1
        return value

    # -- carriers (global) ----------------------------------------------------------------------
    carriers_by_equipment: dict[Equipment, list[tuple[int, str | None, str | None]]] = defaultdict(
        list
    )
    used_names: set[str] = set()
    mc_base, dot_base = 100_000 + rng.randrange(500_000), 1_000_000 + rng.randrange(2_000_000)
    for i in range(plan.carriers):
        name = f"{rng.choice(CARRIER_FIRST)} {rng.choice(CARRIER_LAST)}"
        while name in used_names:
            name = f"{rng.choice(CARRIER_FIRST)} {rng.choice(CARRIER_LAST)} {len(used_names) % 97}"
        used_names.add(name)
        equipment = _weighted(rng, EQUIPMENT_MIX)
        x = rng.random()
        active, blocked, authority, rating, insured = True, False, "ok", None, True
        if x < 0.03:
            blocked = True
        elif x < 0.05:
            authority = "inactive"
        elif x < 0.06:
            rating = SafetyRating.UNSATISFACTORY
        elif x < 0.07:
            insured = False
        elif x < 0.09:
            active = False
        cid = new_id(Carrier)
        phone = (
            f"+1 ({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
            if rng.random() < 0.92
            else None
        )
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:24]
        email = f"dispatch@{slug}.example" if rng.random() < 0.75 else None
        writer.add(
            Carrier,
            {
                "id": cid,
                "mc_number": str(mc_base + i * 7),
                "dot_number": str(dot_base + i * 13),
                "name": name,
                "equipment": equipment,
                "phone": phone,
                "email": email,
                "home_state": rng.choice(STATES),
                "is_active": active,
                "is_blocked": blocked,
                "blocked_reason": "Double-brokered a load" if blocked else None,
                "authority_status": AuthorityStatus.INACTIVE
                if authority == "inactive"
                else AuthorityStatus.ACTIVE,
                "safety_rating": rating
                or (SafetyRating.SATISFACTORY if rng.random() < 0.7 else SafetyRating.NOT_RATED),
                "insurance_on_file": insured,
                "fmcsa_checked_at": now
                - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23)),
                "created_at": now - timedelta(days=plan.days + rng.randint(30, 900)),
            },
        )
        if active and not blocked and authority == "ok" and rating is None and insured:
            carriers_by_equipment[equipment].append((cid, phone, email))
    eligible_all = [c for cs in carriers_by_equipment.values() for c in cs]

    # -- customers --------------------------------------------------------------------------------
    customers: dict[str, list[tuple[int, int | None]]] = {}
    for code, n in plan.customers.items():
        vid = pk(ctx.ventures[code])
        st = staff[code]
        names: set[str] = set()
        rows: list[tuple[int, int | None]] = []
        for _ in range(n):
            name = f"{rng.choice(CUSTOMER_FIRST)} {rng.choice(CUSTOMER_LAST)}"
            while name in names:
                name = f"{rng.choice(CUSTOMER_FIRST)} {rng.choice(CUSTOMER_LAST)} {len(names)}"
            names.add(name)
            cid = new_id(Customer)
            sales = rng.choice(st.sales)
            csr = rng.choice(st.sales) if rng.random() < 0.6 else None
            writer.add(
                Customer,
                {
                    "id": cid,
                    "venture_id": vid,
                    "name": name,
                    "code": f"C{cid:05d}",
                    "sales_user_id": sales,
                    "csr_user_id": csr,
                    "is_active": rng.random() > 0.04,
                    "created_at": now - timedelta(days=plan.days + rng.randint(1, 700)),
                },
            )
            rows.append((cid, sales))
        customers[code] = rows
    writer.flush()

    # -- loads ------------------------------------------------------------------------------------
    stats = Stats()
    city_by_name = {c[0]: c for c in CITIES}
    recent_lost: list[dict[str, Any]] = []
    recent_big: list[dict[str, Any]] = []
    outreach_candidates: list[dict[str, Any]] = []
    for code, share in VENTURE_SHARE.items():
        venture = ctx.ventures[code]
        vid, tz = pk(venture), venture.timezone
        st = staff[code]
        today = clock.business_date(now, tz)
        first = today - timedelta(days=plan.days - 1)
        day_start, _ = clock.day_bounds_utc(today, tz)
        now_fraction = max(0.02, (now - day_start).total_seconds() / 86_400)
        counts = _day_counts(rng, round(plan.loads * share), first, plan.days, now_fraction)
        homes = [city_by_name[c] for c in HOME_CITIES[code]]
        cust = customers[code]
        seq = 0
        for i, n in enumerate(counts):
            day = first + timedelta(days=i)
            day_start, day_end = clock.day_bounds_utc(day, tz)
            span = min((day_end - day_start).total_seconds(), (now - day_start).total_seconds())
            for _ in range(n):
                seq += 1
                if span >= 86_000:  # business hours, a few at night
                    secs = (
                        rng.uniform(6.5, 19.5) * 3600
                        if rng.random() < 0.93
                        else rng.uniform(0, 86_000)
                    )
                else:
                    secs = rng.uniform(0, max(span - 60, 1))
                created = min(day_start + timedelta(seconds=secs), now - timedelta(seconds=30))
                _make_load(
                    ctx,
                    writer,
                    stats,
                    new_id,
                    rng,
                    now=now,
                    vid=vid,
                    code=code,
                    tz=tz,
                    seq=seq,
                    created=created,
                    staff=st,
                    customer=rng.choice(cust),
                    origin=rng.choice(homes) if rng.random() < 0.6 else rng.choice(CITIES),
                    carriers=carriers_by_equipment,
                    eligible_all=eligible_all,
                    critical=venture.critical_load_amount,
                    plan=plan,
                    recent_lost=recent_lost,
                    recent_big=recent_big,
                    outreach=outreach_candidates,
                )
        # The live board: loads of the last two days standing in every open status at the
        # anchor, whatever its weekday, so a fresh demo (and the browser tests) always shows
        # work in progress.
        for want in LIVE_BOARD:
            seq += 1
            _make_load(
                ctx,
                writer,
                stats,
                new_id,
                rng,
                now=now,
                vid=vid,
                code=code,
                tz=tz,
                seq=seq,
                created=now - timedelta(minutes=5),
                staff=st,
                customer=rng.choice(cust),
                origin=rng.choice(homes),
                carriers=carriers_by_equipment,
                eligible_all=eligible_all,
                critical=venture.critical_load_amount,
                plan=plan,
                recent_lost=recent_lost,
                recent_big=recent_big,
                outreach=outreach_candidates,
                want=want,
            )
    writer.flush()

    # -- outreach ---------------------------------------------------------------------------------
    outreach_rows = 0
    for cand in outreach_candidates:
        equipment_pool = carriers_by_equipment.get(cand["equipment"]) or eligible_all
        with_phone = [c for c in equipment_pool if c[1]] or [c for c in eligible_all if c[1]]
        k = min(len(with_phone), rng.randint(3, 12))
        picked = rng.sample(with_phone, k)
        awarded = cand.get("carrier_id")
        if awarded and awarded not in [c[0] for c in picked]:
            picked[0] = next((c for c in eligible_all if c[0] == awarded), picked[0])
        oid = new_id(Outreach)
        sent_at = cand["sent_at"]
        statuses = [
            RecipientStatus.FAILED
            if rng.random() < 0.05 and c[0] != awarded
            else RecipientStatus.SENT
            for c in picked
        ]
        writer.add(
            Outreach,
            {
                "id": oid,
                "venture_id": cand["venture_id"],
                "load_id": cand["load_id"],
                "channel": OutreachChannel.SMS,
                "subject": None,
                "body": cand["body"],
                "sent_by_id": cand["sender"],
                "created_at": sent_at,
                "sent_count": statuses.count(RecipientStatus.SENT),
                "failed_count": statuses.count(RecipientStatus.FAILED),
                "awarded_carrier_id": awarded,
                "awarded_by_id": cand["sender"] if awarded else None,
                "awarded_at": cand.get("covered_at"),
            },
        )
        for (cid, phone, _email), status in zip(picked, statuses, strict=True):
            writer.add(
                OutreachRecipient,
                {
                    "id": new_id(OutreachRecipient),
                    "outreach_id": oid,
                    "carrier_id": cid,
                    "address": phone or "",
                    "status": status,
                    "provider_message_id": f"DEMO-{oid}-{cid}"
                    if status is RecipientStatus.SENT
                    else None,
                    "error": "Undeliverable number" if status is RecipientStatus.FAILED else None,
                    "sent_at": sent_at,
                    "attempts": 1,
                },
            )
        outreach_rows += 1
    writer.flush()

    # -- standalone quotes ------------------------------------------------------------------------
    quote_mix = [
        (QuoteStatus.REJECTED, 0.24),
        (QuoteStatus.NO_RESPONSE, 0.22),
        (QuoteStatus.EXPIRED, 0.12),
        (QuoteStatus.SENT, 0.14),
        (QuoteStatus.COUNTERED, 0.07),
        (QuoteStatus.ACCEPTED, 0.07),
        (QuoteStatus.DRAFT, 0.14),
    ]
    for code, share in VENTURE_SHARE.items():
        venture = ctx.ventures[code]
        vid, tz = pk(venture), venture.timezone
        for _ in range(round(plan.quotes * share)):
            created = now - timedelta(seconds=rng.uniform(600, plan.days * 86_400))
            qstatus: QuoteStatus = _weighted(rng, quote_mix)
            age_days = (now - created).days
            if qstatus is QuoteStatus.SENT and age_days > 14:
                qstatus = QuoteStatus.NO_RESPONSE
            origin = rng.choice(CITIES)
            dest = rng.choice([c for c in CITIES if c != origin])
            miles = _miles(origin, dest)
            equipment = _weighted(rng, EQUIPMENT_MIX)
            rate = _rate(rng, miles, equipment)
            customer_id, quote_sales = rng.choice(customers[code])
            quote_sales = quote_sales or rng.choice(staff[code].sales)
            sent = qstatus is not QuoteStatus.DRAFT
            stats.quotes += 1
            writer.add(
                FreightQuote,
                {
                    "id": new_id(FreightQuote),
                    "venture_id": vid,
                    "customer_id": customer_id,
                    "sales_user_id": quote_sales,
                    "pickup_city": origin[0],
                    "pickup_state": origin[1],
                    "drop_city": dest[0],
                    "drop_state": dest[1],
                    "pickup_date": clock.business_date(created, tz) + timedelta(days=3),
                    "miles": miles,
                    "equipment": equipment,
                    "quoted_rate": rate,
                    "status": qstatus,
                    "expires_at": created + timedelta(days=7),
                    "sent_at": created + timedelta(minutes=20) if sent else None,
                    "converted_at": None,
                    "created_by_id": quote_sales,
                    "created_at": created,
                    "updated_at": min(now, created + timedelta(hours=rng.randint(0, 72)))
                    if sent
                    else created,
                },
            )
    writer.flush()

    # -- briefing items of the last days (what the event handlers would have written) ---------
    items = 0
    for row in recent_lost:
        title, detail = lost_item_text(
            row["reference"], row["reason"].value, row["note"], row["bill"], "USD"
        )
        items += _briefing(writer, new_id, row, Severity.CRITICAL, title, detail, "load-lost")
    for row in recent_big:
        title, detail = big_load_text(row["reference"], row["bill"], "USD")
        items += _briefing(writer, new_id, row, Severity.INFO, title, detail, "load-delivered")
    writer.flush()

    with ctx.engine.begin() as conn:
        _fix_sequences(
            conn,
            [
                _table(m)
                for m in (
                    Customer,
                    Carrier,
                    FreightQuote,
                    Load,
                    LoadEvent,
                    Outreach,
                    OutreachRecipient,
                    BriefingItem,
                )
            ],
        )
    if ctx.engine.dialect.name == "postgresql" and ctx.size is not Size.SMALL:
        # Fresh planner statistics and visibility map after a bulk load (index-only scans).
        with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for t in ("freight_load", "freight_load_event", "freight_quote"):
                conn.exec_driver_sql(f"VACUUM (ANALYZE) {t}")
    t_loads = time.perf_counter()

    # -- FreightKpiDaily for the whole period -----------------------------------------------------
    # Through the anchor date itself: the business day that has just begun in the Americas when
    # the demo's history ends, so a dashboard of "today" finds its day stored, at any hour.
    first_day = min(
        clock.business_date(now, v.timezone) for v in ctx.ventures.values()
    ) - timedelta(days=plan.days - 1)
    kpi = backfill_kpi(None, first_day, ctx.anchor, run_id="demo-seed", engine=ctx.engine)
    ctx.count("freight_customers", sum(plan.customers.values()))
    ctx.count("carriers", plan.carriers)
    ctx.count("loads", stats.loads)
    ctx.count("load_events", stats.events)
    ctx.count("quotes", stats.quotes)
    ctx.count("outreach_messages", outreach_rows)
    ctx.count("briefing_items", items)
    ctx.count("freight_kpi_days", kpi.rows_written)
    log.info(
        "demo freight: %s loads in %.1f s, KPI backfill %.1f s",
        stats.loads,
        t_loads - t_start,
        time.perf_counter() - t_loads,
    )


def _briefing(
    writer: _Writer,
    new_id: Any,
    row: dict[str, Any],
    severity: Severity,
    title: str,
    detail: str,
    prefix: str,
) -> int:
    writer.add(
        BriefingItem,
        {
            "id": new_id(BriefingItem),
            "venture_id": row["venture_id"],
            "business_date": row["day"],
            "section": Section.FREIGHT,
            "severity": severity,
            "title": title,
            "detail": detail,
            "link": load_link(row["load_id"]),
            "source_key": f"{prefix}:{row['load_id']}",
            "created_at": row["at"],
        },
    )
    return 1


def _rate(rng: Any, miles: int, equipment: Equipment) -> Decimal:
    per_mile = rng.uniform(1.9, 3.1) * RATE_FACTOR[equipment] * (1.35 if miles < 250 else 1.0)
    amount = max(375.0, miles * per_mile)
    if rng.random() < 0.004:  # project freight: oversize, multi-stop
        amount = rng.uniform(10_500, 26_000)
    return Decimal(round(amount / 5) * 5).quantize(Decimal("0.01"))


def _events_of(
    rng: Any, created: datetime, miles: int, tz: str
) -> tuple[str, list[tuple[datetime, LoadStatus]], date, date]:
    """The planned life of a load from its creation: (outcome, [(at, status)], pickup, drop)."""
    hours = timedelta(hours=1)
    t = created
    ev = [(t, L.OPEN)]
    x = rng.random()
    pickup = clock.business_date(created, tz) + timedelta(days=rng.choice((0, 1, 1, 2, 2, 3)))
    transit_h = miles / rng.uniform(38, 48) + rng.uniform(2, 10)
    if x < 0.03:  # goes quiet
        ev.append((t + rng.uniform(48, 120) * hours, L.DORMANT))
        if rng.random() < 0.3:  # and wakes up later
            ev.append((ev[-1][0] + rng.uniform(24, 96) * hours, L.WORKING))
        drop = pickup + timedelta(hours=transit_h)
        return "dormant", ev, pickup, drop
    if x < 0.07:  # lost before anyone worked it
        ev.append((t + rng.uniform(1, 30) * hours, L.LOST))
        return "lost", ev, pickup, pickup + timedelta(days=int(transit_h // 24))
    t = t + rng.uniform(0.15, 4) * hours
    ev.append((t, L.WORKING))
    if x < 0.17:  # lost while working
        if rng.random() < 0.3:
            t = t + rng.uniform(2, 12) * hours
            ev.append((t, L.AT_RISK))
        ev.append((t + rng.uniform(2, 40) * hours, L.LOST))
        return "lost", ev, pickup, pickup + timedelta(days=int(transit_h // 24))
    if rng.random() < 0.1:
        t = t + rng.uniform(2, 12) * hours
        ev.append((t, L.AT_RISK))
    t = t + rng.uniform(0.5, 28) * hours
    ev.append((t, L.COVERED))
    if rng.random() < 0.07:  # the truck fell off, covered again
        t = t + rng.uniform(2, 20) * hours
        ev.append((t, L.FELL_OFF))
        t = t + rng.uniform(0.5, 10) * hours
        ev.append((t, L.COVERED))
    if x < 0.185:  # lost after cover (service failure, cancellation)
        ev.append((t + rng.uniform(2, 24) * hours, L.LOST))
        return "lost", ev, pickup, pickup + timedelta(days=int(transit_h // 24))
    pickup_at = (
        datetime.combine(pickup, datetime.min.time(), tzinfo=clock.zone(tz)).astimezone(UTC)
        + rng.uniform(7, 16) * hours
    )
    t = max(pickup_at, t + 0.5 * hours)
    ev.append((t, L.IN_TRANSIT))
    t = t + transit_h * hours
    ev.append((t, L.DELIVERED))
    return "delivered", ev, clock.business_date(ev[-2][0], tz), clock.business_date(t, tz)


def _make_load(
    ctx: DemoContext,
    writer: _Writer,
    stats: Stats,
    new_id: Any,
    rng: Any,
    *,
    now: datetime,
    vid: int,
    code: str,
    tz: str,
    seq: int,
    created: datetime,
    staff: Staff,
    customer: tuple[int, int | None],
    origin: tuple[str, str, float, float],
    carriers: dict[Equipment, list[tuple[int, str | None, str | None]]],
    eligible_all: list[tuple[int, str | None, str | None]],
    critical: Decimal,
    plan: Plan,
    recent_lost: list[dict[str, Any]],
    recent_big: list[dict[str, Any]],
    outreach: list[dict[str, Any]],
    want: LoadStatus | None = None,
) -> None:
    dest = rng.choice(CITIES)
    while dest is origin:
        dest = rng.choice(CITIES)
    miles = _miles(origin, dest)
    equipment = _weighted(rng, EQUIPMENT_MIX)
    bill = _rate(rng, miles, equipment)
    _outcome, planned, pickup, drop = _events_of(rng, created, miles, tz)
    if want is not None:
        # A load of the live board: redraw its creation in the last two days and its life
        # until it stands in the wanted status at ``now`` (the seeded rng keeps it repeatable).
        for _ in range(5_000):
            if [s for at, s in planned if at <= now][-1] is want:
                break
            created = now - timedelta(seconds=rng.uniform(120, 48 * 3600))
            _outcome, planned, pickup, drop = _events_of(rng, created, miles, tz)
        else:
            raise RuntimeError(f"demo: no {want.value} load could be planned for the live board")
    events = [(at, s) for at, s in planned if at <= now]
    status = events[-1][1]
    customer_id, customer_sales = customer
    sales = customer_sales if customer_sales and rng.random() < 0.7 else rng.choice(staff.sales)
    office = staff.office_of.get(sales) or rng.choice(staff.offices)
    dispatcher = rng.choice(staff.dispatchers) if staff.dispatchers and rng.random() < 0.5 else None
    covered_at = max((at for at, s in events if s is L.COVERED), default=None)
    delivered_at = next((at for at, s in events if s is L.DELIVERED), None)
    lost_at = next((at for at, s in events if s is L.LOST), None)
    carrier_id = None
    if covered_at is not None and status in (L.COVERED, L.IN_TRANSIT, L.DELIVERED, L.LOST):
        pool = carriers.get(equipment) or eligible_all
        carrier_id = rng.choice(pool)[0]
    cost = None
    if carrier_id is not None:
        cost = (bill * Decimal(str(round(rng.uniform(0.76, 0.93), 3)))).quantize(Decimal("0.01"))
        if rng.random() < 0.02:
            cost = None  # the carrier invoice is not in yet
    reason = _weighted(rng, LOST_MIX) if status is L.LOST else None
    load_id = new_id(Load)
    reference = f"{code}-{load_id:07d}"
    day_of = clock.business_date
    has_quote = rng.random() < 0.08
    quote_id = new_id(FreightQuote) if has_quote else None
    if quote_id is not None:
        quoted = created - timedelta(hours=rng.uniform(2, 72))
        writer.add(
            FreightQuote,
            {
                "id": quote_id,
                "venture_id": vid,
                "customer_id": customer_id,
                "sales_user_id": sales,
                "pickup_city": origin[0],
                "pickup_state": origin[1],
                "drop_city": dest[0],
                "drop_state": dest[1],
                "pickup_date": pickup,
                "miles": miles,
                "equipment": equipment,
                "quoted_rate": bill,
                "status": QuoteStatus.BOOKED,
                "expires_at": quoted + timedelta(days=7),
                "sent_at": quoted + timedelta(minutes=15),
                "converted_at": created,
                "created_by_id": sales,
                "created_at": quoted,
                "updated_at": created,
            },
        )
    ts, money, day = writer.ts, writer.money, writer.day
    writer.add(
        Load,
        {
            "id": load_id,
            "venture_id": vid,
            "office_id": office,
            "reference": reference,
            "customer_id": customer_id,
            "carrier_id": carrier_id,
            "quote_id": quote_id,
            "pickup_city": origin[0],
            "pickup_state": origin[1],
            "pickup_date": day(pickup),
            "drop_city": dest[0],
            "drop_state": dest[1],
            "drop_date": day(max(drop, pickup)),
            "miles": miles,
            "equipment": equipment.value,
            "bill_amount": money(bill) if rng.random() > 0.01 else None,
            "cost_amount": money(cost) if cost is not None else None,
            "sales_user_id": sales,
            "dispatcher_user_id": dispatcher,
            "created_by_id": sales,
            "status": status.value,
            "created_at": ts(created),
            "updated_at": ts(events[-1][0]),
            "covered_at": ts(covered_at) if covered_at else None,
            "delivered_at": ts(delivered_at) if delivered_at else None,
            "lost_at": ts(lost_at) if lost_at else None,
            "billing_date": day(day_of(delivered_at, tz)) if delivered_at else None,
            "lost_reason": reason.value if reason else None,
            "lost_note": LOST_NOTES.get(reason) if reason else None,
        },
        ready=True,
    )
    previous: LoadStatus | None = None
    for at, s in events:
        writer.add(
            LoadEvent,
            {
                "id": new_id(LoadEvent),
                "load_id": load_id,
                "at": ts(at),
                "from_status": previous.value if previous else None,
                "to_status": s.value,
                "user_id": sales if s not in (L.COVERED, L.IN_TRANSIT) else (dispatcher or sales),
                "note": None,
            },
            ready=True,
        )
        previous = s
    stats.loads += 1
    stats.events += len(events)
    stats.by_status[status.value] += 1
    stats.quotes += quote_id is not None
    week_ago = now - timedelta(days=7)
    base = {"venture_id": vid, "load_id": load_id, "reference": reference}
    if lost_at is not None and lost_at >= week_ago:
        recent_lost.append(
            base
            | {
                "reason": reason,
                "note": LOST_NOTES.get(reason) if reason else None,
                "bill": bill,
                "at": lost_at,
                "day": day_of(lost_at, tz),
            }
        )
    if delivered_at is not None and delivered_at >= week_ago and bill >= critical:
        recent_big.append(
            base | {"bill": bill, "at": delivered_at, "day": day_of(delivered_at, tz)}
        )
    if (
        covered_at is not None or status in (L.WORKING, L.AT_RISK, L.FELL_OFF)
    ) and rng.random() < plan.outreach_share * (4 if created >= now - timedelta(days=21) else 1):
        working_at = next((at for at, s in events if s is L.WORKING), created)
        sent_at = min(
            working_at + timedelta(minutes=rng.uniform(5, 50)), now - timedelta(minutes=1)
        )
        if covered_at is not None:
            sent_at = min(sent_at, covered_at - timedelta(minutes=1))
        outreach.append(
            {
                "venture_id": vid,
                "load_id": load_id,
                "equipment": equipment,
                "carrier_id": carrier_id if covered_at is not None else None,
                "covered_at": covered_at if carrier_id is not None else None,
                "sender": dispatcher or sales,
                "sent_at": max(sent_at, created),
                "body": (
                    f"Load {reference}: {origin[0]}, {origin[1]} -> {dest[0]}, {dest[1]}, "
                    f"{miles} mi, {equipment.value.replace('_', ' ').lower()}, pickup "
                    f"{pickup:%b %d}. Reply YES with your rate to book."
                ),
            }
        )
