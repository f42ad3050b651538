"""Cleaning report text: normalising, figures, page layout, repair, splitting, dedup, bylines, articles."""
