"""Catalogue search: text folding to Simplified characters, pinyin and initials, the index row
kept per item, and ranked, grouped, highlighted results."""
