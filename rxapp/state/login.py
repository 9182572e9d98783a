"""Login form UI state (placeholder).

Only presentation lives here for now: which mode the form is in and a notice. The real sign-in
(``domain.access.auth``: password check, email codes, session token) replaces ``submit``.
"""

import reflex as rx


class LoginFormState(rx.State):
    code_mode: bool = False
    notice: str = ""

    @rx.event
    def toggle_code_mode(self) -> None:
        self.code_mode = not self.code_mode
        self.notice = ""

    @rx.event
    def submit(self, form_data: dict[str, str]) -> None:
        # Placeholder until the auth state is wired: never touches the database.
        email = (form_data.get("email") or "").strip()
        if not email:
            self.notice = "Enter your work email."
            return
        self.notice = "Sign-in is not available yet."
