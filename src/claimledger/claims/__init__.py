"""Claims: the propositions statements speak to, and each statement's stance toward them."""
