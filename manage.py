#!/usr/bin/env python
from hotline.cli import main

if __name__ == "__main__":
    main()
