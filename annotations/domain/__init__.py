"""Pure Python domain logic: no ORM, no Django settings, no I/O."""
