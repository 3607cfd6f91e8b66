"""Gongshi domain layer: models and the rules of publishing, fees, deadlines and notices."""
