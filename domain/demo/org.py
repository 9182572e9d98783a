"""Demo organisation: the seven ventures of the group, their offices, staff of every role, and
global, venture and personal quick links."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from domain.access.passwords import hash_password
from domain.access.roles import Role
from domain.db import pk
from domain.demo import DEMO_PASSWORD, DemoContext, Size
from domain.org.models import (
    MembershipPeriod,
    Office,
    OfficeUser,
    QuickLink,
    User,
    Venture,
    VentureType,
    VentureUser,
)

# Memberships begin this many days before the anchor (the freight history is shorter).
DEMO_HISTORY_DAYS = 730
NY = "America/New_York"
KOL = "Asia/Kolkata"

# code, slug, name, type, currency, timezone, critical load amount
VENTURES = [
    ("AFL", "atlas-freight", "Atlas Freight Logistics", VentureType.LOGISTICS, "USD", NY, "10000"),
    ("MBR", "meridian-brokerage", "Meridian Brokerage", VentureType.LOGISTICS, "USD", NY, "8000"),
    ("RTR", "redtail-transport", "Redtail Transport", VentureType.TRANSPORT, "USD", NY, "12000"),
    (
        "HHG",
        "harbor-hospitality",
        "Harbor Hospitality Group",
        VentureType.HOSPITALITY,
        "USD",
        NY,
        "10000",
    ),
    ("PBP", "pinnacle-bpo", "Pinnacle BPO Partners", VentureType.BPO, "INR", KOL, "500000"),
    ("LGY", "ledgerly", "Ledgerly", VentureType.SAAS, "USD", NY, "10000"),
    ("KSH", "kestrel-holdings", "Kestrel Holdings", VentureType.HOLDINGS, "USD", NY, "10000"),
]

# venture code, office name, city, country, timezone
OFFICES = [
    ("AFL", "New York HQ", "New York", "United States", NY),
    ("AFL", "Newark Desk", "Newark", "United States", NY),
    ("AFL", "Kolkata Ops", "Kolkata", "India", KOL),
    ("MBR", "Jersey City", "Jersey City", "United States", NY),
    ("MBR", "Kolkata Desk", "Kolkata", "India", KOL),
    ("RTR", "Secaucus Yard", "Secaucus", "United States", NY),
    ("HHG", "Midtown Hotels", "New York", "United States", NY),
    ("HHG", "Brooklyn Hotels", "Brooklyn", "United States", NY),
    ("PBP", "Salt Lake", "Kolkata", "India", KOL),
    ("PBP", "Sector V", "Kolkata", "India", KOL),
    ("LGY", "Ledgerly NYC", "New York", "United States", NY),
    ("KSH", "Kestrel Office", "New York", "United States", NY),
]

# email, name, role, venture codes, office names ("CODE/Office")
STAFF = [
    ("ceo@vcc.example", "Maya Chen", Role.CEO, [], []),
    ("admin@vcc.example", "Arjun Mehta", Role.ADMIN, [], []),
    ("coo@vcc.example", "Laura Bennett", Role.COO, [], []),
    ("head.freight@vcc.example", "Daniel Okafor", Role.VENTURE_HEAD, ["AFL", "MBR", "RTR"], []),
    ("head.hotels@vcc.example", "Sofia Romano", Role.VENTURE_HEAD, ["HHG"], []),
    ("head.bpo@vcc.example", "Rahul Banerjee", Role.VENTURE_HEAD, ["PBP"], []),
    (
        "manager.afl@vcc.example",
        "Kevin Walsh",
        Role.OFFICE_MANAGER,
        ["AFL"],
        ["AFL/New York HQ", "AFL/Newark Desk"],
    ),
    (
        "manager.hotels@vcc.example",
        "Grace Kim",
        Role.OFFICE_MANAGER,
        ["HHG"],
        ["HHG/Midtown Hotels", "HHG/Brooklyn Hotels"],
    ),
    ("lead.bpo@vcc.example", "Ananya Ghosh", Role.TEAM_LEAD, ["PBP"], ["PBP/Salt Lake"]),
    ("lead.mbr@vcc.example", "Marcus Hill", Role.TEAM_LEAD, ["MBR"], ["MBR/Jersey City"]),
    (
        "finance@vcc.example",
        "Priya Nair",
        Role.FINANCE,
        ["AFL", "MBR", "RTR", "HHG", "PBP", "LGY", "KSH"],
        [
            "AFL/New York HQ",
            "MBR/Jersey City",
            "RTR/Secaucus Yard",
            "HHG/Midtown Hotels",
            "PBP/Salt Lake",
            "LGY/Ledgerly NYC",
            "KSH/Kestrel Office",
        ],
    ),
    (
        "finance.india@vcc.example",
        "Sourav Das",
        Role.FINANCE,
        ["PBP"],
        ["PBP/Salt Lake", "PBP/Sector V"],
    ),
    (
        "accounting@vcc.example",
        "Helen Park",
        Role.ACCOUNTING,
        ["AFL", "MBR", "RTR"],
        ["AFL/New York HQ", "MBR/Jersey City", "RTR/Secaucus Yard"],
    ),
    ("auditor@vcc.example", "Thomas Reed", Role.AUDITOR, [], []),
    ("hr@vcc.example", "Nadia Flores", Role.HR_ADMIN, [], []),
    ("csr.afl@vcc.example", "Emily Carter", Role.CSR, ["AFL"], ["AFL/New York HQ"]),
    ("csr.mbr@vcc.example", "Jason Lee", Role.CSR, ["MBR"], ["MBR/Jersey City"]),
    (
        "dispatch.rtr@vcc.example",
        "Carlos Ruiz",
        Role.DISPATCHER,
        ["RTR", "AFL"],
        ["RTR/Secaucus Yard", "AFL/Newark Desk"],
    ),
    ("carriers.afl@vcc.example", "Olivia Brooks", Role.CARRIER_TEAM, ["AFL"], ["AFL/Kolkata Ops"]),
    ("frontdesk.hhg@vcc.example", "Ben Turner", Role.EMPLOYEE, ["HHG"], ["HHG/Midtown Hotels"]),
    ("agent.pbp@vcc.example", "Ritika Sen", Role.EMPLOYEE, ["PBP"], ["PBP/Salt Lake"]),
    ("success.lgy@vcc.example", "Noah Adams", Role.EMPLOYEE, ["LGY"], ["LGY/Ledgerly NYC"]),
    ("contractor.pbp@vcc.example", "Imran Qureshi", Role.CONTRACTOR, ["PBP"], ["PBP/Sector V"]),
]

FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farhan",
    "Gina",
    "Hugo",
    "Isha",
    "Jake",
    "Kavya",
    "Liam",
    "Meera",
    "Nikhil",
    "Owen",
    "Pooja",
    "Quinn",
    "Riya",
    "Sam",
    "Tanvi",
    "Uma",
    "Victor",
    "Wendy",
    "Yusuf",
    "Zara",
]
LAST = [
    "Shah",
    "Miller",
    "Bose",
    "Garcia",
    "Iyer",
    "Johnson",
    "Kapoor",
    "Lopez",
    "Mitra",
    "Nguyen",
    "Patel",
    "Roy",
    "Smith",
    "Thomas",
    "Verma",
    "Wilson",
    "Young",
    "Chatterjee",
    "Davis",
    "Khan",
]

# Extra staff per size: (role, venture code) -> how many.
EXTRA_STAFF = {
    Size.SMALL: {
        (Role.CSR, "AFL"): 2,
        (Role.CSR, "MBR"): 1,
        (Role.DISPATCHER, "RTR"): 1,
        (Role.EMPLOYEE, "PBP"): 4,
        (Role.EMPLOYEE, "HHG"): 2,
    },
    Size.MEDIUM: {
        (Role.CSR, "AFL"): 8,
        (Role.CSR, "MBR"): 5,
        (Role.DISPATCHER, "RTR"): 4,
        (Role.CARRIER_TEAM, "AFL"): 3,
        (Role.EMPLOYEE, "PBP"): 25,
        (Role.EMPLOYEE, "HHG"): 8,
        (Role.EMPLOYEE, "LGY"): 4,
    },
    Size.LARGE: {
        (Role.CSR, "AFL"): 25,
        (Role.CSR, "MBR"): 15,
        (Role.DISPATCHER, "RTR"): 10,
        (Role.CARRIER_TEAM, "AFL"): 8,
        (Role.EMPLOYEE, "PBP"): 120,
        (Role.EMPLOYEE, "HHG"): 25,
        (Role.EMPLOYEE, "LGY"): 10,
    },
}

GLOBAL_LINKS = [
    ("Company handbook", "https://handbook.vcc.example/", "book-open"),
    ("IT help desk", "https://help.vcc.example/", "life-buoy"),
    ("Benefits portal", "https://benefits.vcc.example/", "heart"),
]
VENTURE_LINKS = {
    "AFL": [
        ("DAT load board", "https://one.dat.com/", "truck"),
        ("FMCSA SAFER", "https://safer.fmcsa.dot.gov/", "shield-check"),
    ],
    "MBR": [
        ("Truckstop", "https://truckstop.com/", "truck"),
        ("FMCSA SAFER", "https://safer.fmcsa.dot.gov/", "shield-check"),
    ],
    "RTR": [("ELD dashboard", "https://eld.redtail.example/", "gauge")],
    "HHG": [
        ("Google reviews", "https://business.google.com/reviews", "star"),
        ("Booking.com extranet", "https://admin.booking.com/", "bed"),
    ],
    "PBP": [
        ("Dialer console", "https://dialer.pinnacle.example/", "phone"),
        ("QA scorecards", "https://qa.pinnacle.example/", "clipboard-check"),
    ],
    "LGY": [("Stripe dashboard", "https://dashboard.stripe.com/", "credit-card")],
    "KSH": [("Bank portal", "https://bank.kestrel.example/", "landmark")],
}
PERSONAL_LINKS = {
    "csr.afl@vcc.example": [("My customer list", "https://crm.vcc.example/emily", "users")],
    "ceo@vcc.example": [("Board pack", "https://board.vcc.example/", "presentation")],
    "manager.hotels@vcc.example": [("Housekeeping rota", "https://rota.hhg.example/", "calendar")],
}


def seed(ctx: DemoContext) -> None:
    s = ctx.uow.session
    for code, slug, name, vtype, currency, tz, critical in VENTURES:
        v = Venture(
            code=code,
            slug=slug,
            name=name,
            type=vtype,
            currency=currency,
            timezone=tz,
            critical_load_amount=Decimal(critical),
        )
        s.add(v)
        ctx.ventures[code] = v
    s.flush()
    for code, name, city, country, tz in OFFICES:
        o = Office(
            venture_id=pk(ctx.ventures[code]), name=name, city=city, country=country, timezone=tz
        )
        s.add(o)
        ctx.offices[(code, name)] = o
    s.flush()

    password_hash = hash_password(DEMO_PASSWORD)  # one hash for every demo login (demo only)
    staff = list(STAFF)
    used = {e for e, *_ in staff}
    for (role, code), n in EXTRA_STAFF[ctx.size].items():
        offices = [name for (c, name) in ctx.offices if c == code]
        for _ in range(n):
            first, last = ctx.rng.choice(FIRST), ctx.rng.choice(LAST)
            base = f"{first}.{last}".lower()
            email, k = f"{base}@vcc.example", 1
            while email in used:
                k += 1
                email = f"{base}{k}@vcc.example"
            used.add(email)
            staff.append(
                (email, f"{first} {last}", role, [code], [f"{code}/{ctx.rng.choice(offices)}"])
            )

    for email, name, role, _codes, _offices in staff:
        u = User(email=email, name=name, role=role, password_hash=password_hash)
        s.add(u)
        ctx.users[email] = u
    s.flush()
    for email, _name, _role, codes, office_refs in staff:
        uid = pk(ctx.users[email])
        for code in codes:
            s.add(VentureUser(user_id=uid, venture_id=pk(ctx.ventures[code])))
            # The demo staff joined long before the demo's history begins.
            s.add(
                MembershipPeriod(
                    user_id=uid,
                    venture_id=pk(ctx.ventures[code]),
                    role=ctx.users[email].role,
                    valid_from=ctx.anchor - timedelta(days=DEMO_HISTORY_DAYS),
                )
            )
        for ref in office_refs:
            code, office = ref.split("/", 1)
            s.add(OfficeUser(user_id=uid, office_id=pk(ctx.offices[(code, office)])))

    admin_id = ctx.users["admin@vcc.example"].id
    for pos, (label, url, icon) in enumerate(GLOBAL_LINKS):
        s.add(QuickLink(label=label, url=url, icon=icon, position=pos, created_by_id=admin_id))
    for code, links in VENTURE_LINKS.items():
        for pos, (label, url, icon) in enumerate(links):
            s.add(
                QuickLink(
                    label=label,
                    url=url,
                    icon=icon,
                    position=pos,
                    venture_id=pk(ctx.ventures[code]),
                    created_by_id=admin_id,
                )
            )
    for email, links in PERSONAL_LINKS.items():
        uid = pk(ctx.users[email])
        for pos, (label, url, icon) in enumerate(links):
            s.add(
                QuickLink(
                    label=label, url=url, icon=icon, position=pos, user_id=uid, created_by_id=uid
                )
            )
    s.flush()
    ctx.count("ventures", len(VENTURES))
    ctx.count("offices", len(OFFICES))
    ctx.count("users", len(staff))
    ctx.count(
        "quick_links",
        len(GLOBAL_LINKS)
        + sum(map(len, VENTURE_LINKS.values()))
        + sum(map(len, PERSONAL_LINKS.values())),
    )


def demo_logins() -> list[dict[str, str]]:
    """The named demo accounts (not the generated extra staff), for the README and `make run`."""
    return [
        {"email": email, "name": name, "role": role.value, "ventures": ", ".join(codes) or "all"}
        for email, name, role, codes, _ in STAFF
    ]
