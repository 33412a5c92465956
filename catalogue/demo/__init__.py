"""Demo catalogue: a believable bilingual city of institutions, venues and courses (see ``seed_demo``)."""
