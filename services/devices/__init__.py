"""The screens in a hall: kiosks and wall boards, their one-time registration and heartbeats,
and what a hall's board shows with the version that tells it to refresh."""
