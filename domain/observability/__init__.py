"""What the running product tells its operators: unhandled errors (ErrorEvent), Sentry."""
