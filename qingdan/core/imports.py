"""What every all-or-nothing spreadsheet import reports: each bad cell by row and column."""

from dataclasses import dataclass


@dataclass
class RowError:
    row: int  # the spreadsheet's row number, as the person sees it (0: the file itself)
    column: str  # the column's heading, as in the template
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}
