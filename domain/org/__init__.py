"""Organisation: ventures, offices, users and their memberships, quick links."""
