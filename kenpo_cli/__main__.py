from kenpo_cli.entry import main

main()
