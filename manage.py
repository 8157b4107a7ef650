#!/usr/bin/env python
from practice_review.cli import main

if __name__ == "__main__":
    main()
