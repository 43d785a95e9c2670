"""Demo data: one user per role, and a realistic generated Beijing order history."""
