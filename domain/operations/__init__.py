"""Operations: every venture's daily work (tasks and end-of-day reports), spec/operations.md."""
