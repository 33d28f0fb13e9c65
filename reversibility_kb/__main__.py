from .cli.main import main

main(prog_name="reversibility-kb")
