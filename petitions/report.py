def register_report() -> None:
    pass
