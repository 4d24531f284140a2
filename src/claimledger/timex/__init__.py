"""Time: resolve time expressions in statements to date ranges."""
