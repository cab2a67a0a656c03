from wres_cli.cli import main

main()
