"""The rule files (one YAML file per rule), installed as the data package ``linter.rules``."""
