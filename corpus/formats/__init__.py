"""Import and export of the formats annotators use: Label Studio, doccano, brat, CoNLL, spaCy."""
