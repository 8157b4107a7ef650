"""The page every document is printed on, one definition for Word and PDF: A4 with the same
margins, so the two formats of a report look alike on paper."""

WIDTH_MM, HEIGHT_MM = 210, 297  # A4
MARGIN_TOP_BOTTOM_CM = 2.0  # room for the protective marking above and the footer below
MARGIN_SIDES_CM = 1.8
