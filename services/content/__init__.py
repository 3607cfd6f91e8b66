"""What a revision says: the one content schema, the checks a schema cannot express, the
rules every typed or imported text follows, field-by-field differences between two
contents, content in the reader's language, and what each translation was made from."""
