from lashi.cli import main

main()
