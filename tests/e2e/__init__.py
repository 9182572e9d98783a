"""End-to-end tests: headless Chromium against the production build."""
