"""The transparency office's records: utilities, legal bases (approved, proposed, repealed),
channels, halls and their settings, and the life of items (created, suspended, retired).

Each write here is checked first, then made, then audited; a change residents can see is
also noted in the public log of catalogue changes (services.administration.changes)."""
