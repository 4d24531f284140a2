"""Evidence: what kind of evidence a statement rests on."""
