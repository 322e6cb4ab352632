"""Path converters. ``id`` is a database id: at most 18 digits, so an address with an
id no database column can hold is simply not found (404), never an overflow (500)."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
