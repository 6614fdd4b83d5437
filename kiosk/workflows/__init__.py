"""Qt-free journey engine: models, loading, validation, branching, answers."""
