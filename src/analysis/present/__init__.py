"""Charts and text for people: one chart style with a CJK font, 16:9."""
