from readinglist.cli import main

main()
