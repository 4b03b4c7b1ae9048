from kenpo_cli.cli.entry import main

main()
