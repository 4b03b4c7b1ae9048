from kenpo_cli.cli import main

main()
