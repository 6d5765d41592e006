"""Pure analysis functions over the store's results."""
