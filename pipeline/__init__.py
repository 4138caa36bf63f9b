"""casualty-figures: a validated table of every casualty and troop figure in news articles."""

# Bump when the grammar changes what it finds, so refreshes know to re-extract.
EXTRACTOR_VERSION = "0.1.0"
