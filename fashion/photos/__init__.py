"""Real photos: decode, find the garment, 28x28; photo sets; own photos; the not-sure judge; classifying photos."""
