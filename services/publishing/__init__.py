"""How content becomes public: accounts of editors and reviewers, drafts and their merging,
the revision workflow from draft to superseded, the hash-chained audit trail and the public
history of published changes."""
