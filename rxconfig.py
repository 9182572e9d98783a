"""Reflex configuration for the Venture Command Center web app (package ``rxapp``).

No ``db_url`` here on purpose: the app reads and writes only through ``domain`` services, which
own their engine (``DATABASE_URL``). Reflex's own database helpers (``rx.session``, ``reflex db``)
are not used.
"""

import reflex as rx

config = rx.Config(
    app_name="rxapp",
    # Listen on this machine only unless told otherwise (`vcc serve --host`, VCC_HOST, or
    # REFLEX_BACKEND_HOST for a bare `reflex run`): Reflex's own default is 0.0.0.0.
    backend_host="127.0.0.1",
    telemetry_enabled=False,
    # Not explicitly enabled -> Reflex warns at every compile; an internal tool needs no sitemap.
    disable_plugins=[rx.plugins.SitemapPlugin],
    # One theme for the whole app; appearance follows the user's system (light or dark).
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                accent_color="indigo",
                gray_color="slate",
                radius="medium",
                scaling="100%",
                has_background=True,
            )
        )
    ],
    # Otherwise prod builds show a sticky "Built with Reflex" badge.
    show_built_with_reflex=False,
)
